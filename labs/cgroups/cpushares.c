/* cpushares - how the cpu controller splits one CPU between cgroups by weight (cpu.shares).
 *
 * Builds the course's tree under cseclab-cpushares, pinned to one CPU with a cpuset:
 * CG1 (1024, a burner) > CG2 (2048, a burner) and CG3 (512, no task) > CG4, CG5 (1024, a burner
 * each). It starts the burners one stage at a time and measures each group's CPU time (v1
 * cpuacct.usage, v2 cpu.stat usage_usec) as a share of the tree's, against the theory from the
 * weights read back, and as a share of the CPU's time (its /proc/stat line). Stage 1: CG1 takes
 * the CPU other work leaves; last stage: CG1 28.6 %, CG2 57.1 %, CG4 7.1 %, CG5 7.1 % of the tree.
 * Exit 0 and "result: within 2.0 points" when every group is within --tolerance and stage 1's
 * burner took >= 90 % of the free CPU; 1 otherwise; 77 when other work left too little free.
 * Needs root and the cpu + cpuset controllers (cpuacct too on v1), cgroup v1 or v2.
 * Read next: cgroups(7), Documentation/admin-guide/cgroup-v2.rst ("Weights"), sched(7), proc(5).
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cseclab.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOP	     "cseclab-cpushares"
#define MAX_NODES    12
#define DEFAULT_TREE "CG1=1024+,CG1/CG2=2048+,CG1/CG3=512,CG1/CG3/CG4=1024+,CG1/CG3/CG5=1024+"
#define BAR_WIDTH    40

struct node {
	char name[32];	/* last path component: "CG4" */
	char path[128]; /* from the top: "CG1/CG3/CG4" */
	int parent;	/* index in nodes[], -1 for a child of the top cgroup */
	long shares;	/* as the course sets it (v1 cpu.shares) */
	bool burner;	/* gets a busy process at some stage */
	struct cg cg;	/* its cgroup */
	struct cg self; /* v2 only: the leaf that holds its burner when it also has children */
	bool has_self;
	long weight;	  /* read back: cpu.shares (v1) or cpu.weight (v2) */
	long self_weight; /* the weight its own burner competes with (see theory()) */
	pid_t pid;	  /* its burner, 0 before its stage */
	long long usage;  /* own CPU time at the last sample, microseconds */
	double expected;  /* percent of the tree's CPU, this stage */
	double measured;  /* percent of the tree's CPU, this stage */
	double of_cpu;	  /* percent of the pinned CPU's time, this stage */
	long long delta;  /* own CPU time over this stage's window, microseconds */
};

static struct node nodes[MAX_NODES];
static int nnodes;
static struct cg top; /* the course's `all` cpuset, and the parent of the tree */
static enum cg_version version;
static bool json, use_stress_ng;
static double window = 5.0, tolerance = 2.0;
static long cpu;

/* One stage's window on the pinned CPU, in microseconds: its whole time (/proc/stat), what the
 * tree used (our cgroups), what the CPU idled, and what everything else used. */
static struct {
	long long total, tree, idle, others;
} win;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [options]\n"
		"Build a cgroup tree on one CPU, start a busy process per group stage by stage, "
		"and\n"
		"compare each group's measured CPU share with the share its weight promises.\n\n"
		"  -t, --time SECONDS      measuring window per stage (default 5, 0.2-60)\n"
		"      --tolerance POINTS  allowed error in percentage points (default 2)\n"
		"      --tree SPEC         another tree: PATH=SHARES[+],... ('+' = gets a burner,\n"
		"                          burners start in the order given); default:\n"
		"                          %s\n"
		"      --cpu N             the CPU to pin the tree to (default 0)\n"
		"      --stress-ng         burn with `stress-ng --cpu 1` as the course does\n"
		"      --json              print the results as JSON on stdout\n"
		"  -v, --verbose           narrate every cgroup file written\n"
		"  -h, --help              this help\n\n"
		"Exit: 0 every group within tolerance, 1 not (or an error), 2 usage, 77 cannot "
		"run.\n",
		progname, DEFAULT_TREE);
}

