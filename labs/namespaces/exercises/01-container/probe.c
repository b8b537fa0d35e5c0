/* probe.c - the grader's probe for exercise container: a static program that the learner's
 * container runs as CMD (/cseclab-ex-probe in the root filesystem). It blocks opening the FIFO
 * /cseclab-ex-go, so that the grader can look at it from outside (its NSpid, namespaces, root,
 * mounts), and exits when the grader writes a byte.
 */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
	char c;
	int fd = open("/cseclab-ex-go", O_RDONLY);

	if (fd < 0)
		return 3;
	return read(fd, &c, 1) == 1 ? 0 : 4;
}
