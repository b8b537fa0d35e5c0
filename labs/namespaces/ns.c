/* ns.c - clone(2) a child into new namespaces and run a command there.
 *
 * Mechanism: namespaces. clone(2) with CLONE_NEW* flags starts a child with its own view of
 * process IDs, mounts, hostname, IPC objects, network, user IDs, cgroup root and clocks.
 * What it does: the parent prints its PID and the child's PID as the host sees it; the child
 * prints its own PID (1 with -p), sets up what the flags ask (private mounts, a fresh /proc, a
 * hostname, a new root, ID maps, clock offsets) and runs CMD (default /bin/sh).
 * Outcome: the exit status is CMD's (128+N when signal N killed it). As an ordinary user without
 * -U: "ns: clone: Operation not permitted", exit 1 (new namespaces need CAP_SYS_ADMIN).
 * Needs: root, or -U where unprivileged user namespaces are allowed; -T needs Linux 5.6.
 * Read next: namespaces(7), clone(2), pid_namespaces(7), user_namespaces(7), pivot_root(2).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* Linux 5.6; older headers lack it */
#endif

#define STACK_SIZE (1024 * 1024)

/* One row per namespace kind: its option, its clone flag, its name under /proc/PID/ns/. */
static const struct nskind {
	char opt;
	int flag;
	const char *name;
	const char *flagname;
} kinds[] = {
	{'p', CLONE_NEWPID, "pid", "CLONE_NEWPID"},
	{'m', CLONE_NEWNS, "mnt",
	 "CLONE_NEWNS"}, /* the first namespace (2002): "NS" meant mounts */
	{'u', CLONE_NEWUTS, "uts", "CLONE_NEWUTS"},
	{'i', CLONE_NEWIPC, "ipc", "CLONE_NEWIPC"},
	{'n', CLONE_NEWNET, "net", "CLONE_NEWNET"},
	{'U', CLONE_NEWUSER, "user", "CLONE_NEWUSER"},
	{'C', CLONE_NEWCGROUP, "cgroup", "CLONE_NEWCGROUP"},
	{'T', CLONE_NEWTIME, "time", "CLONE_NEWTIME"},
};

struct opts {
	int flags; /* the CLONE_NEW* flags asked for, CLONE_NEWTIME included */
	long offset;
	const char *hostname;
	const char *rootfs;
	bool use_chroot;
	char **argv;
	int sync[2]; /* the parent writes one byte when the child may go on */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]... [--] [CMD [ARG]...]\n"
		"Clone a child into new namespaces and run CMD there (default /bin/sh).\n\n"
		"  -p, --pid          new PID namespace: the child is PID 1\n"
		"  -m, --mount        new mount namespace; all mounts made private first\n"
		"                     (with -p, a fresh /proc is mounted: ps shows only the "
		"child's tree)\n"
		"  -u, --uts          new UTS namespace (hostname)\n"
		"  -i, --ipc          new IPC namespace (POSIX message queues, System V IPC)\n"
		"  -n, --net          new network namespace (only lo, down)\n"
		"  -U, --user         new user namespace: uid/gid 0 inside = the caller outside\n"
		"  -C, --cgroup       new cgroup namespace: the current cgroup becomes /\n"
		"  -T, --time         new time namespace (see --offset)\n"
		"      --offset SECS  with -T: CLOCK_MONOTONIC and CLOCK_BOOTTIME run SECS ahead\n"
		"  -H, --hostname NAME  with -u: set the hostname inside\n"
		"  -r, --root DIR     with -m: pivot_root into DIR (scripts/mkrootfs builds one)\n"
		"      --chroot       with -r: chroot(2) instead of pivot_root(2) (escapable)\n"
		"  -v, --verbose      narrate each step: flags, inodes, ID maps, mounts\n"
		"  -h, --help         this help\n\n"
		"Exit status: CMD's, 128+N if signal N killed it, 127 if CMD cannot be run,\n"
		"1 if a namespace cannot be created, 2 for usage, 77 if this machine cannot.\n",
		progname);
}

/* --- the child: runs in the new namespaces, on the stack the parent gave it --------------- */

static void mount_proc(const char *target)
{
	if (mkdir(target, 0555) == -1 && errno != EEXIST)
		die("mkdir proc");
	/* A proc mount shows the PID namespace of the process that mounts it. */
	if (mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == -1)
		die("mount proc");
	say("child: mounted a new proc on %s: it lists only this PID namespace", target);
}

