/* cpushares.c - how the cpu controller splits one CPU between cgroups by weight (cpu.shares).
 *
 * Mechanism: a group's weight (v1 cpu.shares, default 1024; v2 cpu.weight, 100) is its claim to
 * the CPU against its runnable siblings; a group with nothing runnable claims nothing.
 * What it does: builds the course's tree under cseclab-cpushares on one CPU (a cpuset), starts a
 * burner per group stage by stage, compares each group's CPU time with the weights' theory;
 * --measure DIR... measures groups someone else made. Parts: cpushares-tree.c (--tree),
 * cpushares-weights.c (runc), cpushares-report.c (tables), cpushares-measure.c (--measure).
 * Outcome: last stage CG1 28.6, CG2 57.1, CG4 7.1, CG5 7.1 %; exit 0 "result: within", 1 not.
 * Needs: root, the cpu and cpuset controllers (cpuacct too on v1); 77 when the CPU is busy.
 * Read next: cgroups(7), Documentation/admin-guide/cgroup-v2.rst ("Weights"), sched(7).
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cpushares-measure.h"
#include "cpushares-report.h"
#include "cpushares-tree.h"
#include "cpushares-weights.h"
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOP "cseclab-cpushares"

static struct cg top; /* the course's `all` cpuset, and the parent of the tree */
static enum cg_version version;
static bool json, use_stress_ng;
static double window = 5.0, tolerance = 2.0;
static long cpu;
static struct cpu_window win; /* this stage's window on the pinned CPU */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [options]\n"
		"       %s --measure [-t SECONDS] [-v] CGROUP_DIR...\n"
		"Build a cgroup tree on one CPU, start a busy process per group stage by stage,\n"
		"and compare each group's measured CPU share with the share its weight "
		"promises.\n\n"
		"  -t, --time SECONDS      measuring window per stage (default 5, 0.2-60)\n"
		"      --tolerance POINTS  allowed error in percentage points (default 2)\n"
		"      --tree SPEC         another tree: PATH=SHARES[+],... ('+' = gets a burner,\n"
		"                          burners start in the order given); default:\n"
		"                          %s\n"
		"      --cpu N             the CPU to pin the tree to (default 0)\n"
		"      --stress-ng         burn with `stress-ng --cpu 1` as the course does\n"
		"      --json              print the results as JSON on stdout\n"
		"      --measure           no tree of ours: a burner in each existing CGROUP_DIR\n"
		"                          (absolute, of the cpu controller), all on one CPU, for\n"
		"                          -t SECONDS (default 2); prints 'measured: DIR PERCENT'\n"
		"  -v, --verbose           narrate every cgroup file written\n"
		"  -h, --help              this help\n\n"
		"Exit: 0 within tolerance (--measure: measured), 1 not (or an error), 2 usage (or\n"
		"a CGROUP_DIR that is not a cpu cgroup), 77 cannot run.\n",
		progname, progname, DEFAULT_TREE);
}

/* ---- building the tree ------------------------------------------------------------------ */

static void set_file(const struct cg *cg, const char *controller, const char *file, long value)
{
	char path[PATH_MAX];

	if (cg_path(cg, controller, file, path, sizeof(path)) < 0 ||
	    write_file(path, "%ld", value) < 0)
		dief("write %ld > %s: %s", value, path, strerror(errno));
	say("echo %ld > %s", value, path);
}

static long get_file(const struct cg *cg, const char *controller, const char *file)
{
	char path[PATH_MAX];
	long v;

	if (cg_path(cg, controller, file, path, sizeof(path)) < 0 || read_long(path, &v) < 0)
		dief("read %s: %s", path, strerror(errno));
	return v;
}

static void make_cgroup(struct cg *cg, const struct cg *parent, const char *name,
			const char *controllers)
{
	char call[256];

	if (cg_create(cg, parent, name, controllers, call) < 0)
		die(call);
	say("mkdir %s", cg->dir[0].path);
}

