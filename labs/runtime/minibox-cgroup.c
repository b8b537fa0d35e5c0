/* minibox-cgroup.c - make the container's cgroup, write its limits, move the container in.
 *
 * A part of minibox (minibox-cgroup.h). The plumbing is common/cgroup.h's: cg_create makes one
 * directory per hierarchy (on v2, after enabling the controllers in the root's
 * cgroup.subtree_control), cg_attach writes cgroup.procs, cg_remove (run by the cleanup
 * handlers) kills what is left and removes them. What is minibox's own is the work runc does:
 *   - a directory in every hierarchy, also those without a controller (name=systemd, and the
 *     hybrid layout's empty v2 tree), so that /proc/self/cgroup reads the same as under runc;
 *   - v1 cpuset: a new cpuset cgroup has no CPU and no memory node, and the kernel refuses
 *     tasks into it (ENOSPC) until cpuset.cpus and cpuset.mems are copied from its parent;
 *   - the limits: memory.limit_in_bytes / memory.max, pids.max, cpu.shares / cpu.weight (runc
 *     1.1's linear mapping, 1 + (shares - 2) * 9999 / 262142, labs/cgroups/cpushares prints it),
 *     cpu.cfs_quota_us and cpu.cfs_period_us / cpu.max, and the devices rules.
 */
