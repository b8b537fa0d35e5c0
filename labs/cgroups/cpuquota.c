/* cpuquota.c - the CFS bandwidth limit: a cgroup gets at most QUOTA us of CPU per PERIOD.
 *
 * Mechanism: the cpu controller's bandwidth control (v1 cpu.cfs_quota_us per cpu.cfs_period_us,
 * v2 cpu.max "75000 100000"), the write of `docker run --cpus 0.75`.
 * What it does: creates cseclab-cpuquota at 0.75 CPU, runs busy processes that want more,
 * measures their CPU time over whole periods the kernel counts (cpu.stat nr_periods), then
 * sets 0.25 CPU while they run, as `docker update --cpus 0.25` does.
 * Outcome: exit 0 and "result: both limits held" when each phase was throttled in every period
 * and used QUOTA x periods within the bound the slice and the tick allow; 1 if not.
 * Needs: root and the cpu controller (cpuacct too on v1); 77 when other work leaves too little.
 * Read next: cgroups(7), Documentation/scheduler/sched-bwc.rst, docker-update(1) --cpus.
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cseclab.h"
#include "kconfig.h"
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
#define WARMUP	    10 /* periods before the first measurement */
/* Other work may take this much CPU while we measure (a tenth of a CPU: 10 ms a period, two
 * bandwidth slices), and /proc/stat counts it to within a tick per CPU. */
#define OTHER_MAX 0.10

static struct cg cpu_cg;
static enum cg_version version;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--cpus N] [--then N] [-t SECONDS] [-v]\n"
		"Limit a cgroup's CPU bandwidth, burn, and change the limit while it runs.\n\n"
		"      --cpus N      first limit in CPUs (default 0.75)\n"
		"      --then N      the live update (default 0.25)\n"
		"  -t, --time S      seconds per phase (default 3, 1-30), rounded to whole "
		"periods\n"
		"  -v, --verbose     narrate every cgroup file written\n"
		"  -h, --help        this help\n\n"
		"Exit: 0 each phase used its quota in every period (within the bound printed), 1 "
		"not,\n"
		"2 usage, 77 cannot run here (or the CPUs were too busy to show the limit).\n",
		progname);
}

/* The limit is one write: QUOTA us of CPU time per PERIOD us, summed over all CPUs. We print
 * what the kernel reads back, and return the quota it holds. */
static long set_quota(double cpus)
{
	long quota = lround(cpus * PERIOD), q, p;
	char path[PATH_MAX], buf[64];

	if (version == CG_V1) {
		cg_path(&cpu_cg, "cpu", "cpu.cfs_period_us", path, sizeof(path));
		if (write_file(path, "%d", PERIOD) < 0)
			dief("write %d > %s: %s", PERIOD, path, strerror(errno));
		cg_path(&cpu_cg, "cpu", "cpu.cfs_quota_us", path, sizeof(path));
		if (write_file(path, "%ld", quota) < 0)
			dief("write %ld > %s: %s", quota, path, strerror(errno));
		if (cg_read_long(&cpu_cg, "cpu", "cpu.cfs_quota_us", &q) < 0 ||
		    cg_read_long(&cpu_cg, "cpu", "cpu.cfs_period_us", &p) < 0)
			die("read cpu.cfs_quota_us");
		printf("cpu.cfs_quota_us: %ld per cpu.cfs_period_us %ld (%.2f CPU)\n", q, p,
		       (double)q / (double)p);
	} else {
		cg_path(&cpu_cg, "cpu", "cpu.max", path, sizeof(path));
		if (write_file(path, "%ld %d", quota, PERIOD) < 0)
			dief("write \"%ld %d\" > %s: %s", quota, PERIOD, path, strerror(errno));
		if (cg_read(&cpu_cg, "cpu", "cpu.max", buf, sizeof(buf)) < 0 ||
		    sscanf(buf, "%ld %ld", &q, &p) != 2)
			die("read cpu.max");
		printf("cpu.max: %ld %ld (%.2f CPU)\n", q, p, (double)q / (double)p);
	}
	say("wrote %s", path);
	if (p != PERIOD)
		dief("%s: the kernel holds period %ld, not %d", path, p, PERIOD);
	return q;
}

/* What the kernel counts for the group at one moment (microseconds). nr_periods is the number
 * of periods the bandwidth timer has refilled the quota; nr_throttled how many of them the
 * group ran out of quota in; throttled time sums, over the CPUs, how long it waited. */
struct sample {
	long long periods, throttled, throttled_us, usage_us;
	long long machine_us; /* CPU time the whole machine spent busy, from /proc/stat */
	double at;	      /* when we read it (CLOCK_MONOTONIC, s) */
	double late;	      /* at most this long after the period began (s) */
};

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

