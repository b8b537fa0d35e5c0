/* cgtree.c - where a process lives in the cgroup hierarchies, and what limits apply there.
 *
 * Mechanism: /proc/PID/cgroup names a process's cgroup in each hierarchy ("ID:CONTROLLERS:PATH",
 * "0::PATH" on v2); a mount shows one cgroup of its hierarchy at the mount point (field 4 of
 * /proc/self/mountinfo: "/" for all of it, "/docker/ab12" for a container's bind mount).
 * What it does: turns each /proc/PID/cgroup line into a directory through the mount that shows
 * it, then prints the tree below each DIR with task counts, limits and usage. --demo builds
 * cseclab-cgtree/{web,db}, puts a sleeping process in web and shows both.
 * Outcome: exit 0; "  8:pids:/cseclab-cgtree/web   /sys/fs/cgroup/pids/cseclab-cgtree/web".
 * Needs: root only for --demo and for other users' processes (docker inspect gives a PID).
 * Read next: cgroups(7) ("/proc/[pid]/cgroup"), proc(5) (mountinfo), cgroup_namespaces(7).
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cseclab.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct cg demo_top, demo_web, demo_db;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-p PID] [-d DEPTH] [DIR...]\n"
		"       %s --demo\n"
		"Show the cgroups of process PID (default: this one), then the tree below each\n"
		"cgroup directory DIR with its limits and usage.\n\n"
		"  -p, --pid PID     whose /proc/PID/cgroup to show\n"
		"  -d, --depth N     how deep to walk below DIR (default 3, 0-10)\n"
		"      --demo        build cseclab-cgtree/{web,db}, put a process in web, show "
		"both\n"
		"  -h, --help        this help\n\n"
		"Exit: 0 shown, 1 error (no such process or directory), 2 usage, 77 cannot run.\n",
		progname, progname);
}

/* The files worth a glance, in the order printed; each group shows those it has. */
static const char *const shown[] = {
	"cpu.shares",
	"cpu.weight",
	"cpu.max",
	"cpu.cfs_quota_us",
	"cpuset.cpus",
	"memory.limit_in_bytes",
	"memory.max",
	"memory.usage_in_bytes",
	"memory.current",
	"pids.max",
	"pids.current",
	"freezer.state",
	"cgroup.subtree_control",
};

static int count_procs(const char *dir)
{
	char path[PATH_MAX], buf[65536];
	int n = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	for (char *p = buf; *p; p++)
		n += *p == '\n';
	return n;
}

