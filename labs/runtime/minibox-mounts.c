/* minibox-mounts.c - build the container's file system and pivot_root into it.
 *
 * A part of minibox (minibox-mounts.h). In order, as runc does it:
 *   1. every mount private: the copy of the host's mount tree that clone(CLONE_NEWNS) made
 *      keeps its propagation, and a mount made here would otherwise show up on the host;
 *   2. root.path bound onto itself: pivot_root(2) wants the new root to be a mount point;
 *   3. config.json's mounts, in their order (proc, tmpfs on /dev, devpts, sysfs, cgroup...);
 *   4. the /dev nodes every container has (null, zero, full, tty, random, urandom): mknod(2),
 *      or, in a user namespace where mknod is refused, bind mounts of the host's nodes;
 *   5. pivot_root(".", ".") and a lazy unmount of the old root stacked under it.
 * Each target inside the root is opened with openat2(RESOLVE_IN_ROOT): a symlink planted in the
 * rootfs ("/dev -> /etc") resolves inside the rootfs, never to the host's file; the mount then
 * goes onto /proc/self/fd/N, the very directory that was checked.
 */
#define _GNU_SOURCE
#include "minibox-mounts.h"
#include "cgroup.h"
#include "cseclab.h"
#include "minibox-timing.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int root_fd = -1;

/* PATH (absolute, in the container) opened O_PATH with the rootfs as "/", made if missing:
 * the directories on the way, and the last component as a FILE or a directory. */
static int open_in_root(const char *path, bool file)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT};
	char buf[PATH_MAX];
	int fd = -1;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char end = *p;
		*p = '\0';
		if (fd >= 0)
			close(fd);
		fd = (int)syscall(SYS_openat2, root_fd, buf, &how, sizeof(how));
		if (fd < 0 && errno == ENOENT) {
			char *slash = strrchr(buf, '/');
			*slash = '\0';
			int dir = (int)syscall(SYS_openat2, root_fd, buf[0] ? buf : "/", &how,
					       sizeof(how));
			*slash = '/';
			if (dir < 0)
				die(path);
			if (end == '\0' && file) {
				int f = openat(dir, slash + 1, O_CREAT | O_WRONLY | O_CLOEXEC,
					       0644);
				if (f >= 0)
					close(f);
			} else {
				mkdirat(dir, slash + 1, 0755);
			}
			close(dir);
			fd = (int)syscall(SYS_openat2, root_fd, buf, &how, sizeof(how));
		}
		if (fd < 0)
			die(path);
		*p = end;
		if (end == '\0')
			return fd;
	}
}

/* "/proc/self/fd/N": the path of what FD stands for, which mount(2) follows. */
static const char *fd_path(int fd, char buf[32])
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
	return buf;
}

/* mount(2) onto the directory or file FD stands for. */
static void mount_fd(const char *src, int fd, const char *type, unsigned long flags,
		     const char *data, const char *dest)
{
	char target[32], call[PATH_MAX + 64];

	if (mount(src, fd_path(fd, target), type, flags, data) < 0) {
		snprintf(call, sizeof(call), "mount %s%s%s on %s", type ? "-t " : "",
			 type ? type : "", flags & MS_REMOUNT ? " -o remount" : "", dest);
		die(call);
	}
}

/* A bind mount's options take a second call, MS_REMOUNT | MS_BIND. In a user namespace the
 * kernel locks the flags a mount had when it was inherited (nosuid, nodev, noexec, ro, the atime
 * mode): asking for fewer is EPERM. Then ask again with the locked ones kept, as runc does. */
static void remount_bind(const char *target, unsigned long flags, const char *dest)
{
	struct statvfs st;

	flags |= MS_BIND | MS_REMOUNT;
	if (mount(NULL, target, NULL, flags, NULL) == 0)
		return;
	if (errno != EPERM || statvfs(target, &st) < 0)
		die(dest);
	/* ST_* and MS_* share their values for these flags (statvfs(3)). */
	flags |= st.f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY | MS_NOATIME |
			      MS_NODIRATIME | MS_RELATIME);
	say("mounts: %s: remount refused, again with the flags the kernel locked", dest);
	if (mount(NULL, target, NULL, flags, NULL) < 0)
		die(dest);
}

/* type "cgroup" (runc spec's /sys/fs/cgroup). v2: one cgroup2 mount (with a cgroup namespace
 * it shows the container's cgroup as its root). v1 without a cgroup namespace: a tmpfs with a
 * bind of the container's directory in each hierarchy, read-only when asked; with one, a
 * cgroup mount per hierarchy. A co-mounted "cpu,cpuacct" gets the links cpu and cpuacct. */
