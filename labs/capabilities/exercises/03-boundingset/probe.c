/* probe.c - the grader's probe for exercise boundingset (built by check, run by the learner's
 * launcher as root: cseclab-ex-probe FILE UID PORT). It tries what the kept and the dropped
 * capabilities decide, says what the kernel answered, then waits to be read and killed: chown
 * FILE to UID (needs CAP_CHOWN: the file is root's), then bind 127.0.0.1:PORT and listen (below
 * ip_unprivileged_port_start: needs CAP_NET_BIND_SERVICE).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void said(const char *what, int rc)
{
	if (rc == 0)
		dprintf(1, "probe: %s: ok\n", what);
	else
		dprintf(1, "probe: %s: errno %s\n", what, strerrorname_np(errno));
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	int s, rc;

	if (argc != 4)
		return 2;
	said("chown", chown(argv[1], (uid_t)atoi(argv[2]), (gid_t)-1));
	a.sin_port = htons((unsigned short)atoi(argv[3]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM, 0);
	rc = s < 0 ? -1 : bind(s, (struct sockaddr *)&a, sizeof(a));
	if (rc == 0)
		rc = listen(s, 1);
	said("bind", rc);
	dprintf(1, "probe: ready\n");
	pause(); /* the grader reads /proc/PID/status and the listener, then kills us */
	return 0;
}
