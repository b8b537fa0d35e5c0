/* memlimit.c - the memory controller: a process allocating past its cgroup's limit is killed.
 *
 * Mechanism: a hard memory limit with no swap, the writes of `docker run --memory M
 * --memory-swap M` (v1 memory.limit_in_bytes and memory.memsw.limit_in_bytes where swap is
 * accounted; v2 memory.max and memory.swap.max 0): past it the OOM killer ends a task of the
 * group. --high MIB (v2) adds memory.high, where the kernel throttles instead of killing.
 * What it does: creates cseclab-memlimit, moves a child in, and the child touches memory 1 MiB
 * at a time; prints the limit, the peak, oom_kill and how the child died. --baseline: no limit.
 * Outcome: exit 0 with "victim: killed by SIGKILL" and "result: the limit held"; 1 if it lived.
 * Needs: root and the memory controller.
 * Read next: cgroups(7), Documentation/admin-guide/cgroup-v2.rst ("Memory"), cgroup-v1/memory.rst.
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cseclab.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define CGNAME "cseclab-memlimit"
#define MIB    (1024L * 1024L)

static struct cg mem;
static enum cg_version version;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-m MIB] [--high MIB] [--baseline] [-v]\n"
		"Allocate memory in a cgroup with a hard limit until the OOM killer steps in.\n\n"
		"  -m, --limit MIB   the limit in MiB (default 64, 16-4096); the child tries 4x\n"
		"      --high MIB    v2: also set memory.high (below MIB), where the kernel\n"
		"                    throttles the child (puts it to sleep) instead of killing it\n"
		"      --baseline    no limit: the child touches 2x MIB and exits normally\n"
		"  -v, --verbose     narrate each step: the mkdir, every file written\n"
		"  -h, --help        this help\n\n"
		"Exit: 0 shown (killed at the limit, or the baseline completed), 1 not, 2 usage,\n"
		"77 cannot run here.\n",
		progname);
}

static void set(const char *file, long value)
{
	char path[PATH_MAX];

	if (cg_path(&mem, "memory", file, path, sizeof(path)) < 0 ||
	    write_file(path, "%ld", value) < 0)
		dief("write %ld > %s: %s", value, path, strerror(errno));
	say("echo %ld > %s", value, path);
	printf("%s: %ld (%ld MiB)\n", file, value, value / MIB);
}

static bool has_file(const char *file)
{
	char path[PATH_MAX];

	return cg_path(&mem, "memory", file, path, sizeof(path)) == 0 && access(path, F_OK) == 0;
}

/* The child: touch MIB_WANTED MiB one page at a time, counting progress in *DONE. */
static _Noreturn void allocate(long mib_wanted, volatile long *done)
{
	long page = sysconf(_SC_PAGESIZE);

	for (long i = 0; i < mib_wanted; i++) {
		char *p =
			mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(3);
		for (long off = 0; off < MIB; off += page)
			p[off] = 1; /* touching a page is what charges it to the cgroup */
		*done = i + 1;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"limit", required_argument, NULL, 'm'}, {"baseline", no_argument, NULL, 'b'},
		{"high", required_argument, NULL, 'H'},	 {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},	 {NULL, 0, NULL, 0},
	};
	long limit_mib = 64, high_mib = 0, limit, peak = -1, want;
	long long oom_kill = -1, high = -1;
	bool baseline = false;
	volatile long *done;
	int c, status;
	char call[256];
	struct cg_mount m;
	pid_t pid, lab = getpid();

	prog_init(argv[0]);
	opterr = 0; /* bad options are ours to report, in the suite's one-line form */
	while ((c = getopt_long(argc, argv, ":m:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_long(optarg, 16, 4096, &limit_mib) < 0)
				usage_error("-m: '%s' is not a number of MiB in 16..4096", optarg);
			break;
		case 'b':
			baseline = true;
			break;
		case 'H':
			if (parse_long(optarg, 1, 4096, &high_mib) < 0)
				usage_error("--high: '%s' is not a number of MiB in 1..4096",
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
	if (high_mib >= limit_mib)
		usage_error("--high %ld: memory.high must be below the limit (-m %ld)", high_mib,
			    limit_mib);
	if (high_mib && baseline)
		usage_error("--high and --baseline: the baseline sets no limit");
	require_root("to create cgroups");
	if (cg_find("memory", &m) < 0)
		unsupported("boot with cgroup_enable=memory (CONFIG_MEMCG)",
			    "no memory cgroup controller");
	version = m.version;
	if (high_mib && version == CG_V1)
		unsupported("run it on cgroup v2 (make vm)",
			    "--high: memory.high is cgroup v2's; memory is on v1 here");
	limit = limit_mib * MIB;
	want = baseline ? 2 * limit_mib : 4 * limit_mib;
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* mkdir makes a cgroup (on v2 after "+memory" is in the root's cgroup.subtree_control). */
	if (cg_create(&mem, NULL, CGNAME, "memory", call) < 0)
		die(call);
	say("mkdir %s", mem.dir[0].path);
	printf("cgroup: v%d %s\n", version, mem.dir[0].path);
	if (baseline) {
		printf("limit: none (baseline)\n");
	} else if (version == CG_V1) {
		set("memory.limit_in_bytes", limit);
		/* Without this, pages could go to swap and the process would outlive the limit. */
		if (has_file("memory.memsw.limit_in_bytes"))
			set("memory.memsw.limit_in_bytes", limit);
		else
			printf("memsw: not accounted here (no swap accounting), swap is not "
			       "limited\n");
	} else {
		/* What runc writes for docker run --memory M --memory-swap M. (A plain --memory M
		 * gets memory.swap.max M too: Docker doubles the memory+swap allowance by default.) */
		set("memory.max", limit); /* above this the kernel reclaims, then OOM-kills */
		if (has_file("memory.swap.max"))
			set("memory.swap.max", 0);
		else
			printf("swap: not accounted here (no memory.swap.max), swap is not "
			       "limited\n");
		/* memory.high is not a limit but a brake: above it, each return of the child to
		 * user space reclaims and then sleeps it, longer the further over it is (up to 2 s
		 * at a time). Anonymous memory with no swap cannot be reclaimed, so the child
		 * crawls from memory.high to memory.max. Docker leaves it at "max". */
		if (high_mib)
			set("memory.high", high_mib * MIB);
	}

	/* A page shared with the child, to see how far it got. The lab touches it first, so it
	 * is charged to the lab's cgroup, not to the child's. */
	done = mmap(NULL, sizeof(*done), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (done == MAP_FAILED)
		die("mmap");
	*done = 0;
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != lab)
			_exit(1);
		raise(SIGSTOP); /* wait until the lab has moved us into the cgroup */
		allocate(want, done);
	}
	if (waitpid(pid, &status, WUNTRACED) != pid)
		die("waitpid");
	/* Writing a pid to cgroup.procs moves that process; its children will be born inside. */
	if (cg_attach(&mem, pid, call) < 0)
		die(call);
	say("echo %d > %s/cgroup.procs", (int)pid, mem.dir[0].path);
	printf("allocating: up to %ld MiB in 1 MiB steps, touching every page\n", want);
	kill(pid, SIGCONT);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");

	if (version == CG_V1) {
		char buf[512], *p;

		cg_read_long(&mem, "memory", "memory.max_usage_in_bytes", &peak);
		if (cg_read(&mem, "memory", "memory.oom_control", buf, sizeof(buf)) > 0 &&
		    (p = strstr(buf, "oom_kill ")) != NULL)
			oom_kill = strtoll(p + 9, NULL, 10);
	} else {
		cg_read_long(&mem, "memory", "memory.peak", &peak); /* 5.19+ */
		cg_read_key(&mem, "memory", "memory.events", "oom_kill", &oom_kill);
		cg_read_key(&mem, "memory", "memory.events", "high", &high);
	}

	if (WIFSIGNALED(status))
		printf("victim: killed by SIG%s after %ld MiB%s\n",
		       sigabbrev_np(WTERMSIG(status)) ?: "?", *done,
		       WTERMSIG(status) == SIGKILL ? " (the OOM killer)" : "");
	else
		printf("victim: exited %d after touching %ld MiB\n", WEXITSTATUS(status), *done);
	if (peak >= 0)
		printf("memory peak: %ld (%.1f MiB)%s\n", peak, (double)peak / MIB,
		       baseline	       ? ""
		       : peak <= limit ? " <= limit"
				       : " > limit");
	if (high >= 0 && !baseline)
		printf("memory.events high: %lld (times it was throttled above memory.high)\n",
		       high);
	printf("oom_kill: %lld\n", oom_kill);

	if (baseline) {
		bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && *done == want;

		printf("result: %s\n", ok ? "without a limit the same program completes"
					  : "the baseline did not complete");
		return ok ? EXIT_OK : EXIT_FAIL;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && oom_kill >= 1 && peak <= limit) {
		printf("result: the limit held: killed by the OOM killer at %ld MiB\n", limit_mib);
		return EXIT_OK;
	}
	printf("result: the limit did NOT stop the child\n");
	return EXIT_FAIL;
}
