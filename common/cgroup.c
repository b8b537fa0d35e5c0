/* cgroup.c - cgroup layout discovery (see cgroup.h). */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cleanup.h"
#include "cseclab.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool cg_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name)) != NULL) {
		bool start = p == list || p[-1] == ' ' || p[-1] == ',';
		bool end = p[n] == '\0' || p[n] == ' ' || p[n] == ',' || p[n] == '\n';

		if (start && end)
			return true;
		p += n;
	}
	return false;
}

/* A v1 mount's super options ("rw,cpu,cpuacct") name its controllers; keep only those. */
static void v1_controllers(const char *superopts, char *out, size_t len)
{
	static const char *const known[] = {
		"cpu",	 "cpuacct",    "cpuset",   "memory",  "devices", "freezer", "net_cls",
		"blkio", "perf_event", "net_prio", "hugetlb", "pids",	 "rdma",    "misc"};

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
		if (!cg_has(superopts, known[i]))
			continue;
		if (out[0])
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, known[i], len - strlen(out) - 1);
	}
}

/* The value of option KEY= in a comma-separated option list ("rw,name=systemd"), or "". */
static void option_value(const char *opts, const char *key, char *out, size_t len)
{
	size_t k = strlen(key);

	out[0] = '\0';
	for (const char *p = opts; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		if (strncmp(p, key, k) == 0 && p[k] == '=') {
			snprintf(out, len, "%.*s", (int)strcspn(p + k + 1, ","), p + k + 1);
			return;
		}
	}
}

/* Mounts are listed in the order they were made: one made later on the same directory, or on a
 * directory above it, hides the earlier ones there (a container's bind mount over the host's, a
 * tmpfs over /sys/fs/cgroup). Forget those, keeping the order of the rest. */
static void forget_hidden(struct cg_mount *m, int *n, const char *dir)
{
	size_t len = strlen(dir);

	for (int i = 0; i < *n; i++) {
		if (len > 1 && strncmp(m[i].path, dir, len) == 0 &&
		    (m[i].path[len] == '\0' || m[i].path[len] == '/')) {
			memmove(&m[i], &m[i + 1], (size_t)(*n - i - 1) * sizeof(*m));
			(*n)--;
			i--;
		}
	}
}

int cg_mounts(struct cg_mount *out, int max)
{
	char line[4096], buf[256];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		/* id parent maj:min root mountpoint opts [optional...] - fstype source superopts */
		char root[PATH_MAX], mnt[PATH_MAX], fstype[64], superopts[1024];
		char *dash = strstr(line, " - ");
		struct cg_mount *m;

		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, mnt) != 2)
			continue;
		if (sscanf(dash + 3, "%63s %*s %1023s", fstype, superopts) != 2)
			continue;
		forget_hidden(out, &n, mnt);
		if (strcmp(fstype, "cgroup") != 0 && strcmp(fstype, "cgroup2") != 0)
			continue;
		if (n == max)
			continue; /* full: a later line may still hide one of those kept */
		m = &out[n];
		if (strcmp(fstype, "cgroup") == 0) {
			m->version = CG_V1;
			v1_controllers(superopts, m->controllers, sizeof(m->controllers));
			option_value(superopts, "name", m->name, sizeof(m->name));
		} else {
			char path[PATH_MAX + 32];

			m->version = CG_V2;
			snprintf(path, sizeof(path), "%s/cgroup.controllers", mnt);
			if (read_file(path, buf, sizeof(buf)) < 0)
				buf[0] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			snprintf(m->controllers, sizeof(m->controllers), "%s", buf);
			m->name[0] = '\0';
		}
		snprintf(m->path, sizeof(m->path), "%s", mnt);
		snprintf(m->root, sizeof(m->root), "%s", root);
		n++;
	}
	fclose(f);
	return n;
}

