/* nsjoin.c - join the namespaces of a running process with setns(2) and run a command there.
 *
 * Mechanism: setns(2) moves the caller into the namespace an open /proc/PID/ns/<kind> file
 * refers to (what nsenter(1) and "docker exec" do; "docker run --ipc container:X" likewise).
 * What it does: joins PID's namespaces of each kind asked (or --all that differ), the user one
 * first, then runs CMD (default /bin/sh). A joined PID namespace applies to children only: for -p
 * CMD runs in a forked child; a joined time namespace moves nsjoin itself (-v: its clock jumps).
 * Outcome: CMD's exit status (128+N when signal N killed it, 127 if it cannot be run); exit 1
 * when PID does not exist or setns fails (EPERM without CAP_SYS_ADMIN).
 * Needs: root (CAP_SYS_ADMIN, CAP_SYS_PTRACE over PID); joining a time namespace: Linux 5.8.
 * Read next: setns(2), nsenter(1), namespaces(7).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* The order of joining: the user namespace first, because it decides what we may do in the
 * others; the mount namespace last, because it changes our root and working directory. */
static struct nskind {
	char opt;
	int flag;
	const char *name;
	bool want;
	int fd;
} kinds[] = {
	{'U', CLONE_NEWUSER, "user", false, -1}, {'C', CLONE_NEWCGROUP, "cgroup", false, -1},
	{'i', CLONE_NEWIPC, "ipc", false, -1},	 {'u', CLONE_NEWUTS, "uts", false, -1},
	{'n', CLONE_NEWNET, "net", false, -1},	 {'p', CLONE_NEWPID, "pid", false, -1},
	{'T', CLONE_NEWTIME, "time", false, -1}, {'m', CLONE_NEWNS, "mnt", false, -1},
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s -t PID [-p] [-m] [-u] [-i] [-n] [-U] [-C] [-T] [--all] [--] [CMD "
		"[ARG]...]\n"
		"Join namespaces of process PID with setns(2) and run CMD there (default "
		"/bin/sh).\n\n"
		"  -t, --target PID   the process whose namespaces to join\n"
		"  -p, --pid          its PID namespace (applies to children: nsjoin forks)\n"
		"  -m, --mount        its mount namespace\n"
		"  -u, --uts          its UTS namespace\n"
		"  -i, --ipc          its IPC namespace\n"
		"  -n, --net          its network namespace\n"
		"  -U, --user         its user namespace\n"
		"  -C, --cgroup       its cgroup namespace\n"
		"  -T, --time         its time namespace (moves nsjoin itself: no fork)\n"
		"  -a, --all          every namespace of PID that differs from ours\n"
		"  -v, --verbose      narrate each setns\n"
		"  -h, --help         this help\n\n"
		"Exit status: CMD's, 128+N if signal N killed it, 127 if CMD cannot be run,\n"
		"1 if PID does not exist or setns fails, 2 usage.\n",
		progname);
}

static bool same_namespace(const char *pid, const char *name)
{
	char path[64];
	struct stat mine, theirs;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	if (stat(path, &mine) == -1)
		return false;
	snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, name);
	if (stat(path, &theirs) == -1)
		return false;
	return mine.st_ino == theirs.st_ino && mine.st_dev == theirs.st_dev;
}

/* Open every namespace file first: once we are in PID's mount namespace, /proc/PID may not be
 * what it was. */
static void open_namespaces(const char *pid, bool all)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%s", pid);
	if (access(path, F_OK) == -1)
		dief("no process %s (%s: %s)", pid, path, strerror(errno));
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (all)
			/* setns into our own user namespace is EINVAL; skip what we share already */
			kinds[i].want = !same_namespace(pid, kinds[i].name);
		if (!kinds[i].want)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, kinds[i].name);
		kinds[i].fd = open(path, O_RDONLY | O_CLOEXEC);
		if (kinds[i].fd == -1)
			die(path);
	}
}

static double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* -v -T: this process's time namespace and CLOCK_MONOTONIC, read from the kernel. */
static void time_ns_now(char *link, size_t len, double *mono)
{
	ssize_t n = readlink("/proc/self/ns/time", link, len - 1);

	link[n > 0 ? n : 0] = '\0';
	*mono = monotonic_seconds();
}