/* ---- the tree specification: "CG1=1024+,CG1/CG2=2048+,..." ---------------------------- */

static int find_node(const char *path)
{
	for (int i = 0; i < nnodes; i++)
		if (strcmp(nodes[i].path, path) == 0)
			return i;
	return -1;
}

static void parse_tree(const char *spec)
{
	char buf[1024], *save = NULL;

	if (strlen(spec) >= sizeof(buf))
		usage_error("--tree: too long");
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		struct node *n = &nodes[nnodes];
		char *eq = strchr(tok, '='), *slash, *plus;

		if (nnodes == MAX_NODES)
			usage_error("--tree: at most %d groups", MAX_NODES);
		if (!eq)
			usage_error("--tree: '%s' is not PATH=SHARES[+]", tok);
		*eq = '\0';
		plus = strchr(eq + 1, '+');
		n->burner = plus != NULL;
		if (plus && plus[1] != '\0')
			usage_error("--tree: '%s': '+' must end the entry", tok);
		if (plus)
			*plus = '\0';
		/* v1 accepts 2..262144 for cpu.shares. */
		if (parse_long(eq + 1, 2, 262144, &n->shares) < 0)
			usage_error("--tree: shares of %s: '%s' is not a number in 2..262144", tok,
				    eq + 1);
		if (strlen(tok) == 0 || strlen(tok) >= sizeof(n->path))
			usage_error("--tree: bad group path '%s'", tok);
		slash = strrchr(tok, '/');
		if (strlen(slash ? slash + 1 : tok) >= sizeof(n->name))
			usage_error("--tree: group name in '%s' is too long", tok);
		strcpy(n->name, slash ? slash + 1 : tok);
		for (const char *c = n->name; *c; c++)
			if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '-'))
				usage_error("--tree: group name '%s': use letters, digits, - and _",
					    n->name);
		if (!n->name[0] || strcmp(n->name, "self") == 0)
			usage_error("--tree: group name '%s' is empty or reserved", n->name);
		if (find_node(tok) >= 0)
			usage_error("--tree: %s given twice", tok);
		snprintf(n->path, sizeof(n->path), "%s", tok);
		n->parent = -1;
		if (slash) {
			*slash = '\0';
			n->parent = find_node(tok);
			if (n->parent < 0)
				usage_error("--tree: parent '%s' of %s must come before it", tok,
					    n->name);
		}
		nnodes++;
	}
	if (nnodes == 0)
		usage_error("--tree: no group given");
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].burner)
			return;
	usage_error("--tree: no group has a burner ('+')");
}

