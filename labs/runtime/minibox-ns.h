/* minibox-ns.h - a user namespace's ID maps, a time namespace's clock offsets. */
#ifndef MINIBOX_NS_H
#define MINIBOX_NS_H

#include "minibox-config.h"

/* In the parent: write MAP (N lines) to /proc/PID/FILE ("uid_map" or "gid_map"). Dies on
 * error. */
void ns_write_map(pid_t pid, const char *file, const struct mb_idmap *map, int n);
/* In the child: a new time namespace with the config's clock offsets, entered. Dies on error. */
void ns_enter_time(const struct mb_config *c);

#endif
