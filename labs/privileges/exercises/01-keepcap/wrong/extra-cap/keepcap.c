/* keepcap.c - step down from root to a uid for good, keeping one capability across the switch
 * and the execve: CAP_NET_BIND_SERVICE. Known-wrong: keeps a second capability.
 *
 * Usage: keepcap UID CMD [ARG]...  (as root). Gives up root's groups, gid and uid (in that
 * order), keeps CAP_NET_BIND_SERVICE and nothing else, execs CMD in the same process.
 * Exit: CMD's; 1 when a step fails.
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

/* capset(2) without libcap: version 3 takes two 32-bit words per set. */
static void set_caps(unsigned int caps)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].permitted = d[0].effective = d[0].inheritable = caps;
	if (syscall(SYS_capset, &h, d))
		fail("capset");
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
	/* Without KEEPCAPS, setuid from 0 to non-zero empties the permitted set. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		fail("prctl(PR_SET_KEEPCAPS)");
	if (setuid(uid))
		fail("setuid");
	/* Keep NET_ADMIN too, "in case the server needs to configure its network". */
	set_caps(1u << CAP_NET_BIND_SERVICE | 1u << CAP_NET_ADMIN);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_ADMIN, 0, 0))
		fail("prctl(PR_CAP_AMBIENT_RAISE)");
	execvp(argv[2], argv + 2);
	fail("execvp");
	return 1;
}
