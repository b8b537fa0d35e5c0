/* keepcap.c - step down from root to a uid for good, keeping one capability across the switch
 * and the execve: CAP_NET_BIND_SERVICE. Your answer (task.md).
 *
 * Usage: keepcap UID CMD [ARG]...  (as root). Gives up root's groups, gid and uid (in that
 * order), keeps CAP_NET_BIND_SERVICE and nothing else, execs CMD in the same process.
 * Exit: CMD's; 1 when a step fails.
 * Today it steps down like gosu, and the capability is lost on the way. Read: capabilities(7),
 * prctl(2) (PR_SET_KEEPCAPS, PR_CAP_AMBIENT), capset(2), setuid(2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void fail(const char *call)
{
	fprintf(stderr, "keepcap: %s: %s\n", call, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	gid_t gid;
	uid_t uid;

	if (argc < 3) {
		fprintf(stderr, "usage: keepcap UID CMD [ARG]...\n");
		return 2;
	}
	uid = (uid_t)atoi(argv[1]);
	gid = (gid_t)uid;
	/* Groups and gid first: after setuid we would no longer be allowed to change them. */
	if (setgroups(0, NULL))
		fail("setgroups");
	if (setgid(gid))
		fail("setgid");
	/* TODO: keep CAP_NET_BIND_SERVICE across setuid and execve. */
	if (setuid(uid))
		fail("setuid");
	execvp(argv[2], argv + 2);
	fail("execvp");
	return 1;
}
