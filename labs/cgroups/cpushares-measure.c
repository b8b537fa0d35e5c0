/* cpushares-measure.c - cpushares --measure PATH...: one burner per given cgroup (see the .h).
 *
 * The groups are someone else's: a student's tree, or one a grader made by hand. We check that
 * each PATH is a directory of the cpu controller's hierarchy, start one busy process in each
 * (a write of its pid to PATH/cgroup.procs), pin them all to one CPU so that they compete, and
 * measure each burner's own CPU time: a group's usage file is no help where cpuacct is a
 * hierarchy of its own, and it would count whatever else runs in the group.
 */
#define _GNU_SOURCE
#include "cpushares-measure.h"
#include "cgroup.h"
#include "cleanup.h"
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_GROUPS 16

static pid_t burners[MAX_GROUPS];
static int nburners;

/* Kill and reap every burner: after this the caller's groups hold none of ours, and it can
 * rmdir them. Async-signal-safe (kill, waitpid): it also runs on SIGINT, SIGTERM, SIGHUP. */
static void stop_burners(void *arg)
{
	(void)arg;
	for (int i = 0; i < nburners; i++)
		if (burners[i] > 0)
			kill(burners[i], SIGKILL);
	for (int i = 0; i < nburners; i++) {
		if (burners[i] > 0)
			waitpid(burners[i], NULL, 0);
		burners[i] = 0;
	}
}

/* PATH must be a directory of the hierarchy that holds the cpu controller (mounted at M), with
 * the file that sets its weight: exit 2 naming it otherwise. */
static void check_group(const char *path, const struct cg_mount *m, const char *file)
{
	long magic = m->version == CG_V1 ? CGROUP_SUPER_MAGIC : CGROUP2_SUPER_MAGIC;
	char weight[PATH_MAX];
	struct stat st, root;
	struct statfs fs;

	if (path[0] != '/')
		usage_error("%s: not an absolute path", path);
	if (stat(path, &st) < 0)
		usage_error("%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		usage_error("%s: not a directory", path);
	/* One file system per hierarchy: its type says cgroup, its device which hierarchy. */
	if (statfs(path, &fs) < 0 || (long)fs.f_type != magic || stat(m->path, &root) < 0 ||
	    st.st_dev != root.st_dev)
		usage_error("%s: not a cgroup directory of the cpu controller (cgroup v%d, "
			    "mounted at %s)",
			    path, m->version, m->path);
	if (snprintf(weight, sizeof(weight), "%s/%s", path, file) >= (int)sizeof(weight))
		usage_error("%s: path too long", path);
	if (access(weight, F_OK) < 0)
		usage_error("%s: no %s%s", path, file,
			    m->version == CG_V2 ? " (the cpu controller is not enabled for it: "
						  "its parent's cgroup.subtree_control lacks cpu)"
						: "");
}

/* The CPU time a process has used so far (all its threads), in nanoseconds. */
static long long cpu_ns(pid_t pid)
{
	struct timespec ts;
	clockid_t clk;
	int err = clock_getcpuclockid(pid, &clk);

	if (err != 0) {
		errno = err;
		dief("clock_getcpuclockid(%d): %s", (int)pid, strerror(errno));
	}
	if (clock_gettime(clk, &ts) < 0)
		dief("clock_gettime(CPU clock of %d): %s", (int)pid, strerror(errno));
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void sleep_s(double s)
{
	struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (time_t)s) * 1e9)};

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/* The first CPU this process may run on: every burner is pinned to it. */
static int first_cpu(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		die("sched_getaffinity");
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			return c;
	dief("sched_getaffinity: no CPU allowed");
}

