/* boundingset.c - run a command as root with only the listed capabilities, for good, as a
 * container runtime starts a container's PID 1 (`docker run --cap-drop ALL --cap-add ...`).
 * A reference answer.
 *
 * Usage: boundingset KEEP CMD [ARG]...  (as root). KEEP: capability names, comma-separated
 * (cap_net_bind_service,cap_chown). Drops every other capability from the bounding set, empties
 * the inheritable and ambient sets, sets no_new_privs, execs CMD in the same process.
 * Exit: CMD's; 1 when a step fails; 2 on a bad KEEP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void fail(const char *call)
{
	fprintf(stderr, "boundingset: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* KEEP as a bit mask: bit N is capability N (capabilities(7)); libcap knows the names. */
static uint64_t parse_keep(char *list)
{
	uint64_t keep = 0;
	cap_value_t c;

	for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
		if (cap_from_name(name, &c) || c < 0 || c > 63) {
			fprintf(stderr, "boundingset: unknown capability '%s'\n", name);
			exit(2);
		}
		keep |= 1ULL << c;
	}
	return keep;
}

/* The kernel's last capability: newer kernels know more than this program's headers. */
static int last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	int last = -1;

	if (!f)
		fail("open /proc/sys/kernel/cap_last_cap");
	if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63) {
		errno = EINVAL;
		fail("read /proc/sys/kernel/cap_last_cap");
	}
	fclose(f);
	return last;
}

int main(int argc, char **argv)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2];
	uint64_t keep, prm;

	if (argc < 3) {
		fprintf(stderr, "usage: boundingset KEEP CMD [ARG]...\n");
		return 2;
	}
	keep = parse_keep(argv[1]);
	/* 1. The bounding set: the ceiling of every later execve, ours and our children's. Its
	 * drop needs CAP_SETPCAP, so it comes before the capset that gives that up. */
	for (int c = 0, last = last_cap(); c <= last; c++)
		if (!(keep & 1ULL << c) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0))
			fail("prctl(PR_CAPBSET_DROP)");
	/* 2. Ambient and inheritable: root's execve adds both to the new permitted set. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0))
		fail("prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
	if (syscall(SYS_capget, &h, d))
		fail("capget");
	prm = ((uint64_t)d[1].permitted << 32 | d[0].permitted) & keep;
	d[0].permitted = d[0].effective = (uint32_t)prm;
	d[1].permitted = d[1].effective = (uint32_t)(prm >> 32);
	d[0].inheritable = d[1].inheritable = 0;
	if (syscall(SYS_capset, &h, d))
		fail("capset");
	/* 3. no_new_privs: no execve (setuid, file capabilities) grants anything from now on. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		fail("prctl(PR_SET_NO_NEW_PRIVS)");
	execvp(argv[2], argv + 2);
	fail("execvp");
	return 1;
}
