/* minibox-ns.h - clone with the namespaces; a user namespace's ID maps, a time namespace's. */
#ifndef MINIBOX_NS_H
#define MINIBOX_NS_H

#include "minibox-config.h"

/* clone(2) as fork(2) does, with the namespace flags FLAGS. With CGROUP_FD (a v2 cgroup
 * directory, else -1) clone3(2) starts the child in that cgroup and sets *JOINED. */
pid_t ns_clone(int flags, int cgroup_fd, bool *joined);
/* In the parent: write MAP (N lines) to /proc/PID/FILE ("uid_map" or "gid_map"). Dies on
 * error. */
void ns_write_map(pid_t pid, const char *file, const struct mb_idmap *map, int n);
/* In the child: a new time namespace with the config's clock offsets, entered. Dies on error. */
void ns_enter_time(const struct mb_config *c);

#endif