pid_t fork_burner(int gate[2], bool stress_ng)
{
	pid_t parent = getpid(), pid = fork();
	volatile unsigned long spin = 0;
	char go;

	if (pid < 0)
		die("fork");
	if (pid > 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* dies with us, even of SIGKILL */
	if (getppid() != parent)
		_exit(1);
	close(gate[1]);
	if (read(gate[0], &go, 1) != 1) /* wait until we are in the cgroups */
		_exit(1);
	if (stress_ng) {
		execlp("stress-ng", "stress-ng", "--quiet", "--cpu", "1", (char *)NULL);
		_exit(127);
	}
	for (;;)
		spin++;
}

int measure_groups(char *const paths[], int n, double seconds)
{
	long long t0[MAX_GROUPS], used[MAX_GROUPS], sum = 0;
	const char *file;
	struct cg_mount m;
	char call[256];
	cpu_set_t one;
	int gate[2], cpu;

	if (n < 1)
		usage_error("--measure: name at least one cgroup directory");
	if (n > MAX_GROUPS)
		usage_error("--measure: at most %d cgroup directories", MAX_GROUPS);
	require_root("to move processes into cgroups");
	if (cg_find("cpu", &m) < 0)
		unsupported("enable the cpu controller (CONFIG_CGROUP_SCHED)",
			    "no cpu cgroup controller");
	file = m.version == CG_V1 ? "cpu.shares" : "cpu.weight";
	for (int i = 0; i < n; i++) {
		check_group(paths[i], &m, file);
		for (int j = 0; j < i; j++)
			if (strcmp(paths[i], paths[j]) == 0)
				usage_error("--measure: %s given twice", paths[i]);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	cpu = first_cpu();
	printf("cgroup: v%d, cpu controller at %s\n", m.version, m.path);
	printf("cpu: %d (the first CPU this process may use: every burner is pinned to it)\n", cpu);
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX + 16];
		long w;

		snprintf(path, sizeof(path), "%s/%s", paths[i], file);
		if (read_long(path, &w) < 0)
			dief("read %s: %s", path, strerror(errno));
		printf("group: %s %s %ld\n", paths[i], file, w);
	}

	/* Each burner waits at the gate until it is in its group and pinned: none of its CPU
	 * time is spent elsewhere. The affinity comes after the move: on v2, joining a group
	 * with the cpuset controller resets a task's CPUs to the group's. */
	on_cleanup(stop_burners, NULL);
	if (pipe2(gate, O_CLOEXEC) < 0)
		die("pipe2");
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	for (int i = 0; i < n; i++) {
		struct cg group = {.ndirs = 1};
		pid_t pid = fork_burner(gate, false);

		burners[nburners++] = pid;
		group.dir[0].version = m.version;
		snprintf(group.dir[0].controllers, sizeof(group.dir[0].controllers), "cpu");
		snprintf(group.dir[0].path, sizeof(group.dir[0].path), "%s", paths[i]);
		if (cg_attach(&group, pid, call) < 0)
			die(call);
		say("echo %d > %s/cgroup.procs", (int)pid, paths[i]);
		if (sched_setaffinity(pid, sizeof(one), &one) < 0)
			dief("sched_setaffinity(%d, cpu %d): %s", (int)pid, cpu, strerror(errno));
		say("sched_setaffinity(%d, {%d})", (int)pid, cpu);
		printf("burner: %s pid %d\n", paths[i], (int)pid);
	}
	close(gate[0]);
	for (int i = 0; i < n; i++)
		if (write(gate[1], "g", 1) != 1)
			die("write gate");
	close(gate[1]);

	sleep_s(0.3); /* all of them runnable: the scheduler settles on the new set */
	for (int i = 0; i < n; i++)
		t0[i] = cpu_ns(burners[i]);
	sleep_s(seconds);
	for (int i = 0; i < n; i++) {
		used[i] = cpu_ns(burners[i]) - t0[i];
		sum += used[i];
	}
	stop_burners(NULL);

	printf("window: %.1f s\n", seconds);
	for (int i = 0; i < n; i++)
		printf("cpu time: %s %lld ms\n", paths[i], used[i] / 1000000);
	printf("total: %lld ms\n", sum / 1000000);
	if (sum <= 0)
		dief("the burners got no CPU time in %.1f s", seconds);
	for (int i = 0; i < n; i++)
		printf("measured: %s %.1f\n", paths[i], 100.0 * (double)used[i] / (double)sum);
	return EXIT_OK;
}
