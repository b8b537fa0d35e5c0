/* minibox-ns.c - clone(2) with the namespaces, then what it does not do: ID maps, clocks.
 *
 * A part of minibox (minibox-ns.h). clone(2) makes the pid, mount, uts, ipc, network and user
 * namespaces in one call; a user namespace is then empty of IDs until its parent writes the
 * child's /proc/PID/uid_map and gid_map (user_namespaces(7)), and a time namespace cannot be
 * made by clone(2) at all. The cgroup namespace is the child's own unshare(2), in minibox.c.
 * On cgroup v2, clone3(2) can start the child inside its cgroup (CLONE_INTO_CGROUP, Linux
 * 5.7): no move into the cgroup afterwards, the move that costs most of a run on v1.
 */
#define _GNU_SOURCE
#include "minibox-ns.h"
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#define INTO_CGROUP 0x200000000ULL /* CLONE_INTO_CGROUP, linux/sched.h */

/* clone3(2)'s argument (linux/sched.h's struct clone_args, up to its cgroup field). */
struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

pid_t ns_clone(int flags, int cgroup_fd, bool *joined)
{
	/* No stack of its own: like fork(2), the child runs on a copy of this one. */
	*joined = false;
	if (cgroup_fd >= 0) {
		struct clone3_args a = {.flags = (uint64_t)flags | INTO_CGROUP,
					.exit_signal = SIGCHLD,
					.cgroup = (uint64_t)cgroup_fd};
		long pid = syscall(SYS_clone3, &a, sizeof(a));

		if (pid >= 0) {
			*joined = true;
			return (pid_t)pid;
		}
		if (errno != ENOSYS && errno != E2BIG && errno != EINVAL)
			return -1;
		say("clone3 CLONE_INTO_CGROUP: %s: clone, then a move", strerror(errno));
	}
	return (pid_t)syscall(SYS_clone, SIGCHLD | flags, NULL, NULL, NULL, NULL);
}

void ns_write_map(pid_t pid, const char *file, const struct mb_idmap *map, int n)
{
	char path[64], buf[MB_MAXMAP * 40] = "";

	/* One write(2) with every line: the kernel takes a map once. */
	for (int i = 0; i < n; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%lu %lu %lu\n",
			 map[i].inside, map[i].outside, map[i].count);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	say("parent: %s: %s", path, buf);
	if (write_file(path, "%s", buf) < 0)
		die(path);
}

/* Time namespaces: clone(2) has no room for CLONE_NEWTIME. unshare(2) makes one for the
 * children to come, whose clock offsets can be set while no process is inside; setns(2) on
 * /proc/self/ns/time_for_children then moves this process in itself (see labs/namespaces/ns). */
void ns_enter_time(const struct mb_config *c)
{
	int fd;

	if (unshare(CLONE_NEWTIME) < 0)
		die("unshare CLONE_NEWTIME");
	if (write_file("/proc/self/timens_offsets", "monotonic %lld %lld\nboottime %lld %lld\n",
		       c->mono_offset[0], c->mono_offset[1], c->boot_offset[0],
		       c->boot_offset[1]) < 0)
		die("write /proc/self/timens_offsets");
	fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0)
		die("setns time_for_children");
	close(fd);
}