static long long stat_key(const char *key)
{
	long long v;

	if (cg_read_key(&cpu_cg, "cpu", "cpu.stat", key, &v) < 0)
		dief("read cpu.stat %s: %s", key, strerror(errno));
	return v;
}

/* The machine's busy time, all CPUs: /proc/stat's first line (user nice system idle iowait irq
 * softirq steal ...) in USER_HZ ticks, so to within a tick per CPU. Minus the group's usage, it
 * is what other work took: the limit is only shown by a machine that runs nothing else. */
static long long machine_busy_us(void)
{
	unsigned long long v[8] = {0};
	FILE *f = fopen("/proc/stat", "re");

	if (!f)
		die("open /proc/stat");
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]) != 8)
		dief("/proc/stat: no cpu line");
	fclose(f);
	return (long long)((v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * 1000000ULL /
			   (unsigned long long)sysconf(_SC_CLK_TCK));
}

static void read_sample(struct sample *s)
{
	long ns;

	if (version == CG_V2) {
		s->usage_us = stat_key("usage_usec");
		s->throttled_us = stat_key("throttled_usec");
	} else {
		if (cg_read_long(&cpu_cg, "cpuacct", "cpuacct.usage", &ns) < 0)
			die("read cpuacct.usage");
		s->usage_us = ns / 1000;
		s->throttled_us = stat_key("throttled_time") / 1000; /* nanoseconds on v1 */
	}
	s->periods = stat_key("nr_periods");
	s->throttled = stat_key("nr_throttled");
	s->machine_us = machine_busy_us();
	s->at = now_s();
}

/* Wait until the kernel has counted period TARGET (or a later one), and sample right after.
 * The quota is refilled at each period's start: sampled there, a window holds whole periods
 * only. We poll nr_periods and keep the time of the last read that still showed the old
 * count: the period began after it, so the sample is at most `late` seconds after the start. */
static void at_period(long long target, struct sample *s)
{
	double old_at = now_s();
	long long p = stat_key("nr_periods");

	if (p >= target) { /* already past it (a slow start): take the next one */
		target = p + 1;
		old_at = now_s();
		p = stat_key("nr_periods");
	}
	while (p < target) {
		double wait = (double)(target - p - 1) * PERIOD / 1e6 - 0.01;

		sleep_s(wait > 0 ? wait : 0.0005);
		old_at = now_s();
		p = stat_key("nr_periods");
	}
	read_sample(s);
	s->late = s->at - old_at;
}

/* One phase: NPERIODS whole periods, a line per second (10 periods). Returns the window. */
static void watch(long nperiods, double scale, double *clock, struct sample *first,
		  struct sample *last)
{
	struct sample prev;

	at_period(stat_key("nr_periods") + 1, first);
	prev = *first;
	while (prev.periods - first->periods < nperiods) {
		long long step = nperiods - (prev.periods - first->periods);
		struct sample cur;
		double cpus;

		at_period(prev.periods + (step < 10 ? step : 10), &cur);
		cpus = (double)(cur.usage_us - prev.usage_us) /
		       ((double)(cur.periods - prev.periods) * PERIOD);
		*clock += cur.at - prev.at;
		printf("  t=%4.1fs  %.2f CPU  ", *clock, cpus);
		term_bar(stdout, cpus / scale, 40);
		putchar('\n');
		prev = cur;
	}
	*last = prev;
}

/* The jiffy: how long a task may run past its runtime before the scheduler tick notices. */
static long tick_us(void)
{
	static const int hz[] = {100, 250, 300, 1000};
	char name[32];

	for (size_t i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
		snprintf(name, sizeof(name), "CONFIG_HZ_%d", hz[i]);
		if (strcmp(kconfig(name), "y") == 0)
			return 1000000 / hz[i];
	}
	return 10000; /* configuration unreadable: HZ=100, the longest tick Linux offers */
}

