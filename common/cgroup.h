/* cgroup.h - find where cgroup controllers live on this machine (v1, v2 or hybrid).
 *
 * Never assume a layout: a Debian 12 VM has pure v2 at /sys/fs/cgroup; a hybrid host has v1
 * hierarchies (cpu, cpuacct, cpuset, memory, pids...) under /sys/fs/cgroup/<name> and an
 * empty v2 tree at /sys/fs/cgroup/unified. We read /proc/self/mountinfo and, for v2, the
 * root's cgroup.controllers.
 */
#ifndef CSECLAB_CGROUP_H
#define CSECLAB_CGROUP_H

#include <limits.h>
#include <stdbool.h>

enum cg_version { CG_V1 = 1, CG_V2 = 2 };

struct cg_mount {
	enum cg_version version;
	char path[PATH_MAX];   /* where the hierarchy is mounted */
	char controllers[256]; /* space-separated controller names ("" for none) */
};

/* Every cgroup mount of this process's mount namespace. Returns how many (at most MAX). */
int cg_mounts(struct cg_mount *out, int max);
/* Where CONTROLLER can be used: a v1 hierarchy that has it, else a v2 mount listing it.
 * 0 found (OUT filled), -1 not available. */
int cg_find(const char *controller, struct cg_mount *out);
/* True when controller NAME is in the space- or comma-separated LIST. */
bool cg_has(const char *list, const char *name);

#endif
