/* boundingset.c - run a command as root with only the listed capabilities, for good, as a
 * container runtime starts a container's PID 1 (`docker run --cap-drop ALL --cap-add ...`).
 * Your answer (task.md).
 *
 * Usage: boundingset KEEP CMD [ARG]...  (as root). KEEP: capability names, comma-separated
 * (cap_net_bind_service,cap_chown). Drops every other capability from the bounding set, empties
 * the inheritable and ambient sets, sets no_new_privs, execs CMD in the same process.
 * Exit: CMD's; 1 when a step fails; 2 on a bad KEEP.
 * Today it execs CMD with every capability root has. Read: capabilities(7) ("Capability
 * bounding set", the execve transformation), prctl(2) (PR_CAPBSET_DROP, PR_CAP_AMBIENT,
 * PR_SET_NO_NEW_PRIVS), capset(2).
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

int main(int argc, char **argv)
{
	uint64_t keep;

	if (argc < 3) {
		fprintf(stderr, "usage: boundingset KEEP CMD [ARG]...\n");
		return 2;
	}
	keep = parse_keep(argv[1]);
	/* TODO: drop from the bounding set every capability not in keep; empty the inheritable
	 * and ambient sets; set no_new_privs. */
	(void)keep;
	execvp(argv[2], argv + 2);
	fail("execvp");
	return 1;
}
