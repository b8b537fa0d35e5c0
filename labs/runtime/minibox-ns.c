/* minibox-ns.c - the namespace work clone(2) does not do: ID maps and a time namespace.
 *
 * A part of minibox (minibox-ns.h). clone(2) makes the pid, mount, uts, ipc, network and user
 * namespaces in one call; a user namespace is then empty of IDs until its parent writes the
 * child's /proc/PID/uid_map and gid_map (user_namespaces(7)), and a time namespace cannot be
 * made by clone(2) at all. The cgroup namespace is the child's own unshare(2), in minibox.c.
 */
#define _GNU_SOURCE
#include "minibox-ns.h"
#include "cseclab.h"

#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

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