int cg_find(const char *controller, struct cg_mount *out)
{
	struct cg_mount m[32];
	int n = cg_mounts(m, 32);

	for (int pass = 1; pass <= 2; pass++) {
		for (int i = 0; i < n; i++) {
			if ((int)m[i].version == pass && cg_has(m[i].controllers, controller)) {
				*out = m[i];
				return 0;
			}
		}
	}
	return -1;
}

/* ---- cgroups a lab creates ------------------------------------------------------------------ */

const char *cg_missing(const char *controllers)
{
	static char name[64];
	struct cg_mount m;
	const char *p = controllers;

	while (*p) {
		size_t n = strcspn(p, " ");

		if (n > 0 && n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
			if (cg_find(name, &m) < 0)
				return name;
		}
		p += n;
		p += strspn(p, " ");
	}
	return NULL;
}

const struct cg_dir *cg_dir_of(const struct cg *cg, const char *controller)
{
	for (int i = 0; i < cg->ndirs; i++)
		if (cg_has(cg->dir[i].controllers, controller))
			return &cg->dir[i];
	return NULL;
}

int cg_path(const struct cg *cg, const char *controller, const char *file, char *out, size_t len)
{
	const struct cg_dir *d = cg_dir_of(cg, controller);
	int n;

	if (!d) {
		errno = ENOENT;
		return -1;
	}
	n = snprintf(out, len, "%s/%s", d->path, file);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int cg_write(const struct cg *cg, const char *controller, const char *file, const char *fmt, ...)
{
	char path[PATH_MAX], buf[1024];
	va_list ap;
	int n;

	if (cg_path(cg, controller, file, path, sizeof(path)) < 0)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		errno = E2BIG;
		return -1;
	}
	return write_file(path, "%s", buf);
}

ssize_t cg_read(const struct cg *cg, const char *controller, const char *file, char *buf,
		size_t len)
{
	char path[PATH_MAX];

	if (cg_path(cg, controller, file, path, sizeof(path)) < 0)
		return -1;
	return read_file(path, buf, len);
}

int cg_read_long(const struct cg *cg, const char *controller, const char *file, long *out)
{
	char path[PATH_MAX];

	if (cg_path(cg, controller, file, path, sizeof(path)) < 0)
		return -1;
	return read_long(path, out);
}

int cg_read_key(const struct cg *cg, const char *controller, const char *file, const char *key,
		long long *out)
{
	char buf[8192];
	size_t klen = strlen(key);

	if (cg_read(cg, controller, file, buf, sizeof(buf)) < 0)
		return -1;
	for (char *line = buf; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
			*out = strtoll(line + klen + 1, NULL, 10);
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

int cg_attach(const struct cg *cg, pid_t pid, char call[256])
{
	char path[PATH_MAX + 16];

	for (int i = 0; i < cg->ndirs; i++) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dir[i].path);
		if (write_file(path, "%d", (int)pid) < 0) {
			int saved = errno;

			snprintf(call, 256, "write %d > %.220s", (int)pid, path);
			errno = saved;
			return -1;
		}
	}
	return 0;
}

/* Async-signal-safe helpers for removal: no stdio, no malloc, no errno-dependent library calls
 * other than the system calls themselves. */
static size_t str_copy(char *dst, size_t len, const char *a, const char *b)
{
	size_t n = 0;

	for (const char *s = a; s && *s && n + 1 < len; s++)
		dst[n++] = *s;
	for (const char *s = b; s && *s && n + 1 < len; s++)
		dst[n++] = *s;
	dst[n] = '\0';
	return n;
}

static void put_word(const char *path, const char *word)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, word, strlen(word)) < 0) {
		/* nothing to do: removal goes on and rmdir reports what is left */
	}
	close(fd);
}

/* SIGKILL every pid listed in DIR/cgroup.procs except ours. Returns how many it signalled. */
static int kill_listed(const char *dir)
{
	char path[PATH_MAX + 16], chunk[512];
	long pid = -1;
	int fd, count = 0;
	ssize_t n;

	str_copy(path, sizeof(path), dir, "/cgroup.procs");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (chunk[i] >= '0' && chunk[i] <= '9') {
				pid = (pid < 0 ? 0 : pid * 10) + (chunk[i] - '0');
			} else if (pid >= 0) {
				if (pid > 0 && pid != getpid() && kill((pid_t)pid, SIGKILL) == 0)
					count++;
				pid = -1;
			}
		}
	}
	if (pid > 0 && pid != getpid() && kill((pid_t)pid, SIGKILL) == 0)
		count++;
	close(fd);
	return count;
}