static void mount_cgroup(const struct mb_config *c, const struct mb_mount *m, int fd, mode_t mode)
{
	struct cg_mount h[32];
	int n = cg_mounts(h, 32);
	char dest[PATH_MAX], src[PATH_MAX + 300], buf[32], *base;

	if (n == 1 && h[0].version == CG_V2) {
		if (mount("cgroup", fd_path(fd, buf), "cgroup2", m->flags,
			  m->data[0] ? m->data : NULL) == 0)
			return;
		if (errno != EPERM && errno != EBUSY)
			die(m->dest);
		/* A user namespace without a cgroup namespace may not mount cgroup2 (it would
		 * show cgroups its root does not own): bind the host's tree, as runc does. */
		mount_fd(h[0].path, fd, NULL, MS_BIND | MS_REC, NULL, m->dest);
		int top = open_in_root(m->dest, false);
		remount_bind(fd_path(top, buf), m->flags & ~(MS_BIND | MS_REC), m->dest);
		close(top);
		return;
	}
	mount_fd("tmpfs", fd, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755", m->dest);
	/* runc 1.1 gives it the mode of the directory it covers (sysfs's: r-xr-xr-x). */
	int top = open_in_root(m->dest, false);
	if (mode && chmod(fd_path(top, buf), mode) < 0)
		die("chmod cgroup tmpfs");
	close(top);
	for (int i = 0; i < n; i++) {
		if (h[i].version != CG_V1)
			continue; /* runc 1.1 leaves the hybrid's empty v2 tree out */
		base = strrchr(h[i].path, '/') + 1;
		snprintf(dest, sizeof(dest), "%s/%s", m->dest, base);
		int sub = open_in_root(dest, false);
		if (c->ns & CLONE_NEWCGROUP) {
			bool named = !strcmp(base, "systemd");
			mount_fd(named ? "systemd" : "cgroup", sub, "cgroup",
				 MS_NOSUID | MS_NODEV | MS_NOEXEC | (m->flags & MS_RDONLY),
				 named ? "name=systemd" : base, dest);
		} else {
			snprintf(src, sizeof(src), "%s/%s", h[i].path, c->cgroup);
			mount_fd(src, sub, NULL, MS_BIND | MS_REC, NULL, dest);
			close(sub);
			sub = open_in_root(dest, false); /* the new mount, not the dir under it */
			remount_bind(fd_path(sub, buf), m->flags & ~(MS_BIND | MS_REC), dest);
		}
		close(sub);
		if (!strchr(base, ','))
			continue;
		int dir = open_in_root(m->dest, false);
		for (char *s = base, *e; *s; s = *e ? e + 1 : e) {
			char link[64];
			e = s + strcspn(s, ",");
			snprintf(link, sizeof(link), "%.*s", (int)(e - s), s);
			if (symlinkat(base, dir, link) < 0 && errno != EEXIST)
				die("symlink cgroup controller");
		}
		close(dir);
	}
}

static void mount_one(const struct mb_config *c, const struct mb_mount *m)
{
	bool bind = m->flags & MS_BIND;
	struct stat st;
	bool is_file = bind && stat(m->src_path, &st) == 0 && !S_ISDIR(st.st_mode);
	char buf[32];
	int fd;

	/* runc 1.1: a tmpfs on an existing directory keeps that directory's mode. */
	struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT};
	int old = (int)syscall(SYS_openat2, root_fd, m->dest, &how, sizeof(how));
	bool existed = old >= 0 && fstat(old, &st) == 0;
	if (old >= 0)
		close(old);

	fd = open_in_root(m->dest, is_file);
	if (!strcmp(m->type, "cgroup"))
		mount_cgroup(c, m, fd, existed ? st.st_mode & 07777 : 0);
	else if (bind)
		mount_fd(m->src_path, fd, NULL, MS_BIND | (m->flags & MS_REC), NULL, m->dest);
	else
		mount_fd(m->source, fd, m->type, m->flags & ~MS_REC, m->data[0] ? m->data : NULL,
			 m->dest);
	/* FD still names the directory under the new mount: open the mount itself. */
	close(fd);
	fd = open_in_root(m->dest, is_file);
	if (bind && ((m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) || m->cleared))
		remount_bind(fd_path(fd, buf), m->flags & ~(MS_BIND | MS_REC), m->dest);
	if (!strcmp(m->type, "tmpfs") && existed && chmod(fd_path(fd, buf), st.st_mode & 07777) < 0)
		die("chmod tmpfs");
	if (m->propagation)
		mount_fd(NULL, fd, NULL, m->propagation, NULL, m->dest);
	close(fd);
}