/* -r: make DIR the child's root. */
static void enter_root(const struct opts *o)
{
	/* pivot_root(2) wants the new root to be a mount point: bind DIR onto itself. */
	if (mount(o->rootfs, o->rootfs, NULL, MS_BIND | MS_REC, NULL) == -1)
		die("mount --bind ROOT");
	if (chdir(o->rootfs) == -1)
		die("chdir ROOT");
	/* Mount proc while the old /proc is still visible: inside a user namespace the kernel
	 * allows a new proc only where one is already fully visible. */
	if ((o->flags & CLONE_NEWPID))
		mount_proc("proc");
	if (o->use_chroot) {
		/* chroot only changes where path lookup starts; the old tree is still mounted. */
		if (chroot(".") == -1)
			die("chroot");
		say("child: chroot into %s (the old root is still mounted above it)", o->rootfs);
	} else {
		/* pivot_root(".", "."): the old root ends up stacked on top of "."; detaching it
		 * leaves DIR as the only tree this mount namespace has. */
		if (syscall(SYS_pivot_root, ".", ".") == -1) {
			if (errno == EINVAL)
				warnf("pivot_root fails with EINVAL when / is the initramfs: try "
				      "--chroot");
			die("pivot_root");
		}
		if (umount2(".", MNT_DETACH) == -1)
			die("umount2 old root");
		say("child: pivot_root into %s, old root detached", o->rootfs);
	}
	if (chdir("/") == -1)
		die("chdir /");
}

static double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* clone(2) or unshare(2) failed: is it the lesson (no privilege) or this machine? */
static _Noreturn void ns_failed(const char *call, int flags)
{
	int err = errno;

	if (err == EINVAL)
		unsupported("check the kernel config for CONFIG_*_NS (time namespaces: Linux 5.6)",
			    "%s: %s: the kernel lacks a namespace kind asked for", call,
			    strerror(err));
	if (err == ENOSPC || err == EUSERS)
		unsupported("see the user.max_*_namespaces sysctls",
			    "%s: %s: the namespace limit is reached or set to 0", call,
			    strerror(err));
	if (err == EPERM && (flags & CLONE_NEWUSER) && geteuid() != 0)
		unsupported(
			"Debian: sysctl kernel.unprivileged_userns_clone=1; Ubuntu 24.04: sysctl "
			"kernel.apparmor_restrict_unprivileged_userns=0; or run as root",
			"%s: %s: unprivileged user namespaces are disabled here", call,
			strerror(err));
	if (err == EPERM && geteuid() == 0)
		unsupported("run it on the host or in the lab VM (make vm)",
			    "%s: %s even as root: a container or sandbox forbids it", call,
			    strerror(err));
	errno = err;
	warn_errno(call);
	if (err == EPERM)
		fprintf(stderr,
			"%s: creating a namespace needs CAP_SYS_ADMIN: run it as root, or add -U "
			"(a new user namespace grants it inside)\n",
			progname);
	exit(EXIT_FAIL);
}

/* -T, in the child: clone(2) has no room for CLONE_NEWTIME (its bit is taken by the exit
 * signal), and unshare(CLONE_NEWTIME) moves only the caller's future children (its
 * /proc/self/ns/time_for_children). Clock offsets can be set only while no process is inside;
 * then setns(2) on time_for_children moves this very process in (setns into a time namespace
 * applies to the caller, which must be single-threaded). The child does it after -U because a
 * time namespace needs CAP_SYS_ADMIN in the user namespace that owns it: an ordinary user has
 * that only in a user namespace of its own. */
static void enter_time_ns(const struct opts *o)
{
	int fd;

	if (unshare(CLONE_NEWTIME) == -1)
		ns_failed("unshare(CLONE_NEWTIME)", o->flags);
	if (write_file("/proc/self/timens_offsets", "monotonic %ld 0\nboottime %ld 0\n", o->offset,
		       o->offset) == -1)
		die("write /proc/self/timens_offsets");
	fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		die("open /proc/self/ns/time_for_children");
	if (setns(fd, CLONE_NEWTIME) == -1)
		die("setns(time_for_children)");
	close(fd);
	say("child: unshare(CLONE_NEWTIME), offsets monotonic and boottime %+ld s, then "
	    "setns(time_for_children): this process is in the new time namespace",
	    o->offset);
}

