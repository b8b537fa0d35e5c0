/* forkbomb.c - the pids controller stops a fork bomb at pids.max processes.
 *
 * Mechanism: pids.max caps the tasks of a cgroup: past it fork(2) fails with EAGAIN. Killing a
 * bomb needs the whole cgroup at once: cgroup.kill (v2, 5.14+) or freeze, SIGKILL, thaw.
 * What it does: creates cseclab-forkbomb with pids.max (-l, default 15) and a CPU cap, lets one
 * process in it fork in a loop as every child does, watches pids.current, pids.events "max" and
 * the failed forks, checks the rest of the machine can still fork, then kills the cgroup.
 * Outcome: exit 0 with "result: contained at 15 processes" when pids.current never passed
 * pids.max; 1 if it did.
 * Needs: root and the pids controller (v1: the freezer too).
 * Read next: cgroups(7), fork(2) EAGAIN, Documentation/admin-guide/cgroup-v1/pids.rst.
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CGNAME "cseclab-forkbomb"

static struct cg bomb_cg;
static enum cg_version version;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-l LIMIT] [-t SECONDS] [-v]\n"
		"Run a real fork bomb inside a cgroup whose pids.max is LIMIT, show it stopped\n"
		"there, then kill every process of the cgroup at once.\n\n"
		"  -l, --limit N      pids.max (default 15, 2-200)\n"
		"  -t, --time S       how long the bomb runs (default 3, 0.5-30)\n"
		"  -v, --verbose      narrate every cgroup file written\n"
		"  -h, --help         this help\n\n"
		"Exit: 0 contained at LIMIT, 1 not contained (or an error), 2 usage, 77 cannot "
		"run.\n",
		progname);
}

static void set(const char *controller, const char *file, const char *value)
{
	char path[PATH_MAX];

	if (cg_path(&bomb_cg, controller, file, path, sizeof(path)) < 0 ||
	    write_file(path, "%s", value) < 0)
		dief("write %s > %s: %s", value, path, strerror(errno));
	say("echo %s > %s", value, path);
}

static long pids_current(void)
{
	long v = -1;

	cg_read_long(&bomb_cg, "pids", "pids.current", &v);
	return v;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The bomb: every process forks forever; each child does the same. When fork fails, the process
 * reports errno once through REPORT (one byte) and keeps trying, as a real bomb would. */
static _Noreturn void bomb(int report)
{
	bool told = false;

	for (;;) {
		pid_t pid = fork();

		if (pid == 0) {
			/* Each process dies with its parent, so a killed lab takes the bomb with it. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			told = false; /* a new process reports its own first failure */
			continue;
		}
		if (pid < 0 && !told) {
			unsigned char e = (unsigned char)errno;

			if (write(report, &e, 1) < 0) {
				/* the lab is gone or the pipe is full: nothing to report to */
			}
			told = true;
		}
	}
}

/* Can the rest of the machine still create processes while the bomb runs? */
static bool host_can_fork(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0)
		_exit(0);
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Has the freezer stopped every task of the cgroup? v1: freezer.state reads FROZEN (FREEZING
 * while some task is not yet stopped); v2: cgroup.events has "frozen 1". */
static bool frozen(void)
{
	char state[32] = "";
	long long v = 0;

	if (version == CG_V2)
		return cg_read_key(&bomb_cg, "pids", "cgroup.events", "frozen", &v) == 0 && v == 1;
	cg_read(&bomb_cg, "freezer", "freezer.state", state, sizeof(state));
	return strncmp(state, "FROZEN", 6) == 0;
}

/* Kill every process of the cgroup at once, so no fork can outrun the kill. */
static const char *kill_all(void)
{
	const char *ctl = version == CG_V2 ? "pids" : "freezer";
	char path[PATH_MAX];

	if (version == CG_V2 && cg_path(&bomb_cg, "pids", "cgroup.kill", path, sizeof(path)) == 0 &&
	    access(path, F_OK) == 0) {
		set("pids", "cgroup.kill", "1"); /* 5.14+: SIGKILL to the whole subtree */
		return "cgroup.kill";
	}
	/* Without cgroup.kill (v1, or v2 before 5.14): a frozen process cannot fork, so freeze the
	 * cgroup (v1 freezer.state in the freezer hierarchy, v2 cgroup.freeze), SIGKILL every pid
	 * it lists, and thaw it: a frozen v1 task dies only once thawed (on v2 the signal kills it
	 * frozen). On a busy machine the bomb may not be frozen within the second we wait, and a
	 * process not yet frozen forks again: repeat until the cgroup lists no process. */
	for (int round = 0; round < 20; round++) {
		char list[8192], *p = list;
		int listed = 0;

		set(ctl, version == CG_V2 ? "cgroup.freeze" : "freezer.state",
		    version == CG_V2 ? "1" : "FROZEN");
		for (int i = 0; i < 100 && !frozen(); i++)
			usleep(10000);
		if (cg_read(&bomb_cg, ctl, "cgroup.procs", list, sizeof(list)) < 0)
			die("read cgroup.procs");
		while (*p) {
			char *end;
			long pid = strtol(p, &end, 10);

			if (end == p)
				break;
			if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0)
				listed++;
			p = end + strspn(end, "\n");
		}
		set(ctl, version == CG_V2 ? "cgroup.freeze" : "freezer.state",
		    version == CG_V2 ? "0" : "THAWED");
		if (listed == 0)
			break;
		usleep(20000); /* the killed ones exit; what forked meanwhile is listed next round */
	}
	return version == CG_V2 ? "cgroup.freeze 1 + SIGKILL + cgroup.freeze 0"
				: "freezer.state FROZEN + SIGKILL + THAWED";
}

