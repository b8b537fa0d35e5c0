/* probe.c - the grader's probe for exercise sandbox (built by check, run under the learner's
 * sandbox as cseclab-ex-probe FIFO). It blocks opening FIFO, so that the grader can read its
 * /proc/PID/status from outside, then, once the grader writes a byte, calls socket(2) and says
 * what it got. Under the right filter it never says: SIGSYS kills it inside socket().
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <errno.h>

int main(int argc, char **argv)
{
	char c;
	int fd, s;

	if (argc != 2)
		return 2;
	fd = open(argv[1], O_RDONLY); /* blocks until the grader opens it to write */
	if (fd < 0 || read(fd, &c, 1) != 1)
		return 3;
	dprintf(1, "probe: calling socket\n");
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		dprintf(1, "probe: socket: errno %s (%s)\n", strerrorname_np(errno),
			strerror(errno));
	else
		dprintf(1, "probe: socket returned descriptor %d\n", s);
	return 0;
}