static void build_tree(void)
{
	char root_mems[PATH_MAX + 32];
	struct cg_mount m;
	long v;

	/* The top cgroup is the course's cpuset `all`: every burner on the same CPU, so that
	 * the weights decide who runs (on two free CPUs two burners would both get 100 %). */
	make_cgroup(&top, NULL, TOP, version == CG_V1 ? "cpu cpuacct cpuset" : "cpu cpuset");
	set_file(&top, "cpuset", "cpuset.cpus", cpu);
	/* cpuset.mems must name a memory node too (v1 refuses tasks until it does). */
	cg_find("cpuset", &m);
	snprintf(root_mems, sizeof(root_mems), "%s/cpuset.mems%s", m.path,
		 version == CG_V2 ? ".effective" : "");
	if (read_long(root_mems, &v) < 0) /* "0" or "0-1": the first node */
		v = 0;
	set_file(&top, "cpuset", "cpuset.mems", v);
	if (!json) {
		printf("cpuset: %s (the course's `all`)\n", cg_dir_of(&top, "cpuset")->path);
		printf("cpuset.cpus: %ld\n", get_file(&top, "cpuset", "cpuset.cpus"));
		printf("cpuset.mems: %ld\n", get_file(&top, "cpuset", "cpuset.mems"));
	}

	for (int i = 0; i < nnodes; i++) {
		struct node *n = &nodes[i];
		const struct cg *parent = n->parent < 0 ? &top : &nodes[n->parent].cg;
		const char *file = version == CG_V1 ? "cpu.shares" : "cpu.weight";
		long def, want = version == CG_V1 ? n->shares : shares_to_weight(n->shares);

		make_cgroup(&n->cg, parent, n->name, version == CG_V1 ? "cpu cpuacct" : "cpu");
		def = get_file(&n->cg, "cpu", file);
		set_file(&n->cg, "cpu", file, want);
		n->weight = get_file(&n->cg, "cpu", file);
		/* v1: a task competes with its group's child groups as one entity of weight 1024
		 * (nice 0). v2 forbids tasks in a group that passes a controller to children (the
		 * "no internal processes" rule), so the burner goes into a leaf, CG1/self, whose
		 * default weight 100 plays the part of that nice-0 task. */
		n->self_weight = version == CG_V1 ? 1024 : n->weight;
		if (version == CG_V2 && n->burner && has_children(i)) {
			make_cgroup(&n->self, &n->cg, "self", "cpu");
			n->has_self = true;
			n->self_weight = get_file(&n->self, "cpu", "cpu.weight");
		}
		if (!json)
			printf("%-12s %s %ld (default %ld)%s\n", n->path, file, n->weight, def,
			       n->has_self ? ", its burner in the leaf self/" : "");
	}
}

/* ---- burners ----------------------------------------------------------------------------- */

/* Fork a busy process and put it into node I's cgroup before it starts burning. */
static void start_burner(int i)
{
	struct node *n = &nodes[i];
	const struct cg *leaf = n->has_self ? &n->self : &n->cg;
	char call[256];
	int gate[2];

	if (pipe2(gate, O_CLOEXEC) < 0)
		die("pipe2");
	n->pid = fork_burner(gate, use_stress_ng); /* waits at the gate: cpushares-measure.c */
	close(gate[0]);
	/* The cgroup move is one write of the pid to cgroup.procs, in each hierarchy: on v1
	 * first the top's cpuset (the nodes have none of their own), then the leaf's cpu (and
	 * cpuacct) directories. */
	if (version == CG_V1) {
		struct cg cpuset = {.ndirs = 1, .dir = {*cg_dir_of(&top, "cpuset")}};

		if (cg_attach(&cpuset, n->pid, call) < 0)
			die(call);
	}
	if (cg_attach(leaf, n->pid, call) < 0)
		die(call);
	for (int d = 0; d < leaf->ndirs; d++)
		say("echo %d > %s/cgroup.procs", n->pid, leaf->dir[d].path);
	if (write(gate[1], "g", 1) != 1) /* go */
		die("write gate");
	close(gate[1]);
}

/* ---- measuring -------------------------------------------------------------------------- */

/* CPU time the cgroup and its descendants used, in microseconds. */
static long long usage_of(const struct cg *cg)
{
	long long v;

	if (version == CG_V2) {
		if (cg_read_key(cg, "cpu", "cpu.stat", "usage_usec", &v) < 0)
			die("read cpu.stat usage_usec");
		return v;
	}
	return get_file(cg, "cpuacct", "cpuacct.usage") / 1000; /* nanoseconds on v1 */
}

/* The CPU time of node I's own burner: on v2 its leaf; on v1 the group minus its children
 * (cpuacct.usage counts the whole subtree). */