static void on_alarm(int sig)
{
	(void)sig;
	raise(SIGTERM); /* the hard time limit: the cleanup handler kills and removes the cgroup */
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"limit", required_argument, NULL, 'l'},
		{"time", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long limit = 15, max_seen = 0, events_max = -1, peak = -1, current = -1;
	double seconds = 3, start;
	int c, report[2], eagain = 0, other = 0, host_forks = 0, host_fails = 0, other_errno = 0;
	char val[32], call[256];
	struct cg_mount m;
	const char *how;
	pid_t pid, lab = getpid();
	unsigned char e;

	prog_init(argv[0]);
	opterr = 0; /* bad options are ours to report, in the suite's one-line form */
	while ((c = getopt_long(argc, argv, ":l:t:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (parse_long(optarg, 2, 200, &limit) < 0)
				usage_error("-l: '%s' is not a number of processes in 2..200",
					    optarg);
			break;
		case 't':
			if (parse_double(optarg, 0.5, 30, &seconds) < 0)
				usage_error("-t: '%s' is not a number of seconds in 0.5..30",
					    optarg);
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
		default:
			bad_option(c, argv);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	require_root("to create cgroups");
	if (cg_find("pids", &m) < 0)
		unsupported("a kernel with CONFIG_CGROUP_PIDS; never run a fork bomb without it",
			    "no pids cgroup controller");
	version = m.version;
	if (version == CG_V1 && cg_missing("freezer"))
		unsupported("mount the v1 freezer hierarchy", "no freezer to stop the bomb with");
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* pids (and freezer on v1) are required; cpu only caps how hot the bomb runs. */
	if (cg_create(&bomb_cg, NULL, CGNAME,
		      version == CG_V1 ? (cg_missing("cpu") ? "pids freezer" : "pids freezer cpu")
				       : (cg_missing("cpu") ? "pids" : "pids cpu"),
		      call) < 0)
		die(call);
	printf("cgroup: v%d %s\n", version, cg_dir_of(&bomb_cg, "pids")->path);
	snprintf(val, sizeof(val), "%ld", limit);
	set("pids", "pids.max", val);
	printf("pids.max: %ld\n", limit);
	if (cg_dir_of(&bomb_cg, "cpu")) { /* 0.2 CPU: the bomb stays a demo, not a heater */
		if (version == CG_V1) {
			set("cpu", "cpu.cfs_period_us", "100000");
			set("cpu", "cpu.cfs_quota_us", "20000");
		} else {
			set("cpu", "cpu.max", "20000 100000");
		}
		printf("cpu cap: 0.2 CPU\n");
	}

	signal(SIGALRM, on_alarm);
	alarm((unsigned)seconds + 15);
	if (pipe2(report, O_CLOEXEC | O_NONBLOCK) < 0)
		die("pipe2");
	/* Orphaned bomb processes are re-parented to us, not to init, so we can reap them. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("prctl PR_SET_CHILD_SUBREAPER");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != lab)
			_exit(1);
		close(report[0]);
		/* Wait until the lab has put us in the cgroup: SIGSTOP ourselves. */
		raise(SIGSTOP);
		bomb(report[1]);
	}
	close(report[1]);
	/* Join before the bomb: our first process moves in while it is stopped. */
	if (waitpid(pid, NULL, WUNTRACED) != pid)
		die("waitpid");
	if (cg_attach(&bomb_cg, pid, call) < 0)
		die(call);
	say("echo %d > .../cgroup.procs", pid);
	printf("pids.current before the bomb: %ld\n", pids_current());
	kill(pid, SIGCONT);
	printf("bomb: started (pid %d), running for %.1f s\n", pid, seconds);

	for (start = now_s(); now_s() - start < seconds;) {
		current = pids_current();
		if (current > max_seen)
			max_seen = current;
		if (host_can_fork())
			host_forks++;
		else
			host_fails++;
		usleep(20000);
	}
	while (read(report[0], &e, 1) == 1) {
		if (e == EAGAIN) {
			eagain++;
		} else {
			other++;
			other_errno = e;
		}
	}
	{
		long long v;

		if (cg_read_key(&bomb_cg, "pids", "pids.events", "max", &v) == 0)
			events_max = (long)v;
		if (cg_read_long(&bomb_cg, "pids", "pids.peak", &peak) < 0)
			peak = -1; /* pids.peak: Linux 6.1+ */
	}
	printf("pids.current: %ld (highest seen %ld, pids.max %ld)\n", current, max_seen, limit);
	if (peak >= 0)
		printf("pids.peak: %ld\n", peak);
	printf("pids.events max: %ld (forks refused by pids.max)\n", events_max);
	printf("fork failed with EAGAIN: in %d processes of the bomb\n", eagain);
	if (other)
		printf("fork failed otherwise: in %d processes (%s)\n", other,
		       strerror(other_errno));
	printf("host fork during the bomb: %s (%d ok, %d failed)\n", host_fails ? "FAILED" : "ok",
	       host_forks, host_fails);

	how = kill_all();
	/* A killed process still counts in pids.current until it is reaped; as the subreaper we
	 * inherit the whole bomb and reap it here. */
	for (int i = 0; i < 300 && pids_current() > 0; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(10000);
	}
	printf("kill: %s\n", how);
	printf("pids.current after kill: %ld\n", pids_current() < 0 ? 0 : pids_current());

	if (max_seen <= limit && eagain > 0 && host_fails == 0 && pids_current() <= 0) {
		printf("result: contained at %ld processes\n", max_seen);
		return EXIT_OK;
	}
	printf("result: NOT contained (highest %ld, limit %ld, EAGAIN %d, host fork failures %d)\n",
	       max_seen, limit, eagain, host_fails);
	return EXIT_FAIL;
}