static void nap_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Freeze a v1 freezer directory and wait (up to ~1 s) until the kernel says FROZEN. */
static void freeze_v1(const char *dir, const char *state)
{
	char path[PATH_MAX + 16], buf[32];

	str_copy(path, sizeof(path), dir, "/freezer.state");
	put_word(path, state);
	for (int i = 0; i < 100; i++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

		if (fd >= 0)
			close(fd);
		if (n <= 0)
			return;
		buf[n] = '\0';
		if (strncmp(buf, state, strlen(state)) == 0)
			return;
		nap_ms(10);
	}
}

void cg_remove(void *arg)
{
	struct cg *cg = arg;
	char path[PATH_MAX + 16];
	int saved = errno;

	/* 1. Stop everything from forking while we kill: freeze (v1 freezer), or cgroup.kill on
	 * v2 (kills the whole subtree atomically, 5.14+). */
	for (int i = 0; i < cg->ndirs; i++) {
		if (cg->dir[i].version == CG_V1 && cg_has(cg->dir[i].controllers, "freezer"))
			freeze_v1(cg->dir[i].path, "FROZEN");
		if (cg->dir[i].version == CG_V2) {
			str_copy(path, sizeof(path), cg->dir[i].path, "/cgroup.kill");
			put_word(path, "1");
		}
	}
	/* 2. SIGKILL what is listed; frozen tasks die when thawed. */
	for (int i = 0; i < cg->ndirs; i++)
		kill_listed(cg->dir[i].path);
	for (int i = 0; i < cg->ndirs; i++)
		if (cg->dir[i].version == CG_V1 && cg_has(cg->dir[i].controllers, "freezer"))
			freeze_v1(cg->dir[i].path, "THAWED");
	/* 3. rmdir, children first; a dying task keeps a cgroup busy for a moment (EBUSY). */
	for (int i = cg->ndirs - 1; i >= 0; i--) {
		for (int tries = 0; tries < 300; tries++) {
			if (rmdir(cg->dir[i].path) == 0 || errno == ENOENT)
				break;
			if (errno != EBUSY)
				break;
			kill_listed(cg->dir[i].path);
			nap_ms(10);
		}
	}
	cg->ndirs = 0;
	errno = saved;
}

/* Does DIR or a cgroup below it hold a process? */
static bool populated(const char *dir)
{
	char path[PATH_MAX], buf[64];
	struct dirent *e;
	bool busy;
	DIR *d;

	if (snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >= (int)sizeof(path))
		return false;
	busy = read_file(path, buf, sizeof(buf)) > 0;
	d = busy ? NULL : opendir(dir);
	while (d && !busy && (e = readdir(d)) != NULL) {
		if (e->d_type == DT_DIR && e->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path))
			busy = populated(path);
	}
	if (d)
		closedir(d);
	return busy;
}

/* A directory left by an earlier run that was killed with SIGKILL (its processes died with it:
 * the labs set PR_SET_PDEATHSIG): remove it with everything below it (cgroup directories hold
 * only control files and child cgroups). */
static void remove_stale(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char sub[PATH_MAX];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) < (int)sizeof(sub))
			remove_stale(sub);
	}
	closedir(d);
	for (int tries = 0; tries < 300; tries++) {
		if (rmdir(path) == 0 || errno != EBUSY)
			return;
		nap_ms(10);
	}
}

/* v2 delegation: a child cgroup has a controller's files only when its parent lists that
 * controller in cgroup.subtree_control, so DIR must pass CONTROLLER down before we make a child
 * that uses it (no write when it already does). The lab's -v shows the write, as it shows its
 * own: it is part of what the lab does to the machine. */