static void join_namespaces(void)
{
	char before[64], after[64];
	double mono_before = 0, mono_after;

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (kinds[i].fd == -1)
			continue;
		if (kinds[i].flag == CLONE_NEWTIME)
			time_ns_now(before, sizeof(before), &mono_before);
		/* The flag lets the kernel check the file is the kind we meant. setns(2) asks
		 * of the caller: CAP_SYS_ADMIN in its own user namespace and in the one owning the
		 * target (else EPERM); for mnt also CAP_SYS_CHROOT; for user and mnt, no fs state
		 * shared with another process (CLONE_FS); for user and time, a single thread
		 * (EINVAL, EUSERS); for pid, a descendant of its own PID namespace. */
		if (setns(kinds[i].fd, kinds[i].flag) == -1) {
			if (errno == EINVAL && kinds[i].flag == CLONE_NEWTIME)
				unsupported("Linux 5.8 or later", "setns(time): %s",
					    strerror(errno));
			dief("setns(%s): %s%s", kinds[i].name, strerror(errno),
			     errno == EPERM    ? " (joining a namespace needs CAP_SYS_ADMIN in it)"
			     : errno == EUSERS ? " (only a single-threaded process may)"
					       : "");
		}
		say("joined %s namespace", kinds[i].name);
		/* Unlike unshare(CLONE_NEWTIME), which sets only time_for_children, setns moves
		 * the caller itself (time and time_for_children), and its clocks jump at once. */
		if (kinds[i].flag == CLONE_NEWTIME && verbose) {
			time_ns_now(after, sizeof(after), &mono_after);
			say("time: pid %ld moved itself: %s -> %s", (long)getpid(), before, after);
			say("time: CLOCK_MONOTONIC of pid %ld: %.3f s -> %.3f s (%+.3f s)",
			    (long)getpid(), mono_before, mono_after, mono_after - mono_before);
		}
		close(kinds[i].fd);
		kinds[i].fd = -1;
	}
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			die("waitpid");
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static _Noreturn void run(char **argv)
{
	execvp(argv[0], argv);
	fprintf(stderr, "%s: execvp %s: %s\n", progname, argv[0], strerror(errno));
	_exit(127);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"target", required_argument, NULL, 't'},
		{"pid", no_argument, NULL, 'p'},
		{"mount", no_argument, NULL, 'm'},
		{"uts", no_argument, NULL, 'u'},
		{"ipc", no_argument, NULL, 'i'},
		{"net", no_argument, NULL, 'n'},
		{"user", no_argument, NULL, 'U'},
		{"cgroup", no_argument, NULL, 'C'},
		{"time", no_argument, NULL, 'T'},
		{"all", no_argument, NULL, 'a'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static char *default_cmd[] = {"/bin/sh", NULL};
	const char *target = NULL;
	bool all = false, any = false, fork_needed;
	char **cmd;
	long v;
	int c;
	pid_t pid;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, "+:t:pmuinUCTavh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_long(optarg, 1, INT_MAX, &v) == -1)
				usage_error("-t: '%s' is not a PID", optarg);
			target = optarg;
			break;
		case 'a':
			all = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		default:
			for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
				if (c == kinds[i].opt)
					kinds[i].want = any = true;
		}
	}
	if (!target)
		usage_error("missing -t PID");
	if (!any && !all)
		usage_error("no namespace chosen: give -p, -m, -u, -i, -n, -U, -C, -T or --all");
	cmd = optind < argc ? argv + optind : default_cmd;

	open_namespaces(target, all);
	join_namespaces();

	/* setns into a PID namespace changes pid_for_children only: this process keeps its PID,
	 * and the next child is the first one inside. Every other kind, time included, moves this
	 * process itself: CMD can run in place. */
	fork_needed = false;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kinds[i].want && kinds[i].flag == CLONE_NEWPID)
			fork_needed = true;
	if (!fork_needed)
		run(cmd);
	pid = fork();
	if (pid == -1)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive nsjoin */
		run(cmd);
	}
	say("forked pid %ld (its own view may differ) to run %s", (long)pid, cmd[0]);
	return wait_child(pid);
}