#define _GNU_SOURCE
#include "minibox-cgroup.h"
#include "cgroup.h"
#include "cleanup.h"
#include "cseclab.h"
#include "minibox-devices.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The hierarchies with controllers, made by cg_create: a struct cg holds up to CG_MAX_DIRS of
 * them, and a v1 host may have a dozen. The others (name=systemd, a hybrid's v2 tree) are
 * made here, in EXTRA. */
#define NBOX 3
static struct cg box[NBOX];
static char box_controllers[NBOX][256];
static struct cg extra;

/* The cgroup (of BOX) that has CONTROLLER, or NULL. */
static const struct cg *owner(const char *controller)
{
	for (int i = 0; i < NBOX; i++)
		if (cg_dir_of(&box[i], controller))
			return &box[i];
	return NULL;
}

static int fail(struct profile_error *err, int status, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct profile_error *err, int status, const char *where, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	err->status = status;
	snprintf(err->where, sizeof(err->where), "%s", where);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

/* Write a limit: the kernel's EINVAL (or ERANGE) is the config's fault, named by FIELD. */
static int limit(struct profile_error *err, const char *field, const char *controller,
		 const char *file, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int limit(struct profile_error *err, const char *field, const char *controller,
		 const char *file, const char *fmt, ...)
{
	char value[64], path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (!owner(controller) ||
	    cg_path(owner(controller), controller, file, path, sizeof(path)) < 0)
		return fail(err, EXIT_USAGE, field, "no %s controller on this machine", controller);
	say("cgroup: write %s > %s", value, path);
	if (write_file(path, "%s", value) == 0)
		return 0;
	if (errno == EINVAL || errno == ERANGE)
		return fail(err, EXIT_USAGE, field, "the kernel refuses %s in %s: %s", value, file,
			    strerror(errno));
	return fail(err, EXIT_FAIL, "cgroup", "write %s > %s: %s", value, path, strerror(errno));
}

/* Sort the hierarchies: those with controllers into BOX_CONTROLLERS (at most CG_MAX_DIRS
 * hierarchies per struct cg), the others into EXTRA. On a hybrid host the v2 tree is an extra
 * even when it offers a controller no v1 hierarchy has (hugetlb here): runc 1.1 uses v1 only. */
static int survey(void)
{
	struct cg_mount m[32];
	int n = cg_mounts(m, 32), k = 0, used = 0;
	bool v1 = false;

	for (int i = 0; i < n; i++)
		v1 |= m[i].version == CG_V1;
	for (int i = 0; i < n; i++) {
		if (!m[i].controllers[0] || (v1 && m[i].version == CG_V2)) {
			if (extra.ndirs == CG_MAX_DIRS)
				return -1;
			struct cg_dir *d = &extra.dir[extra.ndirs++];
			d->version = m[i].version;
			snprintf(d->controllers, sizeof(d->controllers), "%s", m[i].name);
			snprintf(d->path, sizeof(d->path), "%s", m[i].path);
			continue;
		}
		if (used == CG_MAX_DIRS) {
			used = 0;
			if (++k == NBOX)
				return -1;
		}
		used++;
		char *list = box_controllers[k];
		size_t len = sizeof(box_controllers[k]), at = strlen(list);
		snprintf(list + at, len - at, "%s%s", at ? " " : "", m[i].controllers);
	}
	return 0;
}

static int make_extra(const char *name, struct profile_error *err)
{
	char path[PATH_MAX];

	on_cleanup(cg_remove, &extra);
	for (int i = 0; i < extra.ndirs; i++) {
		snprintf(path, sizeof(path), "%s/%s", extra.dir[i].path, name);
		snprintf(extra.dir[i].path, sizeof(extra.dir[i].path), "%s", path);
		rmdir(path); /* left empty by a run that was killed; EBUSY if in use: mkdir says */
		if (mkdir(path, 0755) < 0) {
			int saved = errno;

			extra.ndirs = i; /* the ones before are ours to remove */
			errno = saved;
			return fail(err, EXIT_FAIL, "cgroup", "mkdir %s: %s", path,
				    strerror(errno));
		}
	}
	return 0;
}

/* v1 cpuset: copy the parent's CPUs and memory nodes, or no task may join. */
static int cpuset_fill(struct profile_error *err)
{
	const struct cg_dir *d = owner("cpuset") ? cg_dir_of(owner("cpuset"), "cpuset") : NULL;
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
	char path[PATH_MAX + 16], value[256];

	if (!d || d->version != CG_V1)
		return 0;
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%.*s/%s", (int)(strrchr(d->path, '/') - d->path),
			 d->path, files[i]);
		if (read_file(path, value, sizeof(value)) < 0)
			return fail(err, EXIT_FAIL, "cgroup", "read %s: %s", path, strerror(errno));
		value[strcspn(value, "\n")] = '\0';
		snprintf(path, sizeof(path), "%s/%s", d->path, files[i]);
		if (write_file(path, "%s", value) < 0)
			return fail(err, EXIT_FAIL, "cgroup", "write %s > %s: %s", value, path,
				    strerror(errno));
	}
	return 0;
}

static int write_limits(const struct mb_config *c, bool v2, struct profile_error *err)
{
	const char *mem = "linux.resources.memory.limit", *cpu = "linux.resources.cpu";

	if (c->mem_limit && limit(err, mem, "memory", v2 ? "memory.max" : "memory.limit_in_bytes",
				  c->mem_limit < 0 ? (v2 ? "max" : "-1") : "%lld", c->mem_limit))
		return -1;
	if (c->pids_limit && limit(err, "linux.resources.pids.limit", "pids", "pids.max",
				   c->pids_limit < 0 ? "max" : "%lld", c->pids_limit))
		return -1;
	if (c->cpu_shares && !v2 && limit(err, cpu, "cpu", "cpu.shares", "%lld", c->cpu_shares))
		return -1;
	if (c->cpu_shares && v2 &&
	    limit(err, cpu, "cpu", "cpu.weight", "%lld", 1 + ((c->cpu_shares - 2) * 9999) / 262142))
		return -1;
	if (!c->cpu_quota && !c->cpu_period)
		return 0;
	if (v2)
		return c->cpu_quota > 0
			       ? limit(err, cpu, "cpu", "cpu.max", "%lld %lld", c->cpu_quota,
				       c->cpu_period ? c->cpu_period : 100000)
			       : limit(err, cpu, "cpu", "cpu.max", "max %lld",
				       c->cpu_period ? c->cpu_period : 100000);
	/* v1 checks the quota against the period it has: the period goes first. */
	if (c->cpu_period && limit(err, cpu, "cpu", "cpu.cfs_period_us", "%lld", c->cpu_period))
		return -1;
	if (c->cpu_quota && limit(err, cpu, "cpu", "cpu.cfs_quota_us", "%lld",
				  c->cpu_quota < 0 ? -1LL : c->cpu_quota))
		return -1;
	return 0;
}

int cgroup_setup(const struct mb_config *c, struct profile_error *err)
{
	char call[256];
	struct mb_device rules[MB_MAX + 16];
	const struct cg_dir *dev;
	bool v2;
	int n;

	if (survey() < 0)
		return fail(err, EXIT_FAIL, "cgroup",
			    "more cgroup hierarchies than minibox handles");
	for (int i = 0; i < NBOX && box_controllers[i][0]; i++)
		if (cg_create(&box[i], NULL, c->cgroup, box_controllers[i], call) < 0)
			return fail(err, EXIT_FAIL, "cgroup", "%s: %s", call, strerror(errno));
	if (make_extra(c->cgroup, err) < 0 || cpuset_fill(err) < 0)
		return -1;
	v2 = box[0].ndirs > 0 && box[0].dir[0].version == CG_V2; /* hybrid: all v1 */
	if (write_limits(c, v2, err) < 0)
		return -1;
	n = devices_rules(c, rules, (int)ARRAY_SIZE(rules));
	dev = owner("devices") ? cg_dir_of(owner("devices"), "devices") : NULL;
	if (dev && devices_v1(dev->path, rules, n, call) < 0)
		return fail(err, errno == EINVAL ? EXIT_USAGE : EXIT_FAIL,
			    "linux.resources.devices", "%s: %s", call, strerror(errno));
	/* v2: the devices controller is not listed in cgroup.controllers, it is always there. */
	if (v2 && devices_v2(box[0].dir[0].path, rules, n, call) < 0)
		return fail(err, EXIT_FAIL, "linux.resources.devices", "%s: %s", call,
			    strerror(errno));
	return 0;
}

int cgroup_v2_fd(void)
{
	if (box[0].ndirs != 1 || box[0].dir[0].version != CG_V2 || extra.ndirs)
		return -1;
	return open(box[0].dir[0].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int cgroup_join(pid_t pid, char call[256])
{
	for (int i = 0; i < NBOX; i++)
		if (cg_attach(&box[i], pid, call) < 0)
			return -1;
	return cg_attach(&extra, pid, call);
}
