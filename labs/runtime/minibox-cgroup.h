/* minibox-cgroup.h - the container's cgroup: made, limited and joined before the exec. */
#ifndef MINIBOX_CGROUP_H
#define MINIBOX_CGROUP_H

#include "minibox-config.h"

/* In the parent, before clone: make C->cgroup in every hierarchy (removed by the cleanup
 * handlers of common/cleanup.h) and write the limits of linux.resources. 0 ok; -1 with ERR
 * filled: status 2 when the kernel refuses a value of the config (the place names the field),
 * 1 for any other failure. */
int cgroup_setup(const struct mb_config *c, struct profile_error *err);
/* On pure cgroup v2, an open descriptor of the container's cgroup (for CLONE_INTO_CGROUP);
 * -1 on v1 or a hybrid host. */
int cgroup_v2_fd(void);
/* Move PID into it (every hierarchy). 0 ok; -1 with errno set and CALL naming the write. */
int cgroup_join(pid_t pid, char call[256]);

#endif
