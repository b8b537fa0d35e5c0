/* scprobe.c - try many system calls with harmless arguments and print what the kernel answered.
 *
 * Mechanism: none of its own; it is the eye of the seccomp labs.
 * What it does: each probe is a raw syscall(2) with arguments that make it fail or do nothing
 * (a missing path, fd -1, an invalid size): without a filter the kernel's answer shows (ENOENT,
 * EBADF, EINVAL...), under one the refusal (EPERM, ENOSYS); each run is the other's control.
 * Outcome: one "NAME: ok" or "NAME: errno ENAME" line per probe, exit 0 (2 for an unknown NAME).
 * Under Docker's default profile with Docker's capabilities: "unshare: errno EPERM", "clone3:
 * errno ENOSYS"; without a filter: "unshare: ok", "clone3: errno EINVAL".
 * Needs: nothing; built static so it also runs in a FROM scratch image (the docker lane).
 * Read next: syscall(2), seccomp(2), and Docker's default profile.
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Syscalls newer than some C libraries' headers: numbers from the kernel's unified table
 * (the same on x86_64, arm64 and the other modern architectures). */
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_cachestat
#define SYS_cachestat 451
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef SYS_mseal
#define SYS_mseal 462
#endif

#define NOPATH "/nonexistent-cseclab-probe" /* never created: path lookups fail with ENOENT */

struct probe {
	const char *name;
	long nr;
	long arg[6];
	bool returns_fd; /* close what it opened */
};

static size_t probes(struct probe *p)
{
	const long path = (long)NOPATH;
	const long self = getpid();
	size_t n = 0;

#define PROBE(name, nr, ...)	(p[n++] = (struct probe){name, nr, {__VA_ARGS__}, false})
#define PROBE_FD(name, nr, ...) (p[n++] = (struct probe){name, nr, {__VA_ARGS__}, true})
	/* Always allowed by Docker's default */
	PROBE("getppid", SYS_getppid, 0);
	PROBE("read", SYS_read, -1, 0, 0);
	PROBE("write", SYS_write, -1, 0, 0);
	PROBE_FD("openat", SYS_openat, AT_FDCWD, (long)"/", O_RDONLY | O_DIRECTORY);
	PROBE("faccessat2", SYS_faccessat2, AT_FDCWD, (long)"/", F_OK, 0);
	PROBE_FD("socket", SYS_socket, AF_INET, SOCK_STREAM, 0);
	PROBE("listen", SYS_listen, -1, 0);
	PROBE("personality", SYS_personality, 0xffffffffL);
	/* The chmod family: refused by default-no-chmod.json */
	PROBE("chmod", SYS_chmod, path, 0644);
	PROBE("fchmod", SYS_fchmod, -1, 0644);
	PROBE("fchmodat", SYS_fchmodat, AT_FDCWD, path, 0644);
	PROBE("fchmodat2", SYS_fchmodat2, AT_FDCWD, path, 0644, 0);
	/* Process creation: clone with a harmless invalid flag set (CLONE_SIGHAND without
	 * CLONE_VM is EINVAL), then with a namespace flag that Docker's mask refuses. */
	PROBE("clone", SYS_clone, CLONE_SIGHAND);
	PROBE("clone-newns", SYS_clone, CLONE_SIGHAND | CLONE_NEWNS);
	PROBE("clone3", SYS_clone3, 0, 0); /* size 0: EINVAL from the kernel */
	/* Needs CAP_SYS_ADMIN in Docker's default */
	PROBE("unshare", SYS_unshare, 0); /* no flags: changes nothing */
	PROBE("setns", SYS_setns, -1, 0);
	PROBE("mount", SYS_mount, (long)"none", path, (long)"tmpfs", 0, 0);
	PROBE("umount2", SYS_umount2, path, 0);
	PROBE("sethostname", SYS_sethostname, 0, 1000); /* too long: EINVAL */
	PROBE("bpf", SYS_bpf, 1000, 0, 0);		/* no such command */
	PROBE("perf_event_open", SYS_perf_event_open, 0, 0, -1, -1, 0);
	PROBE("fanotify_init", SYS_fanotify_init, -1L, 0);
	PROBE("pivot_root", SYS_pivot_root, path, path);
	/* Refused outright by Docker's default */
	PROBE("keyctl", SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0);
	PROBE("add_key", SYS_add_key, 0, 0, 0, 0, 0);
	PROBE("userfaultfd", SYS_userfaultfd, -1L);
	/* Allowed with one capability (includes.caps) */
	PROBE("chroot", SYS_chroot, path);			/* CAP_SYS_CHROOT */
	PROBE("clock_settime", SYS_clock_settime, 0, 0);	/* CAP_SYS_TIME: EFAULT */
	PROBE("reboot", SYS_reboot, 0, 0, 0, 0);		/* CAP_SYS_BOOT: bad magic */
	PROBE("delete_module", SYS_delete_module, path + 1, 0); /* CAP_SYS_MODULE */
	PROBE("acct", SYS_acct, path);				/* CAP_SYS_PACCT */
	PROBE("ptrace", SYS_ptrace, 12 /* GETREGS */, 0, 0, 0); /* pid 0: ESRCH */
	PROBE("kcmp", SYS_kcmp, self, self, 0 /* KCMP_FILE */, -1, -1);
	PROBE("syslog", SYS_syslog, 10 /* SIZE_BUFFER */, 0, 0);     /* CAP_SYSLOG */
	PROBE("open_by_handle_at", SYS_open_by_handle_at, -1, 0, 0); /* CAP_DAC_READ_SEARCH */
	PROBE("get_mempolicy", SYS_get_mempolicy, 0, 0, 0, 0, 0);    /* CAP_SYS_NICE */
	/* io_uring: allowed by Docker 20.10, refused since Docker 25 */
	PROBE("io_uring_setup", SYS_io_uring_setup, 0, 0); /* 0 entries: EINVAL */
	PROBE("landlock_create_ruleset", SYS_landlock_create_ruleset, 0, 0, 1 /* VERSION */);
	/* Newer than Docker 20.10's profile: EPERM from its default action, ENOSYS under runc */
	PROBE("cachestat", SYS_cachestat, -1, 0, 0, 0);
	PROBE("mseal", SYS_mseal, 0, 0, 0); /* zero length: nothing sealed */
#undef PROBE
#undef PROBE_FD
	return n;
}