/* The device nodes of every container, and the links around them. */
static void make_dev(const struct mb_config *c)
{
	static const struct {
		const char *name;
		unsigned maj, min;
	} nodes[] = {{"null", 1, 3}, {"zero", 1, 5},   {"full", 1, 7},
		     {"tty", 5, 0},  {"random", 1, 8}, {"urandom", 1, 9}};
	static const char *const links[][2] = {
		{"/proc/self/fd", "fd"},       {"/proc/self/fd/0", "stdin"},
		{"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
		{"pts/ptmx", "ptmx"},
	};
	mode_t old = umask(0);
	int dev = open_in_root("/dev", false);
	char host[32], dest[32];

	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++) {
		snprintf(dest, sizeof(dest), "/dev/%s", nodes[i].name);
		/* A user namespace's root may not mknod: the kernel refuses (EPERM) a node that
		 * would open a device of the host. A bind of the host's node is allowed. */
		if (!(c->ns & CLONE_NEWUSER)) {
			if (mknodat(dev, nodes[i].name, S_IFCHR | 0666,
				    makedev(nodes[i].maj, nodes[i].min)) == 0 ||
			    errno == EEXIST)
				continue;
			if (errno != EPERM)
				die("mknod");
		}
		snprintf(host, sizeof(host), "/dev/%s", nodes[i].name);
		int fd = open_in_root(dest, true);
		mount_fd(host, fd, NULL, MS_BIND, NULL, dest);
		close(fd);
	}
	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		if (symlinkat(links[i][0], dev, links[i][1]) < 0 && errno != EEXIST)
			die("symlink /dev");
	if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", dev, "core") < 0 &&
	    errno != EEXIST)
		die("symlink /dev/core");
	close(dev);
	umask(old);
}

void mounts_setup(const struct mb_config *c)
{
	bool dev_bound = false;

	stage_start(ST_MOUNTS);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("mount --make-rprivate /");
	if (mount(c->rootfs, c->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("mount --rbind root.path");
	root_fd = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		die("open root.path");
	for (int i = 0; i < c->nmounts; i++) {
		mount_one(c, &c->mounts[i]);
		if (!strcmp(c->mounts[i].dest, "/dev") && (c->mounts[i].flags & MS_BIND))
			dev_bound = true;
	}
	if (!dev_bound)
		make_dev(c);
	stage_stop(ST_MOUNTS);

	/* pivot_root(".", "."): the old root ends up stacked on "."; its lazy unmount leaves the
	 * rootfs as the only tree of this mount namespace (pivot_root(2), NOTES). */
	stage_start(ST_PIVOT);
	if (fchdir(root_fd) < 0)
		die("chdir root.path");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die("pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		die("umount2 old root");
	if (chdir("/") < 0)
		die("chdir /");
	close(root_fd);
	stage_stop(ST_PIVOT);
}

/* A bind of PATH onto itself, remounted read-only; nosuid, nodev and noexec kept. */
static void readonly_path(const char *path)
{
	struct statvfs st;

	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return; /* runc: a path this kernel does not have is fine */
		die(path);
	}
	if (statvfs(path, &st) < 0)
		die(path);
	if (mount(NULL, path, NULL,
		  MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC |
			  (st.f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC)),
		  NULL) < 0)
		die(path);
}

/* A directory gets an empty read-only tmpfs over it, a file /dev/null. */
static void mask_path(const char *path)
{
	if (mount("/dev/null", path, NULL, MS_BIND, NULL) == 0)
		return;
	if (errno == ENOTDIR && mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) == 0)
		return;
	if (errno != ENOENT)
		die(path);
}

void mounts_finalize(const struct mb_config *c)
{
	for (int i = 0; i < c->nmounts; i++) {
		const struct mb_mount *m = &c->mounts[i];

		if ((m->flags & MS_RDONLY) && !(m->flags & MS_BIND) &&
		    (!strcmp(m->dest, "/dev") || !strcmp(m->type, "tmpfs")) &&
		    mount(NULL, m->dest, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | m->flags, NULL) <
			    0)
			die(m->dest);
	}
	if (c->root_readonly)
		remount_bind("/", MS_RDONLY, "/");
	for (int i = 0; i < c->nreadonly; i++)
		readonly_path(c->readonly[i]);
	for (int i = 0; i < c->nmasked; i++)
		mask_path(c->masked[i]);
}