static int child_main(void *arg)
{
	struct opts *o = arg;
	char go;

	/* Never outlive ns: if the parent dies (Ctrl-C, kill), the kernel sends us SIGKILL. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(o->sync[1]);
	/* Wait for the parent: it writes the ID maps (-U) and prints its lines first. */
	if (read(o->sync[0], &go, 1) != 1)
		_exit(EXIT_FAIL); /* the parent died before saying go */
	close(o->sync[0]);

	fprintf(stderr, "%s: child pid (own view): %ld\n", progname, (long)getpid());
	/* First, while the host's /proc is still the one mounted here. */
	if (o->flags & CLONE_NEWTIME)
		enter_time_ns(o);
	if (o->hostname) {
		if (sethostname(o->hostname, strlen(o->hostname)) == -1)
			die("sethostname");
		say("child: hostname set to %s (only in this UTS namespace)", o->hostname);
	}
	if (o->flags & CLONE_NEWNS) {
		/* A copy of the mount tree keeps each mount's propagation: on a systemd host / is
		 * shared, and a mount made here would show up on the host. Make them private. */
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
			die("mount --make-rprivate /");
		say("child: made every mount private (MS_REC|MS_PRIVATE): nothing propagates out");
	}
	if (o->rootfs)
		enter_root(o);
	else if ((o->flags & CLONE_NEWPID) && (o->flags & CLONE_NEWNS))
		mount_proc("/proc");
	if (o->flags & CLONE_NEWTIME)
		fprintf(stderr, "%s: child CLOCK_MONOTONIC: %.3f s (offset %+ld s)\n", progname,
			monotonic_seconds(), o->offset);

	fprintf(stderr, "%s: running: %s\n", progname, o->argv[0]);
	fflush(stderr);
	execvp(o->argv[0], o->argv);
	fprintf(stderr, "%s: execvp %s: %s\n", progname, o->argv[0], strerror(errno));
	_exit(127);
}

/* --- the parent -------------------------------------------------------------------------- */

/* Is CAP (a CAP_* number) in this process's effective set? capget(2), without libcap. */
static bool have_cap(int cap)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data) == -1)
		die("capget");
	return data[cap / 32].effective & (1U << (cap % 32));
}

/* -U: the child's uid and gid 0 become the caller's. A writer without CAP_SETGID (here, in
 * our own user namespace, the parent of the child's) must first give up setgroups(2) in the
 * child's namespace, or it could drop supplementary groups it was denied by; the kernel
 * refuses its gid_map otherwise. Root keeps setgroups allowed, as a container needs it. */
static void write_id_maps(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%ld/setgroups", (long)pid);
	if (!have_cap(CAP_SETGID)) {
		if (write_file(path, "deny") == -1)
			die("write setgroups");
		say("parent: wrote %s: deny (no CAP_SETGID here)", path);
	}
	snprintf(path, sizeof(path), "/proc/%ld/uid_map", (long)pid);
	if (write_file(path, "0 %ld 1\n", (long)geteuid()) == -1)
		die("write uid_map");
	say("parent: wrote %s: 0 %ld 1", path, (long)geteuid());
	snprintf(path, sizeof(path), "/proc/%ld/gid_map", (long)pid);
	if (write_file(path, "0 %ld 1\n", (long)getegid()) == -1)
		die("write gid_map");
	say("parent: wrote %s: 0 %ld 1", path, (long)getegid());
}

static unsigned long ns_inode(const char *pid, const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, name);
	return stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

/* -v: the flags as the clone(2) call spells them. */
static void narrate_flags(int clone_flags)
{
	char buf[256] = "";

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (clone_flags & kinds[i].flag) {
			strcat(buf, kinds[i].flagname);
			strcat(buf, " | ");
		}
	say("parent: clone(child_main, stack top, %sSIGCHLD, &opts)", buf);
	say("parent: (SIGCHLD is the signal the parent gets when the child exits)");
}

