/* rofs.c - a read-only root with a writable /tmp, as `docker run --read-only --tmpfs /tmp`.
 *
 * Mechanism: mount namespaces and per-mount flags: a read-only bind remount changes one mount.
 * What it does: a child unshares its mount namespace, makes every mount private, bind-remounts
 * its copy of / read-only (MS_BIND|MS_REMOUNT|MS_RDONLY), mounts a tmpfs on /tmp, then probes
 * (create, chmod, utimensat) or runs -- CMD; -r: the whole tree, /dev/shm too (Linux 5.12).
 * Outcome: "inside: create /cseclab-rofs-PID: Read-only file system (EROFS)", "inside: write
 * /tmp/cseclab-rofs: ok", "host: create /cseclab-rofs-PID: ok (host root still writable)";
 * exit 0 when all of that holds, 1 otherwise.
 * Needs: root (CAP_SYS_ADMIN) and mount namespaces.
 * Read next: mount_namespaces(7), mount(2), mount_setattr(2).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char probe[64]; /* /cseclab-rofs-PID: the file each side tries to create on / */

/* Report one attempt: "inside: chmod /: Read-only file system (EROFS)". True if it went as
 * WANT_ERRNO says (0: must succeed). */
static bool expect(const char *where, const char *what, int rc, int want_errno)
{
	int e = rc ? errno : 0;

	if (e)
		printf("%s: %s: %s (%s)\n", where, what, strerror(e),
		       e == EROFS ? "EROFS" : "unexpected");
	else
		printf("%s: %s: ok\n", where, what);
	return e == want_errno;
}

static int try_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	if (write(fd, "cseclab\n", 8) != 8) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return unlink(path);
}

/* The container's view: content and metadata of / are frozen, /tmp is scratch space. */
static bool probes_inside(void)
{
	struct timespec times[2];
	struct stat st;
	char what[96];
	bool ok = true;

	if (stat("/", &st))
		die("stat /");
	snprintf(what, sizeof(what), "create %s", probe);
	ok &= expect("inside", what, try_create(probe), EROFS);
	/* Same mode and times as now: harmless if it ever succeeded, and still a write. */
	ok &= expect("inside", "chmod /", chmod("/", st.st_mode & 07777), EROFS);
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	ok &= expect("inside", "utimensat /", utimensat(AT_FDCWD, "/", times, 0), EROFS);
	ok &= expect("inside", "write /tmp/cseclab-rofs", try_create("/tmp/cseclab-rofs"), 0);
	return ok;
}

/* In the child: new mount namespace, read-only root (RECURSIVE: and every mount below it), tmpfs
 * /tmp. */
static void make_readonly_root(bool recursive)
{
	if (unshare(CLONE_NEWNS))
		die("unshare(CLONE_NEWNS)");
	/* Without this, on a shared root (systemd's default) our mounts would appear on the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("mount MS_PRIVATE /");
	if (recursive) {
		/* One call for the whole tree: /, /dev/shm, /proc, /sys/fs/cgroup... (5.12+). */
		struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};

		if (mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &attr, sizeof(attr))) {
			if (errno == ENOSYS)
				unsupported(
					"-r needs a newer kernel; without -r only / is read-only",
					"mount_setattr(2) needs Linux 5.12");
			die("mount_setattr / AT_RECURSIVE MOUNT_ATTR_RDONLY");
		}
	} else if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL)) {
		/* A bind remount changes only this mount's flags: our copy of /, not the ext4 itself,
		 * and not the mounts below it (/dev/shm, /proc, /sys...). */
		die("mount MS_BIND|MS_REMOUNT|MS_RDONLY /");
	}
	/* --tmpfs /tmp: a fresh writable filesystem over the read-only one. */
	if (mount("cseclab-tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=1777"))
		die("mount tmpfs /tmp");
	printf("inside: %s, tmpfs on /tmp (private mount namespace)\n",
	       recursive ? "/ and every mount below it read-only" : "/ remounted read-only");
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-r] [-- CMD [ARG]...]\n"
		"Show a read-only root with a writable tmpfs /tmp in a private mount namespace,\n"
		"and that the host's root stays writable. With CMD, run CMD inside instead.\n"
		"\n"
		"  -r, --recursive  make every mount below / read-only too (mount_setattr,\n"
		"                   AT_RECURSIVE), not only the / mount\n"
		"  -h, --help       this text\n",
		progname);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"recursive", no_argument, NULL, 'r'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	bool host_ok, recursive = false;
	char what[96];
	int c, status;
	pid_t pid;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, "+:rh", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			recursive = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	require_root("mount namespaces and remounts need CAP_SYS_ADMIN");
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(probe, sizeof(probe), "/cseclab-rofs-%d", getpid());

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		make_readonly_root(recursive);
		if (optind < argc) {
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "%s: execvp %s: %s\n", progname, argv[optind],
				strerror(errno));
			_exit(errno == ENOENT ? 127 : 126);
		}
		_exit(probes_inside() ? EXIT_OK : EXIT_FAIL);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (optind < argc)
		return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

	/* Back on the host: the same path on the same ext4, through the host's own mount. */
	snprintf(what, sizeof(what), "create %s", probe);
	host_ok = expect("host", what, try_create(probe), 0);
	if (host_ok)
		printf("host: / still writable (the read-only flag was on the namespace's "
		       "mount)\n");
	if (!WIFEXITED(status) || WEXITSTATUS(status) == EXIT_UNSUPPORTED)
		return WIFEXITED(status) ? EXIT_UNSUPPORTED : EXIT_FAIL;
	return WEXITSTATUS(status) == EXIT_OK && host_ok ? EXIT_OK : EXIT_FAIL;
}