/* With REPEAT > 1 (labs/seccomp/bench), also the mean cost of one call in nanoseconds. */
static void run_probe(const struct probe *p, long repeat)
{
	struct timespec t0, t1;
	long rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < repeat; i++) {
		errno = 0;
		rc = syscall(p->nr, p->arg[0], p->arg[1], p->arg[2], p->arg[3], p->arg[4],
			     p->arg[5]);
		if (rc >= 0 && p->returns_fd)
			close((int)rc);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc < 0) {
		const char *name = strerrorname_np(errno);
		printf("%s: errno %s", p->name, name ? name : "?");
	} else {
		printf("%s: ok", p->name);
	}
	if (repeat > 1)
		printf(", %.1f ns/call",
		       ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) /
			       (double)repeat);
	putchar('\n');
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--list] [--repeat N] [NAME...]\n"
		"Try system calls with harmless arguments and print \"NAME: ok\" or\n"
		"\"NAME: errno ENAME\" for each (all of them without NAME).\n\n"
		"  -l, --list      the probe names\n"
		"  -r, --repeat N  make each call N times and add its mean cost (ns/call)\n"
		"  -h, --help      this help\n",
		progname);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"list", no_argument, NULL, 'l'},
		{"repeat", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct probe table[64];
	long repeat = 1;
	size_t n;
	int c;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, ":lr:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			n = probes(table);
			for (size_t i = 0; i < n; i++)
				printf("%s\n", table[i].name);
			return EXIT_OK;
		case 'r':
			if (parse_long(optarg, 1, 1000000000L, &repeat) < 0)
				usage_error("--repeat: not a number from 1 to 10^9: %s", optarg);
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	n = probes(table);
	/* Line-buffered: the lines stay in order with the probed calls, even through a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (optind == argc) {
		for (size_t i = 0; i < n; i++)
			run_probe(&table[i], repeat);
		return EXIT_OK;
	}
	for (int a = optind; a < argc; a++) {
		size_t i;
		for (i = 0; i < n && strcmp(table[i].name, argv[a]); i++)
			;
		if (i == n)
			usage_error("no probe named \"%s\" (see --list)", argv[a]);
	}
	for (int a = optind; a < argc; a++)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(table[i].name, argv[a]))
				run_probe(&table[i], repeat);
	return EXIT_OK;
}