static long long own_usage(int i)
{
	struct node *n = &nodes[i];
	long long v;

	if (n->has_self)
		return usage_of(&n->self);
	if (version == CG_V2 && has_children(i))
		return 0; /* tasks cannot live here */
	v = usage_of(&n->cg);
	if (version == CG_V1)
		for (int j = 0; j < nnodes; j++)
			if (nodes[j].parent == i)
				v -= usage_of(&nodes[j].cg);
	return v < 0 ? 0 : v;
}

static bool active(int i) /* a started burner in I's subtree */
{
	if (nodes[i].pid > 0)
		return true;
	for (int j = 0; j < nnodes; j++)
		if (nodes[j].parent == i && active(j))
			return true;
	return false;
}

/* CFS splits a parent's time between its runnable entities by weight: the parent's own task
 * (if it has one) and every child group with something runnable below it. A group with no
 * runnable task (CG3 at stage 2) takes nothing, whatever its weight. */
static void theory(int parent, double share)
{
	double sum = 0;

	if (parent >= 0 && nodes[parent].pid > 0)
		sum += nodes[parent].self_weight;
	for (int j = 0; j < nnodes; j++)
		if (nodes[j].parent == parent && active(j))
			sum += nodes[j].weight;
	if (parent >= 0)
		nodes[parent].expected =
			nodes[parent].pid > 0 ? share * nodes[parent].self_weight / sum : 0;
	for (int j = 0; j < nnodes; j++)
		if (nodes[j].parent == parent)
			theory(j, active(j) ? share * nodes[j].weight / sum : 0);
}

/* The pinned CPU's line of /proc/stat: "cpuN user nice system idle iowait irq softirq steal
 * guest guest_nice", in clock ticks (USER_HZ). guest and guest_nice are already counted in user
 * and nice. TOTAL is all of the CPU's time, IDLE the part nothing ran (idle + iowait). */
