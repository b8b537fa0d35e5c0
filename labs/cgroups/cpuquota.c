/* cpuquota - the CFS bandwidth limit: a cgroup gets at most QUOTA microseconds of CPU per PERIOD.
 *
 * Creates cgroup cseclab-cpuquota limited to 0.75 CPU (v1 cpu.cfs_quota_us 75000 per
 * cpu.cfs_period_us 100000; v2 cpu.max "75000 100000"), runs busy processes that want more,
 * prints the CPU they get each second, then changes the limit to 0.25 CPU while they run, as
 * `docker update --cpus 0.25` does, and shows the measured line drop.
 * Exit 0 with "result: both limits held" when each phase is within 10 % of its quota.
 * Needs root and the cpu controller (cpuacct too on v1). Read next: cgroups(7),
 * Documentation/scheduler/sched-bwc.rst, docker-update(1) --cpus.
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cleanup.h"
#include "cseclab.h"
#include "term.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CGNAME	    "cseclab-cpuquota"
#define PERIOD	    100000 /* microseconds: the kernel's default period */
#define MAX_BURNERS 8

static struct cg cpu_cg;
static enum cg_version version;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--cpus N] [--then N] [-t SECONDS] [-v]\n"
		"Limit a cgroup's CPU bandwidth, burn, and change the limit while it runs.\n\n"
		"      --cpus N      first limit in CPUs (default 0.75)\n"
		"      --then N      the live update (default 0.25)\n"
		"  -t, --time S      seconds per phase (default 3, 1-30)\n"
		"  -v, --verbose     narrate every cgroup file written\n"
		"  -h, --help        this help\n\n"
		"Exit: 0 each phase within 10 %% of its limit, 1 not, 2 usage, 77 cannot run "
		"here.\n",
		progname);
}

/* The limit is one write: QUOTA us of CPU time per PERIOD us, summed over all CPUs. */
static void set_quota(double cpus)
{
	long quota = lround(cpus * PERIOD);
	char path[PATH_MAX];
	int rc;

	if (version == CG_V1) {
		cg_path(&cpu_cg, "cpu", "cpu.cfs_period_us", path, sizeof(path));
		if (write_file(path, "%d", PERIOD) < 0)
			dief("write %d > %s: %s", PERIOD, path, strerror(errno));
		cg_path(&cpu_cg, "cpu", "cpu.cfs_quota_us", path, sizeof(path));
		rc = write_file(path, "%ld", quota);
		printf("cpu.cfs_quota_us: %ld per cpu.cfs_period_us %d (%.2f CPU)\n", quota, PERIOD,
		       cpus);
	} else {
		cg_path(&cpu_cg, "cpu", "cpu.max", path, sizeof(path));
		rc = write_file(path, "%ld %d", quota, PERIOD);
		printf("cpu.max: %ld %d (%.2f CPU)\n", quota, PERIOD, cpus);
	}
	if (rc < 0)
		dief("write %ld > %s: %s", quota, path, strerror(errno));
	say("wrote %s", path);
}