static int enable_v2(const char *dir, const char *controller)
{
	char path[PATH_MAX + 32], buf[512];

	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	if (read_file(path, buf, sizeof(buf)) >= 0 && cg_has(buf, controller))
		return 0;
	if (write_file(path, "+%s", controller) < 0)
		return -1;
	say("echo +%s > %s", controller, path);
	return 0;
}

static int add_dir(struct cg *cg, const struct cg *parent, const char *name, const char *controller,
		   char call[256])
{
	struct cg_mount m;
	const char *base;
	char path[PATH_MAX];
	int i;

	if (cg_find(controller, &m) < 0) {
		snprintf(call, 256, "find the %.200s controller", controller);
		errno = ENOENT;
		return -1;
	}
	base = m.path;
	if (parent) {
		const struct cg_dir *pd = NULL;

		for (i = 0; i < parent->ndirs; i++) {
			if (parent->dir[i].version == CG_V2 && m.version == CG_V2)
				pd = &parent->dir[i];
			else if (m.version == CG_V1 &&
				 cg_has(parent->dir[i].controllers, controller))
				pd = &parent->dir[i];
		}
		if (!pd) {
			snprintf(call, 256, "cgroup %.100s: parent has no %.60s directory", name,
				 controller);
			errno = EINVAL;
			return -1;
		}
		base = pd->path;
	}
	if (snprintf(path, sizeof(path), "%s/%s", base, name) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		snprintf(call, 256, "cgroup path for %.200s", name);
		return -1;
	}
	if (m.version == CG_V2 && strcmp(controller, "cpuacct") != 0 &&
	    enable_v2(base, controller) < 0) {
		int saved = errno;

		snprintf(call, 256, "write +%.40s > %.180s/cgroup.subtree_control", controller,
			 base);
		errno = saved;
		return -1;
	}
	/* A hierarchy can carry several controllers (cpu,cpuacct; or all of them on v2). */
	for (i = 0; i < cg->ndirs; i++) {
		if (strcmp(cg->dir[i].path, path) == 0) {
			size_t len = strlen(cg->dir[i].controllers);

			snprintf(cg->dir[i].controllers + len, sizeof(cg->dir[i].controllers) - len,
				 " %s", controller);
			return 0;
		}
	}
	if (cg->ndirs >= CG_MAX_DIRS) {
		errno = E2BIG;
		snprintf(call, 256, "cgroup %.200s: too many hierarchies", name);
		return -1;
	}
	/* Processes still inside: another run of the same lab is using it. Leave it alone. */
	if (access(path, F_OK) == 0 && populated(path)) {
		snprintf(call, 256, "mkdir %.200s (in use: another run of this lab?)", path);
		errno = EBUSY;
		return -1;
	}
	remove_stale(path);
	/* Count the directory before mkdir: a signal right after mkdir must still remove it
	 * (cg_remove skips a directory that does not exist). */
	cg->dir[i].version = m.version;
	snprintf(cg->dir[i].controllers, sizeof(cg->dir[i].controllers), "%s", controller);
	snprintf(cg->dir[i].path, sizeof(cg->dir[i].path), "%s", path);
	cg->ndirs = i + 1;
	if (mkdir(path, 0755) < 0) {
		int saved = errno;

		cg->ndirs = i;
		snprintf(call, 256, "mkdir %.240s", path);
		errno = saved;
		return -1;
	}
	return 0;
}

int cg_create(struct cg *cg, const struct cg *parent, const char *name, const char *controllers,
	      char call[256])
{
	char ctrl[64];
	const char *p = controllers;

	memset(cg, 0, sizeof(*cg));
	on_cleanup(cg_remove, cg);
	while (*p) {
		size_t n = strcspn(p, " ");

		if (n > 0 && n < sizeof(ctrl)) {
			memcpy(ctrl, p, n);
			ctrl[n] = '\0';
			if (add_dir(cg, parent, name, ctrl, call) < 0)
				return -1;
		}
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}