static void show_group(const char *dir, const char *name, int depth, int max_depth)
{
	char path[PATH_MAX], val[256];
	struct dirent **list;
	int n;

	printf("%*s%s/  procs=%d", depth * 2, "", name, count_procs(dir));
	for (size_t i = 0; i < ARRAY_SIZE(shown); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, shown[i]);
		if (read_file(path, val, sizeof(val)) <= 0)
			continue;
		val[strcspn(val, "\n")] = '\0';
		if (!val[0])
			continue;
		/* v1 writes "no limit" as the largest page-aligned number */
		if (strcmp(val, "9223372036854771712") == 0 || strcmp(val, "-1") == 0)
			snprintf(val, sizeof(val), "max");
		printf("  %s=%s", shown[i], val);
	}
	putchar('\n');
	if (depth >= max_depth)
		return;
	n = scandir(dir, &list, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		if (list[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			show_group(path, list[i]->d_name, depth + 1, max_depth);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
}

/* Is the hierarchy of a /proc/PID/cgroup line (CTRL: "pids", "cpu,cpuacct", "name=systemd", or
 * "" for v2) the one mounted at M? A v1 mount serves every controller CTRL lists, and a named
 * hierarchy has the name CTRL gives. M comes from cg_mounts() (common/cgroup.c), which reads
 * /proc/self/mountinfo:
 *   39 31 0:36 /docker/ab12 /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
 * and leaves out a mount that a later one hides (a container's bind mount over the host's). */
static bool same_hierarchy(const struct cg_mount *m, const char *ctrl)
{
	char list[256], *item, *save = NULL;

	if (!ctrl[0] || m->version == CG_V2)
		return !ctrl[0] && m->version == CG_V2;
	snprintf(list, sizeof(list), "%s", ctrl);
	for (item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if (strncmp(item, "name=", 5) == 0 ? strcmp(m->name, item + 5) != 0
						   : !cg_has(m->controllers, item))
			return false;
	}
	return true;
}

/* The directory of cgroup PATH through mount M: M's mount point shows M's root (field 4 of
 * mountinfo), so PATH must lie below that root. Like the paths in /proc/PID/cgroup, the root is
 * relative to the reader's cgroup namespace: "/.." when the mount shows a cgroup above the
 * namespace's root. 0 and OUT filled, -1 when M does not show PATH. */
static int through_mount(const struct cg_mount *m, const char *path, char *out, size_t len)
{
	size_t n = strcmp(m->root, "/") == 0 ? 0 : strlen(m->root);

	if (strncmp(path, m->root, n) != 0 || (path[n] != '/' && path[n] != '\0'))
		return -1;
	snprintf(out, len, "%s%s", m->path, strcmp(path + n, "/") == 0 ? "" : path + n);
	return 0;
}

/* /proc/PID/cgroup: "4:memory:/docker/ab12" (v1) or "0::/system.slice/x.scope" (v2). */
static void show_process(pid_t pid)
{
	char path[64], buf[8192], *save = NULL;
	struct cg_mount mounts[32];
	int nm = cg_mounts(mounts, 32);

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (nm < 0)
		die("open /proc/self/mountinfo");
	if (read_file(path, buf, sizeof(buf)) < 0)
		dief("read %s: %s", path, strerror(errno));
	printf("process: %d\n", (int)pid);
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char ctrl[256], where[PATH_MAX + 256];
		const struct cg_mount *other = NULL;
		bool found = false;

		if (!c2)
			continue;
		snprintf(ctrl, sizeof(ctrl), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
		snprintf(where, sizeof(where), "(not mounted here)");
		for (int i = 0; i < nm; i++) {
			if (!same_hierarchy(&mounts[i], ctrl))
				continue;
			if (through_mount(&mounts[i], c2 + 1, where, sizeof(where)) == 0) {
				found = true;
				break;
			}
			other = &mounts[i];
		}
		/* Mounted, but showing another part of the hierarchy (a bind mount of another
		 * cgroup, or one outside our cgroup namespace): no path leads there from here. */
		if (!found && other)
			snprintf(where, sizeof(where),
				 "(not below the root %.1024s mounted at %.1024s)", other->root,
				 other->path);
		printf("  %-28s %s\n", line, where);
	}
}

static void make_group(struct cg *cg, const struct cg *parent, const char *name,
		       const char *controllers)
{
	char call[256];

	if (cg_create(cg, parent, name, controllers, call) < 0)
		die(call);
}

static int demo(int max_depth)
{
	const char *ctl = cg_missing("memory") ? "pids" : "pids memory";
	char call[256];
	pid_t pid, lab = getpid();
	int status;

	require_root("to create cgroups");
	if (cg_missing("pids"))
		unsupported("a kernel with CONFIG_CGROUP_PIDS", "no pids controller for the demo");
	make_group(&demo_top, NULL, "cseclab-cgtree", ctl);
	make_group(&demo_web, &demo_top, "web", ctl);
	make_group(&demo_db, &demo_top, "db", ctl);
	/* The same writes docker makes for --pids-limit and --memory. */
	if (cg_write(&demo_web, "pids", "pids.max", "20") < 0 ||
	    cg_write(&demo_db, "pids", "pids.max", "10") < 0)
		die("write pids.max");
	if (cg_dir_of(&demo_web, "memory") &&
	    cg_write(&demo_web, "memory",
		     cg_dir_of(&demo_web, "memory")->version == CG_V1 ? "memory.limit_in_bytes"
								      : "memory.max",
		     "%ld", 256L << 20) < 0)
		die("write memory limit");

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != lab)
			_exit(1);
		pause();
		_exit(0);
	}
	if (cg_attach(&demo_web, pid, call) < 0)
		die(call);
	show_process(pid);
	for (int i = 0; i < demo_top.ndirs; i++) {
		printf("tree: %s\n", demo_top.dir[i].path);
		show_group(demo_top.dir[i].path, "cseclab-cgtree", 1, max_depth);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"pid", required_argument, NULL, 'p'},
		{"depth", required_argument, NULL, 'd'},
		{"demo", no_argument, NULL, 'D'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long pid = getpid(), depth = 3;
	bool do_demo = false;
	int c;

	prog_init(argv[0]);
	opterr = 0; /* bad options are ours to report, in the suite's one-line form */
	while ((c = getopt_long(argc, argv, ":p:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_long(optarg, 1, 4194304, &pid) < 0)
				usage_error("-p: '%s' is not a process id", optarg);
			break;
		case 'd':
			if (parse_long(optarg, 0, 10, &depth) < 0)
				usage_error("-d: '%s' is not a depth in 0..10", optarg);
			break;
		case 'D':
			do_demo = true;
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
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (do_demo) {
		if (optind < argc)
			usage_error("--demo takes no directory");
		return demo((int)depth);
	}
	show_process((pid_t)pid);
	for (int i = optind; i < argc; i++) {
		struct stat st;
		const char *base = strrchr(argv[i], '/');

		if (stat(argv[i], &st) < 0 || !S_ISDIR(st.st_mode))
			dief("%s: not a cgroup directory", argv[i]);
		printf("tree: %s\n", argv[i]);
		show_group(argv[i], base && base[1] ? base + 1 : argv[i], 1, (int)depth);
	}
	return EXIT_OK;
}