/* Judge one phase against the kernel's counters; true when the limit held. */
static bool judge(int n, double cpus, long quota, const struct sample *a, const struct sample *b,
		  long bound_base, int nbusy, bool *busy)
{
	long long periods = b->periods - a->periods, throttled = b->throttled - a->throttled;
	long long used = b->usage_us - a->usage_us, allowed = periods * quota;
	double late = fmax(a->late, b->late), other;
	long long bound = bound_base + llround(nbusy * late * 1e6), off = used - allowed;

	printf("phase %d: limit %.2f CPU, measured %.3f CPU over %lld periods (throttled in "
	       "%lld)\n",
	       n, cpus, (double)used / ((double)periods * PERIOD), periods, throttled);
	printf("phase %d cpu time: used %lld us, quota x periods %lld us, off by %+lld us, bound "
	       "%lld us (sampled at most %.0f us into a period)\n",
	       n, used, allowed, off, bound, late * 1e6);
	printf("phase %d throttled time: %lld us\n", n, b->throttled_us - a->throttled_us);
	/* Other work's CPU time, to within a tick per CPU and per sample. A busy machine delays
	 * ticks and timers, which the bound assumes on time: judge nothing then (exit 77). */
	other = (double)(b->machine_us - a->machine_us - used) / ((double)periods * PERIOD);
	if (other > OTHER_MAX) {
		printf("phase %d: other work used %.2f CPU meanwhile: the machine was busy\n", n,
		       other);
		*busy = true;
		return true;
	}
	if (off > bound) {
		printf("phase %d: used more than the quota allows\n", n);
		return false;
	}
	if (throttled < periods) {
		/* Some periods ended with quota left: the group could not get the CPU (other
		 * work, or fewer CPUs than the quota), so the limit was not what held it. */
		printf("phase %d: not throttled in %lld of %lld periods: the CPUs were busy\n", n,
		       periods - throttled, periods);
		*busy = true;
		return true;
	}
	if (-off > bound) {
		printf("phase %d: throttled in every period, yet used less than the quota\n", n);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"cpus", required_argument, NULL, 'c'}, {"then", required_argument, NULL, 'n'},
		{"time", required_argument, NULL, 't'}, {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},	{NULL, 0, NULL, 0},
	};
	double first = 0.75, then = 0.25, phase = 3, clock = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN), slice, tick, q1, q2, nperiods, bound_base;
	int c, nburn, nbusy;
	char call[256];
	struct cg_mount m;
	struct sample a1, b1, a2, b2;
	pid_t lab = getpid();
	bool ok1, ok2, busy = false;

	prog_init(argv[0]);
	opterr = 0; /* bad options are ours to report, in the suite's one-line form */
	while ((c = getopt_long(argc, argv, ":t:vh", opts, NULL)) != -1) {
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
		case ':':
		case '?':
		default:
			bad_option(c, argv);
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
	if (read_long("/proc/sys/kernel/sched_cfs_bandwidth_slice_us", &slice) < 0)
		unsupported("a kernel with CONFIG_CFS_BANDWIDTH",
			    "read /proc/sys/kernel/sched_cfs_bandwidth_slice_us: %s",
			    strerror(errno));
	tick = tick_us();
	nperiods = lround(phase * 1e6 / PERIOD);
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
	q1 = set_quota(first);

	/* More demand than either limit: one busy process per CPU (at least two). */
	nburn = ncpu < 2 ? 2 : ncpu > MAX_BURNERS ? MAX_BURNERS : (int)ncpu;
	nbusy = nburn < ncpu ? nburn : (int)ncpu;
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
	/* How far a window of whole periods may miss QUOTA x periods. Each CPU's share of the
	 * group (its cfs_rq) takes runtime from the quota a slice at a time and may carry up to a
	 * slice unused into the next period, or run up to one tick past its runtime before the
	 * tick throttles it (the debt is paid from the next quota). So at each period start the
	 * group is ahead or behind by at most slice + tick per CPU; our sample comes `late` after
	 * that start, when each busy CPU may have used `late` more. */
	bound_base = ncpu * (slice + tick);
	printf("bound: %ld CPUs x (bandwidth slice %ld us + tick %ld us) + %d busy CPUs x how "
	       "late we sample\n",
	       ncpu, slice, tick, nbusy);

	/* Measure only once the burners have settled: right after they start, the scheduler is
	 * still spreading them over the CPUs, and the group may run ahead of its quota (a debt
	 * the following periods pay back by throttling it longer). */
	at_period(stat_key("nr_periods") + WARMUP, &a1);
	printf("warm-up: %d periods\n", WARMUP);
	watch(nperiods, fmax(1.0, first * 1.34), &clock, &a1, &b1);
	printf("live update (as docker update --cpus %.2f):\n", then);
	q2 = set_quota(then);
	watch(nperiods, fmax(1.0, first * 1.34), &clock, &a2, &b2);

	ok1 = judge(1, first, q1, &a1, &b1, bound_base, nbusy, &busy);
	ok2 = judge(2, then, q2, &a2, &b2, bound_base, nbusy, &busy);
	if (!ok1 || !ok2) {
		printf("result: a phase missed its limit\n");
		return EXIT_FAIL;
	}
	if (busy)
		unsupported("run it on an idle machine",
			    "busy: other work took the CPUs, or the group did not get its quota in "
			    "every period (see above)");
	printf("result: both limits held\n");
	return EXIT_OK;
}
