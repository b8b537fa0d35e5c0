/* cgroup.h - find where cgroup controllers live on this machine (v1, v2 or hybrid).
 *
 * Never assume a layout: a Debian 12 VM has pure v2 at /sys/fs/cgroup; a hybrid host has v1
 * hierarchies (cpu, cpuacct, cpuset, memory, pids...) under /sys/fs/cgroup/<name> and an
 * empty v2 tree at /sys/fs/cgroup/unified. We read /proc/self/mountinfo and, for v2, the
 * root's cgroup.controllers.
 * A mount need not show a whole hierarchy: inside a container the mount's root (field 4 of
 * mountinfo) is the container's own cgroup ("/docker/<id>"), and in a cgroup namespace both
 * /proc/PID/cgroup and that root are read relative to the namespace's root ("/" and "/..").
 */
#ifndef CSECLAB_CGROUP_H
#define CSECLAB_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum cg_version { CG_V1 = 1, CG_V2 = 2 };

struct cg_mount {
	enum cg_version version;
	char path[PATH_MAX];   /* where the hierarchy is mounted */
	char root[PATH_MAX];   /* which cgroup of it the mount shows (mountinfo field 4) */
	char name[64];	       /* a named v1 hierarchy's name (name=systemd), else "" */
	char controllers[256]; /* space-separated controller names ("" for none) */
};

/* Every cgroup mount this process can see, in mountinfo order (the one reader of
 * /proc/self/mountinfo in the suite): a mount hidden by a later one on the same directory or
 * above it is left out. Returns how many (at most MAX), -1 with errno set when mountinfo cannot
 * be opened. */
int cg_mounts(struct cg_mount *out, int max);
/* Where CONTROLLER can be used: a v1 hierarchy that has it, else a v2 mount listing it.
 * 0 found (OUT filled), -1 not available. */
int cg_find(const char *controller, struct cg_mount *out);
/* True when controller NAME is in the space- or comma-separated LIST. */
bool cg_has(const char *list, const char *name);

/* ---- cgroups a lab creates (all named cseclab-<lab>) ----------------------------------------
 *
 * One struct cg is one cgroup of ours: on v1 one directory per hierarchy that holds a requested
 * controller (cpu and cpuacct may be one hierarchy or two), on v2 one directory. The labs make
 * the interesting writes themselves (cg_path + write_file, or cg_write); this is the plumbing
 * around them: mkdir, enabling controllers on v2, moving a pid in, and removal.
 * A struct cg must outlive the program's cleanup (static, or never freed): cg_create registers
 * cg_remove(cg) with on_cleanup, so it goes on exit, error, SIGINT, SIGTERM and SIGHUP,
 * children before parents (last created, first removed).
 */
#define CG_MAX_DIRS 8

struct cg_dir {
	enum cg_version version;
	char controllers[128]; /* the requested controllers this directory serves */
	char path[PATH_MAX];
};

struct cg {
	int ndirs;
	struct cg_dir dir[CG_MAX_DIRS];
};

/* The first controller of the space-separated CONTROLLERS that no hierarchy offers, or NULL. */
const char *cg_missing(const char *controllers);
/* Create cgroup NAME for CONTROLLERS (space-separated): with PARENT NULL at the root of each
 * hierarchy (v2: after adding the controllers to the root's cgroup.subtree_control, never
 * removing any), else inside PARENT (v2: enabling them in PARENT's cgroup.subtree_control;
 * with -v each such write is narrated, "prog: echo +cpu > .../cgroup.subtree_control").
 * A leftover directory of the same name (a killed earlier run) is removed first.
 * 0 ok; -1 with errno set and CALL naming what failed ("mkdir /sys/fs/cgroup/...", 256 bytes). */
int cg_create(struct cg *cg, const struct cg *parent, const char *name, const char *controllers,
	      char call[256]);
/* The directory serving CONTROLLER, or NULL when this cgroup does not have it. */
const struct cg_dir *cg_dir_of(const struct cg *cg, const char *controller);
/* OUT = "<dir serving CONTROLLER>/FILE". 0 ok, -1 (ENOENT) when no directory serves it. */
int cg_path(const struct cg *cg, const char *controller, const char *file, char *out, size_t len);
/* Write / read FILE of the directory serving CONTROLLER. 0 ok (read: bytes), -1 errno set. */
int cg_write(const struct cg *cg, const char *controller, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
ssize_t cg_read(const struct cg *cg, const char *controller, const char *file, char *buf,
		size_t len);
int cg_read_long(const struct cg *cg, const char *controller, const char *file, long *out);
/* The value of KEY in a flat-keyed file ("usage_usec 1234" lines of cpu.stat, memory.events).
 * 0 ok, -1 (errno ENOENT when the key is absent). */
int cg_read_key(const struct cg *cg, const char *controller, const char *file, const char *key,
		long long *out);
/* Move PID (with all its threads) into every directory of CG: writes cgroup.procs.
 * 0 ok, -1 with errno set and CALL naming the write. */
int cg_attach(const struct cg *cg, pid_t pid, char call[256]);
/* Teardown: SIGKILL every task of CG's directories (never the caller), wait until they are
 * gone and rmdir each directory. So that nothing forks meanwhile it first freezes a v1 freezer
 * directory (thawing it after the kill) and writes cgroup.kill on v2: the mechanism forkbomb
 * shows in its own code; labs never call this to demonstrate it. Async-signal-safe (open/read/kill/rmdir/nanosleep only); ARG is a
 * struct cg *. Idempotent: a removed directory is skipped. */
void cg_remove(void *cg);

#endif