static bool has_children(int i)
{
	for (int j = 0; j < nnodes; j++)
		if (nodes[j].parent == i)
			return true;
	return false;
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

/* v2's cpu.weight (1..10000, default 100) replaces v1's cpu.shares (2..262144, default 1024).
 * We scale so that the default maps to the default: the ratios stay exact (1024:2048:512 ->
 * 100:200:50). runc and systemd have used other formulas; print_conversions() shows them. */
static long shares_to_weight(long shares)
{
	long w = (shares * 100 + 512) / 1024;

	return w < 1 ? 1 : w > 10000 ? 10000 : w;
}

static long runc_linear(long shares) /* runc before 1.3: maps 2..262144 onto 1..10000 */
{
	return 1 + ((shares - 2) * 9999) / 262142;
}

static long runc_quadratic(long shares) /* runc 1.3+: 2->1, 1024->100, 262144->10000 */
{
	double l = log2((double)shares);

	if (shares <= 2)
		return 1;
	return (long)ceil(pow(10, (l * l + 125 * l) / 612.0 - 7.0 / 34.0));
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

static void print_conversions(void)
{
	if (json)
		return;
	printf("\nshares -> cgroup v2 cpu.weight (this lab: shares*100/1024, exact ratios):\n");
	printf("  %-12s %8s %8s %12s %14s\n", "group", "shares", "lab", "runc<1.3", "runc>=1.3");
	for (int i = 0; i < nnodes; i++)
		printf("  %-12s %8ld %8ld %12ld %14ld\n", nodes[i].name, nodes[i].shares,
		       shares_to_weight(nodes[i].shares), runc_linear(nodes[i].shares),
		       runc_quadratic(nodes[i].shares));
	printf("  (runc<1.3 maps 2..262144 linearly onto 1..10000, so 1024 becomes 39 and the\n"
	       "   default no longer matches; runc>=1.3 keeps 1024 -> 100 but bends the curve, so\n"
	       "   2048 is not twice 1024. Same shares, different CPU split under each.)\n");
}

/* ---- burners ----------------------------------------------------------------------------- */

static void burn(void)
{
	volatile unsigned long spin = 0;

	for (;;)
		spin++;
}

/* Fork a busy process and put it into node I's cgroup before it starts burning. */
static void start_burner(int i)
{
	struct node *n = &nodes[i];
	const struct cg *leaf = n->has_self ? &n->self : &n->cg;
	char path[PATH_MAX], go;
	pid_t parent = getpid();
	int gate[2];

	if (pipe2(gate, O_CLOEXEC) < 0)
		die("pipe2");
	n->pid = fork();
	if (n->pid < 0)
		die("fork");
	if (n->pid == 0) {
		/* Die with the lab, even if it is killed with SIGKILL. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		close(gate[1]);
		if (read(gate[0], &go, 1) != 1) /* wait until we are in the cgroups */
			_exit(1);
		if (use_stress_ng) {
			execlp("stress-ng", "stress-ng", "--quiet", "--cpu", "1", (char *)NULL);
			_exit(127);
		}
		burn();
	}
	close(gate[0]);
	/* The cgroup move is one write of the pid to cgroup.procs, in each hierarchy. */
	if (version == CG_V1) {
		cg_path(&top, "cpuset", "cgroup.procs", path, sizeof(path));
		if (write_file(path, "%d", n->pid) < 0)
			dief("write %d > %s: %s", n->pid, path, strerror(errno));
	}
	for (int d = 0; d < leaf->ndirs; d++) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", leaf->dir[d].path);
		if (write_file(path, "%d", n->pid) < 0)
			dief("write %d > %s: %s", n->pid, path, strerror(errno));
		say("echo %d > %s", n->pid, path);
	}
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

static void sleep_s(double s)
{
	struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (time_t)s) * 1e9)};

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
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