static long long usage_usec(void)
{
	long long v;
	long ns;

	if (version == CG_V2) {
		if (cg_read_key(&cpu_cg, "cpu", "cpu.stat", "usage_usec", &v) < 0)
			die("read cpu.stat");
		return v;
	}
	if (cg_read_long(&cpu_cg, "cpuacct", "cpuacct.usage", &ns) < 0)
		die("read cpuacct.usage");
	return ns / 1000;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (time_t)s) * 1e9)};

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/* Measure for SECONDS, one line per second; returns the average in CPUs. */
static double watch(double seconds, double limit, double *clock)
{
	long long u0 = usage_usec(), u = u0;
	double t0 = now_s(), t = t0;

	while (t - t0 < seconds - 1e-3) {
		double step = fmin(1.0, seconds - (t - t0)), cpus;
		long long u1;

		sleep_s(step);
		u1 = usage_usec();
		cpus = (double)(u1 - u) / 1e6 / (now_s() - t);
		*clock += now_s() - t;
		u = u1;
		t = now_s();
		printf("  t=%4.1fs  %.2f CPU  ", *clock, cpus);
		term_bar(stdout, cpus / fmax(1.0, limit * 1.34), 40);
		putchar('\n');
	}
	return (double)(u - u0) / 1e6 / (t - t0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"cpus", required_argument, NULL, 'c'}, {"then", required_argument, NULL, 'n'},
		{"time", required_argument, NULL, 't'}, {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},	{NULL, 0, NULL, 0},
	};
	double first = 0.75, then = 0.25, phase = 3, m1, m2, clock = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c, nburn;
	char call[256];
	struct cg_mount m;
	pid_t lab = getpid();
	bool ok1, ok2;

	prog_init(argv[0]);
	while ((c = getopt_long(argc, argv, "t:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
		case 'n':
			if (parse_double(optarg, 0.01, (double)ncpu, c == 'c' ? &first : &then) < 0)
				usage_error("--%s: '%s' is not a number of CPUs in 0.01..%ld",
					    c == 'c' ? "cpus" : "then", optarg, ncpu);
			break;
		case 't':
			if (parse_double(optarg, 1, 30, &phase) < 0)
				usage_error("-t: '%s' is not a number of seconds in 1..30", optarg);
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage_error("unknown option");
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	require_root("to create cgroups");
	if (cg_find("cpu", &m) < 0)
		unsupported("a kernel with CONFIG_CFS_BANDWIDTH", "no cpu cgroup controller");
	version = m.version;
	if (version == CG_V1 && cg_missing("cpuacct"))
		unsupported("mount the cpuacct controller",
			    "no cpuacct controller to measure with");
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (cg_create(&cpu_cg, NULL, CGNAME, version == CG_V1 ? "cpu cpuacct" : "cpu", call) < 0)
		die(call);
	printf("cgroup: v%d %s\n", version, cpu_cg.dir[0].path);
	/* The quota is a ceiling, not a reservation: on a busy machine the group also competes by
	 * weight. The highest weight makes the quota the only thing that limits it, and the
	 * quota keeps it from taking more than its limit from anyone else. */
	if (cg_write(&cpu_cg, "cpu", version == CG_V1 ? "cpu.shares" : "cpu.weight", "%d",
		     version == CG_V1 ? 262144 : 10000) < 0)
		die("write cpu weight");
	printf("%s: %d (the highest: only the quota limits us)\n",
	       version == CG_V1 ? "cpu.shares" : "cpu.weight", version == CG_V1 ? 262144 : 10000);
	set_quota(first);

	/* More demand than either limit: one busy process per CPU (at least two). */
	nburn = ncpu < 2 ? 2 : ncpu > MAX_BURNERS ? MAX_BURNERS : (int)ncpu;
	for (int i = 0; i < nburn; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			volatile unsigned long spin = 0;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != lab)
				_exit(1);
			raise(SIGSTOP); /* until the lab has moved us in */
			for (;;)
				spin++;
		}
		if (waitpid(pid, NULL, WUNTRACED) != pid)
			die("waitpid");
		if (cg_attach(&cpu_cg, pid, call) < 0)
			die(call);
		kill(pid, SIGCONT);
	}
	printf("burners: %d busy processes (they want %d CPUs)\n", nburn, nburn);

	sleep_s(0.3);
	m1 = watch(phase, first, &clock);
	printf("live update (as docker update --cpus %.2f):\n", then);
	set_quota(then);
	sleep_s(0.3); /* the new quota applies from the next period on */
	clock += 0.3;
	m2 = watch(phase, first, &clock);

	ok1 = fabs(m1 - first) <= 0.1 * first;
	ok2 = fabs(m2 - then) <= 0.1 * then;
	printf("phase 1: limit %.2f CPU, measured %.2f CPU (%s)\n", first, m1,
	       ok1 ? "within 10 %" : "off by more than 10 %");
	printf("phase 2: limit %.2f CPU, measured %.2f CPU (%s)\n", then, m2,
	       ok2 ? "within 10 %" : "off by more than 10 %");
	if (ok1 && ok2) {
		printf("result: both limits held\n");
		return EXIT_OK;
	}
	printf("result: a phase missed its limit (a busy machine can give less than the limit)\n");
	return EXIT_FAIL;
}