static void cpu_times(long long *total, long long *idle)
{
	char want[32], line[512];
	long long v[8] = {0};
	bool found = false;
	FILE *f = fopen("/proc/stat", "re");

	if (!f)
		die("open /proc/stat");
	snprintf(want, sizeof(want), "cpu%ld ", cpu);
	while (!found && fgets(line, sizeof(line), f))
		found = strncmp(line, want, strlen(want)) == 0;
	fclose(f);
	if (!found || sscanf(line + strlen(want), "%lld %lld %lld %lld %lld %lld %lld %lld", &v[0],
			     &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 4)
		dief("/proc/stat: no line for cpu%ld", cpu);
	*total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
	*idle = v[3] + v[4];
}

static void measure(void)
{
	long long total = 0, t0, i0, t1, i1, tree0, tree1;
	double us_per_tick = 1e6 / (double)sysconf(_SC_CLK_TCK);

	cpu_times(&t0, &i0);
	tree0 = usage_of(&top);
	for (int i = 0; i < nnodes; i++)
		nodes[i].usage = own_usage(i);
	sleep_s(window);
	for (int i = 0; i < nnodes; i++) {
		long long now = own_usage(i);

		nodes[i].delta = now - nodes[i].usage;
		nodes[i].usage = now;
		total += nodes[i].delta;
	}
	tree1 = usage_of(&top);
	cpu_times(&t1, &i1);
	win.total = llround((double)(t1 - t0) * us_per_tick);
	win.idle = llround((double)(i1 - i0) * us_per_tick);
	win.tree = tree1 - tree0;
	/* /proc/stat counts the tree's time as busy too: the rest of the busy time is others'. */
	win.others = win.total - win.idle - win.tree;
	if (win.others < 0)
		win.others = 0;
	for (int i = 0; i < nnodes; i++) {
		nodes[i].measured = total > 0 ? 100.0 * (double)nodes[i].delta / (double)total : 0;
		nodes[i].of_cpu =
			win.total > 0 ? 100.0 * (double)nodes[i].delta / (double)win.total : 0;
	}
}

/* Stage 1: one burner, alone in the tree. The course says it takes almost 100 % of the CPU:
 * here, of the CPU time that nothing outside the tree used (the window minus other work, that
 * is the tree's time plus the idle time). /proc/stat counts in clock ticks (USER_HZ, 10 ms on
 * most machines), so each of our two readings may be off by one tick: we need at least ten
 * times that much free CPU to tell 90 % apart, or other work left too little to show it. */
#define ALONE_MIN 90.0
static double alone = 100.0;

static void check_alone(int i)
{
	long long res = 2 * llround(1e6 / (double)sysconf(_SC_CLK_TCK)), left = win.tree + win.idle;

	if (left < 10 * res)
		unsupported(
			"run it when the CPU is not busy, or pick another one with --cpu",
			"busy: other work used %lld ms of CPU %ld's %lld ms in stage 1, leaving "
			"%lld "
			"ms: at least %lld ms (10 x the %lld ms /proc/stat resolution) are needed",
			win.others / 1000, cpu, win.total / 1000, left / 1000, 10 * res / 1000,
			res / 1000);
	alone = 100.0 * (double)nodes[i].delta / (double)left;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"time", required_argument, NULL, 't'},
		{"tolerance", required_argument, NULL, 'T'},
		{"tree", required_argument, NULL, 'r'},
		{"cpu", required_argument, NULL, 'c'},
		{"stress-ng", no_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{"measure", no_argument, NULL, 'M'}, /* groups made by someone else */
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *tree = DEFAULT_TREE, *lab_only = NULL;
	struct cg_mount m;
	bool measure_mode = false, window_set = false;
	int c, stage = 0;

	prog_init(argv[0]);
	opterr = 0; /* bad options are ours to report, in the suite's one-line form */
	while ((c = getopt_long(argc, argv, ":t:vh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_double(optarg, 0.2, 60, &window) < 0)
				usage_error("-t: '%s' is not a number of seconds in 0.2..60",
					    optarg);
			window_set = true;
			break;
		case 'T':
			if (parse_double(optarg, 0, 100, &tolerance) < 0)
				usage_error("--tolerance: '%s' is not 0..100 points", optarg);
			lab_only = "--tolerance";
			break;
		case 'r':
			tree = optarg;
			lab_only = "--tree";
			break;
		case 'c':
			if (parse_long(optarg, 0, 4095, &cpu) < 0)
				usage_error("--cpu: '%s' is not a CPU number", optarg);
			lab_only = "--cpu";
			break;
		case 's':
			use_stress_ng = true;
			lab_only = "--stress-ng";
			break;
		case 'j':
			json = true;
			lab_only = "--json";
			break;
		case 'M':
			measure_mode = true;
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
	/* Groups someone else made: cpushares-measure.c. */
	if (measure_mode && lab_only)
		usage_error("--measure takes -t and -v only, not %s", lab_only);
	if (measure_mode)
		return measure_groups(argv + optind, argc - optind, window_set ? window : 2.0);
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	parse_tree(tree);
	require_root("to create cgroups");

	/* v1 hybrid: cpu, cpuacct and cpuset each in a v1 hierarchy; v2: one tree for all. */
	if (cg_find("cpu", &m) < 0)
		unsupported("enable the cpu controller (CONFIG_CGROUP_SCHED)",
			    "no cpu cgroup controller");
	version = m.version;
	if (cg_missing(version == CG_V1 ? "cpu cpuacct cpuset" : "cpu cpuset"))
		unsupported("mount the cpuset (and on v1 cpuacct) controller",
			    "no %s cgroup controller",
			    cg_missing(version == CG_V1 ? "cpu cpuacct cpuset" : "cpu cpuset"));
	if (use_stress_ng && system("command -v stress-ng >/dev/null 2>&1") != 0)
		unsupported("apt-get install stress-ng", "stress-ng is not installed");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!json)
		printf("cgroup: v%d, cpu %ld, window %.1f s, tolerance %.1f points\n", version, cpu,
		       window, tolerance);
	build_tree();
	print_conversions(json);

	report_open(json, version, cpu, window, TOP);
	for (int i = 0; i < nnodes; i++) {
		if (!nodes[i].burner)
			continue;
		stage++;
		start_burner(i);
		/* Let the scheduler settle on the new runnable set (stress-ng forks its worker
		 * only after its own set-up, so give it longer). */
		sleep_s(use_stress_ng ? 1.0 : 0.3);
		theory(-1, 100.0);
		measure();
		report_stage(stage, i, &win);
		if (stage == 1)
			check_alone(i); /* exits 77 when other work left too little */
		report_stage_end(stage, i, alone, ALONE_MIN);
	}
	return report_result(alone, ALONE_MIN, tolerance) ? EXIT_OK : EXIT_FAIL;
}