/* "#" up to the measured share, "|" where the theory says it should end. */
static void bar(double measured, double expected)
{
	int fill = (int)(measured / 100 * BAR_WIDTH + 0.5);
	int mark = (int)(expected / 100 * BAR_WIDTH + 0.5);

	for (int c = 0; c <= BAR_WIDTH; c++)
		putchar(c == mark ? '|' : c < fill ? '#' : '.');
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
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *tree = DEFAULT_TREE;
	struct cg_mount m;
	double worst = 0;
	int c, stage = 0, worst_stage = 0, worst_node = 0;
	bool ok;

	prog_init(argv[0]);
	while ((c = getopt_long(argc, argv, "t:vh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_double(optarg, 0.2, 60, &window) < 0)
				usage_error("-t: '%s' is not a number of seconds in 0.2..60",
					    optarg);
			break;
		case 'T':
			if (parse_double(optarg, 0, 100, &tolerance) < 0)
				usage_error("--tolerance: '%s' is not 0..100 points", optarg);
			break;
		case 'r':
			tree = optarg;
			break;
		case 'c':
			if (parse_long(optarg, 0, 4095, &cpu) < 0)
				usage_error("--cpu: '%s' is not a CPU number", optarg);
			break;
		case 's':
			use_stress_ng = true;
			break;
		case 'j':
			json = true;
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
	print_conversions();

	if (json)
		printf("{\"cgroup\": %d, \"cpu\": %ld, \"window\": %.1f, \"stages\": [", version,
		       cpu, window);
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
		if (!json) {
			printf("\nstage %d: + burner in %s (pid %d)\n", stage, nodes[i].path,
			       nodes[i].pid);
			printf("cpu %ld: window %.0f ms, tree %.0f ms, "
			       "other work %.0f ms, idle %.0f ms\n",
			       cpu, win.total / 1e3, win.tree / 1e3, win.others / 1e3,
			       win.idle / 1e3);
			if (win.others * 10 > win.total)
				printf("  (other work competes with %s: %s)\n", TOP,
				       version == CG_V1 ? "on v1 a busy task in the root cgroup "
							  "weighs 1024, as much as CG1"
							: "other cgroups by their cpu.weight");
		} else {
			printf("%s{\"stage\": %d, \"window_ms\": %.0f, \"tree_ms\": %.0f, "
			       "\"others_ms\": %.0f, \"idle_ms\": %.0f, \"groups\": [",
			       stage > 1 ? ", " : "", stage, win.total / 1e3, win.tree / 1e3,
			       win.others / 1e3, win.idle / 1e3);
		}
		for (int j = 0, k = 0; j < nnodes; j++) {
			double err = fabs(nodes[j].measured - nodes[j].expected);

			if (nodes[j].pid == 0)
				continue;
			if (err > worst) {
				worst = err;
				worst_stage = stage;
				worst_node = j;
			}
			if (json) {
				printf("%s{\"name\": \"%s\", \"shares\": %ld, \"weight\": %ld, "
				       "\"expected\": %.1f, \"measured\": %.1f, \"of_cpu\": %.1f}",
				       k++ ? ", " : "", nodes[j].name, nodes[j].shares,
				       nodes[j].weight, nodes[j].expected, nodes[j].measured,
				       nodes[j].of_cpu);
				continue;
			}
			/* the bar first, so that it lines up; the numbers after it, unpadded */
			printf("  %-5s ", nodes[j].name);
			bar(nodes[j].measured, nodes[j].expected);
			printf("  shares %ld  expected %.1f %%  measured %.1f %% of the tree, %.1f "
			       "%% "
			       "of the CPU\n",
			       nodes[j].shares, nodes[j].expected, nodes[j].measured,
			       nodes[j].of_cpu);
		}
		if (stage == 1)
			check_alone(i); /* exits 77 when other work left too little */
		if (stage == 1 && !json)
			printf("stage 1: %s took %.1f %% of the CPU time other work left (at least "
			       "%.0f %% expected)\n",
			       nodes[i].name, alone, ALONE_MIN);
		if (json)
			printf("]}");
	}
	ok = worst <= tolerance && alone >= ALONE_MIN;
	if (json) {
		printf("], \"alone\": %.1f, \"worst\": %.1f, \"tolerance\": %.1f, \"ok\": %s}\n",
		       alone, worst, tolerance, ok ? "true" : "false");
	} else if (alone < ALONE_MIN) {
		printf("\nresult: stage 1's burner took only %.1f %% of the CPU time other work "
		       "left, less than %.0f %%\n",
		       alone, ALONE_MIN);
	} else if (worst <= tolerance) {
		printf("\nresult: within %.1f points of theory (worst %.1f, stage %d %s)\n",
		       tolerance, worst, worst_stage, nodes[worst_node].name);
	} else {
		printf("\nresult: off by %.1f points (stage %d %s), more than %.1f: is CPU %ld "
		       "busy with real-time or other pinned work?\n",
		       worst, worst_stage, nodes[worst_node].name, tolerance, cpu);
	}
	return ok ? EXIT_OK : EXIT_FAIL;
}