/* -v: each namespace's inode for the parent and the child: the same inode, the same namespace. */
static void narrate_inodes(pid_t child, int flags)
{
	char cpid[24];

	snprintf(cpid, sizeof(cpid), "%ld", (long)child);
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		unsigned long p = ns_inode("self", kinds[i].name);
		unsigned long c = ns_inode(cpid, kinds[i].name);

		if (kinds[i].flag == CLONE_NEWTIME && (flags & CLONE_NEWTIME)) {
			say("%-6s parent %lu  child: enters a new one itself (-T)", kinds[i].name,
			    p);
			continue;
		}
		say("%-6s parent %lu  child %lu  %s", kinds[i].name, p, c,
		    p == c ? "shared" : "new");
	}
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"pid", no_argument, NULL, 'p'},
		{"mount", no_argument, NULL, 'm'},
		{"uts", no_argument, NULL, 'u'},
		{"ipc", no_argument, NULL, 'i'},
		{"net", no_argument, NULL, 'n'},
		{"user", no_argument, NULL, 'U'},
		{"cgroup", no_argument, NULL, 'C'},
		{"time", no_argument, NULL, 'T'},
		{"offset", required_argument, NULL, 'o'},
		{"hostname", required_argument, NULL, 'H'},
		{"root", required_argument, NULL, 'r'},
		{"chroot", no_argument, NULL, 'c'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static char *default_cmd[] = {"/bin/sh", NULL};
	bool offset_set = false;
	int c;

	/* '+': stop at the first non-option, so "ns -p ps -ef" passes -ef to ps; ':': we report
	 * bad options ourselves, in the suite's one-line form. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:pmuinUCTH:r:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			/* Ten years either way; the kernel refuses a clock that would go negative. */
			if (parse_long(optarg, -315360000L, 315360000L, &o->offset) == -1)
				usage_error("--offset: '%s' is not a number of seconds", optarg);
			offset_set = true;
			break;
		case 'H':
			o->hostname = optarg;
			break;
		case 'r':
			o->rootfs = optarg;
			break;
		case 'c':
			o->use_chroot = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		default:
			for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
				if (c == kinds[i].opt)
					o->flags |= kinds[i].flag;
			if (c == ':' || c == '?')
				bad_option(c, argv);
		}
	}
	if (o->hostname && !(o->flags & CLONE_NEWUTS))
		usage_error("-H needs -u: without a UTS namespace it would rename the host");
	if (o->rootfs && !(o->flags & CLONE_NEWNS))
		usage_error(
			"-r needs -m: the new root is mounted in the child's own mount namespace");
	if (o->use_chroot && !o->rootfs)
		usage_error("--chroot needs -r DIR");
	if (offset_set && !(o->flags & CLONE_NEWTIME))
		usage_error("--offset needs -T");
	if (o->rootfs && access(o->rootfs, X_OK) == -1)
		dief("root %s: %s", o->rootfs, strerror(errno));
	o->argv = optind < argc ? argv + optind : default_cmd;
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	char *stack, go = 'g';
	int status, clone_flags;
	pid_t pid;

	prog_init(argv[0]);
	parse_args(argc, argv, &o);

	clone_flags = o.flags & ~CLONE_NEWTIME; /* the child enters it itself: enter_time_ns */
	if (pipe2(o.sync, O_CLOEXEC) == -1)
		die("pipe2");

	/* clone(2) starts the child on a stack we provide. Stacks grow down on the machines this
	 * runs on (x86, arm64), so the child gets the top address of the mapping. */
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		die("mmap stack");
	if (verbose)
		narrate_flags(clone_flags);
	pid = clone(child_main, stack + STACK_SIZE, clone_flags | SIGCHLD, &o);
	if (pid == -1)
		ns_failed("clone", clone_flags);
	close(o.sync[0]);

	/* ns's own lines go to stderr: CMD's output stays alone on stdout. */
	fprintf(stderr, "%s: parent pid: %ld\n", progname, (long)getpid());
	fprintf(stderr, "%s: child pid (parent's view): %ld\n", progname, (long)pid);
	if (o.flags & CLONE_NEWUSER)
		write_id_maps(pid); /* on error we exit, and PR_SET_PDEATHSIG ends the child */
	if (o.flags & CLONE_NEWTIME)
		fprintf(stderr, "%s: parent CLOCK_MONOTONIC: %.3f s\n", progname,
			monotonic_seconds());
	if (verbose)
		narrate_inodes(pid, o.flags);
	fflush(stderr);
	if (write(o.sync[1], &go, 1) != 1)
		die("write sync pipe");
	close(o.sync[1]);

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			die("waitpid");
	if (WIFSIGNALED(status)) {
		say("parent: child killed by signal %d (%s)", WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	say("parent: child exited with status %d", WEXITSTATUS(status));
	return WEXITSTATUS(status);
}
