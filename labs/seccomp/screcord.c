/* screcord.c - record the system calls of a command or a cgroup with eBPF, and write a profile.
 *
 * Mechanism: an eBPF program (screcord.bpf.c) on the raw tracepoint sys_enter counts, per CPU,
 * the calls of the tasks under a cgroup v2 made for the run, from CMD's execve on: the traced
 * program never stops. Without cgroup v2 (or --pids), fork/exit tracepoints follow its threads.
 * What it does: sctrace's table and Docker-format profile (part syscount.c), from the counters.
 * Outcome: CMD's exit status (--cgroup: 0); -c prints "calls syscall" lines and "total: N calls,
 * M distinct" on stderr; -o FILE writes {"defaultAction": "SCMP_ACT_ERRNO", ... "names": [...]}.
 * Blind to calls made before it attaches (--cgroup) and, as sctrace, to calls seccomp refused.
 * Needs: root (CAP_BPF and CAP_PERFMON), kernel BTF (CONFIG_DEBUG_INFO_BTF), Linux >= 5.5.
 * Read next: bpf(2), bpf-helpers(7) (bpf_current_task_under_cgroup), cgroups(7), sctrace.c.
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cleanup.h"
#include "cseclab.h"
#include "screcord.h"
#include "syscount.h"

#include "screcord.skel.h" /* generated: bpftool gen skeleton screcord.bpf.o */

#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/audit.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct screcord_bpf *skel;
static struct cg run_cg; /* the cgroup made for CMD's run, removed by cg_remove at exit */
static volatile pid_t main_pid;
static volatile sig_atomic_t main_ended, stop_sig;
static bool watch_cgroup; /* --cgroup: record an existing cgroup, no CMD */

/* Milliseconds since the previous call: -v reports the fixed cost of each step. */
static double lap_ms(void)
{
	static struct timespec now;
	struct timespec then = now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - then.tv_sec) * 1e3 + (now.tv_nsec - then.tv_nsec) / 1e6;
}

/* libbpf's own messages (the verifier's log, CO-RE relocations) are for -v only. */
static __attribute__((format(printf, 2, 0))) int libbpf_says(enum libbpf_print_level level,
							     const char *fmt, va_list ap)
{
	if (!verbose || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* libbpf returns -errno: say which step failed, or why this machine cannot do it (77). */
static void bpf_failed(const char *step, int err)
{
	errno = -err;
	if (errno == EPERM || errno == EACCES)
		unsupported("run it as root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)", "%s: %s",
			    step, strerror(errno));
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		unsupported("a kernel built with CONFIG_DEBUG_INFO_BTF=y (Debian's is)",
			    "%s: %s, and no /sys/kernel/btf/vmlinux to relocate against", step,
			    strerror(errno));
	die(step);
}

/* ---- signals: the first goes to CMD, which ends the run its own way, as with sctrace ---- */

static void on_signal(int sig)
{
	int first = !stop_sig;

	stop_sig = sig;
	if (first && watch_cgroup)
		return; /* the main loop stops recording and writes what it has */
	if (first && main_pid > 0 && !main_ended) {
		kill(main_pid, sig);
		return;
	}
	/* A second signal, or CMD is gone and what it left does not end: kill the run's cgroup
	 * (cg_remove), CMD itself without one, and die of the signal. The BPF links are file
	 * descriptors: the kernel detaches the programs when the process exits, however it dies. */
	if (!watch_cgroup && main_pid > 0 && !main_ended)
		kill(main_pid, SIGKILL);
	run_cleanups();
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction given[ARRAY_SIZE(caught)]; /* as screcord got them: CMD gets them too */

static void catch_signals(bool catch)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigfillset(&sa.sa_mask);
	/* No SA_RESTART: waitpid and poll return EINTR, and the loops look at stop_sig. */
	for (size_t i = 0; i < ARRAY_SIZE(caught); i++)
		if (sigaction(caught[i], catch ? &sa : &given[i], NULL) < 0)
			die("sigaction");
}

/* ---- which tasks are watched: a cgroup v2, or CMD's threads -------------------------------- */

/* Make the run's cgroup, cseclab-screcord-PID, in the v2 hierarchy at MNT: no controller, it only
 * groups CMD's tree so that the kernel side can tell its tasks from the rest of the machine. */
static void make_run_cgroup(const char *mnt)
{
	struct cg_dir *d = &run_cg.dir[0];

	d->version = CG_V2;
	snprintf(d->path, sizeof(d->path), "%s/cseclab-screcord-%d", mnt, getpid());
	run_cg.ndirs = 1;
	on_cleanup(cg_remove, &run_cg);
	if (mkdir(d->path, 0755) < 0 && errno != EEXIST) {
		char call[PATH_MAX + 8];

		snprintf(call, sizeof(call), "mkdir %s", d->path);
		die(call);
	}
}

/* Tell the kernel side which cgroup to watch: DIR's file descriptor in the map `target`.
 * Returns that descriptor, still open. */
static int watch(const char *dir)
{
	struct statfs fs;
	__u32 zero = 0;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), err;

	if (fd < 0 || fstatfs(fd, &fs) < 0)
		dief("%s: %s", dir, strerror(errno));
	if (fs.f_type != CGROUP2_SUPER_MAGIC)
		dief("%s: not a cgroup v2 directory (the kernel side sees v2 cgroups only; on a "
		     "hybrid host they are under /sys/fs/cgroup/unified)",
		     dir);
	err = bpf_map__update_elem(skel->maps.target, &zero, sizeof(zero), &fd, sizeof(fd), 0);
	if (err)
		bpf_failed("bpf(BPF_MAP_UPDATE_ELEM) target", err);
	return fd;
}

/* Wait until the watched tasks are gone: DIR's cgroup.events says "populated 0", after a first
 * counted call if SEEN (a task shorter than one wake-up is missed by us, not by the kernel side);
 * without DIR, the table of followed threads is empty. Like sctrace, which waits for every traced
 * process. --cgroup: a signal ends it. The flag is taken before the file is read: taken after,
 * it may come from a task moved in between the two (runc's init, under load), and the recording
 * would end at that task's first calls on an emptiness it read before the task came. The file is
 * read through the descriptor poll(2) watches: that tells the kernel the change was seen, or poll
 * would return at once from then on, and the loop spin. */
static void wait_gone(const char *dir, bool seen)
{
	char events[PATH_MAX + 16], buf[256];
	struct pollfd p = {-1, POLLPRI, 0};
	bool was_seen;
	ssize_t n;
	__u32 key;

	snprintf(events, sizeof(events), "%s/cgroup.events", dir ? dir : "");
	if (dir && (p.fd = open(events, O_RDONLY | O_CLOEXEC)) < 0)
		return; /* the cgroup is gone */
	while (!(watch_cgroup && stop_sig)) {
		was_seen = !seen || __atomic_load_n(&skel->bss->seen, __ATOMIC_ACQUIRE);
		if (!dir && bpf_map__get_next_key(skel->maps.tids, NULL, &key, sizeof(key)))
			break;
		n = dir ? pread(p.fd, buf, sizeof(buf) - 1, 0) : 0;
		if (n < 0)
			break;
		buf[n] = '\0';
		if (dir && strstr(buf, "populated 0") && was_seen)
			break;
		poll(&p, 1, p.fd >= 0 ? 100 : 10);
	}
	if (p.fd >= 0)
		close(p.fd);
}

/* --cgroup: record until SIGINT/SIGTERM/SIGHUP, or until the cgroup is empty. */
static void record_cgroup(const char *dir)
{
	char events[PATH_MAX + 16], buf[256] = "";

	snprintf(events, sizeof(events), "%s/cgroup.events", dir);
	if (read_file(events, buf, sizeof(buf)) > 0 && strstr(buf, "populated 1"))
		warnf("%s already runs processes: what they did before now (their execve, the "
		      "loader, their start-up) is not recorded",
		      dir);
	fprintf(stderr, "%s: recording %s until SIGINT or SIGTERM, or until it is empty\n",
		progname, dir);
	wait_gone(dir, true);
}

/* ---- CMD ------------------------------------------------------------------------------- */

/* The child: wait until the parent has placed it and attached the programs, then execvp. What
 * it does before that execve is not counted: counting starts when an execve succeeds. */
static _Noreturn void child(int go, char **argv)
{
	char c;

	catch_signals(false);
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* screcord killed before the go: no orphan */
	if (read(go, &c, 1) != 1)
		_exit(EXIT_FAIL);
	close(go);
	execvp(argv[0], argv);
	fprintf(stderr, "%s: %s: %s\n", progname, argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* A child born in the cgroup CGFD: clone3(CLONE_INTO_CGROUP), Linux 5.7. Moving a running
 * process there instead (a write to cgroup.procs) waits for an RCU grace period, some 10 ms
 * here. Falls back to fork and that write where clone3 is missing (ENOSYS) or refused. */
static pid_t fork_into(int cgfd)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD, .cgroup = (__u64)cgfd};
	char call[256];
	pid_t pid = -1;

	if (cgfd >= 0)
		pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid >= 0)
		return pid;
	pid = fork();
	if (pid > 0 && cgfd >= 0 && cg_attach(&run_cg, pid, call) < 0)
		die(call);
	return pid;
}

static int run_cmd(char **argv, int cgfd)
{
	int go[2], status, err;
	__u32 tid;
	__u8 yes = 1;

	if (pipe2(go, O_CLOEXEC) < 0)
		die("pipe2");
	main_pid = fork_into(cgfd);
	if (main_pid < 0)
		die("fork");
	if (main_pid == 0) {
		forget_cleanups();
		close(go[1]);
		child(go[0], argv);
	}
	close(go[0]);
	if (cgfd < 0) {
		tid = (__u32)main_pid;
		err = bpf_map__update_elem(skel->maps.tids, &tid, sizeof(tid), &yes, sizeof(yes),
					   BPF_ANY);
		if (err)
			bpf_failed("bpf(BPF_MAP_UPDATE_ELEM) tids", err);
	}
	say("recording %s (pid %d) in %s", argv[0], main_pid,
	    run_cg.ndirs ? run_cg.dir[0].path : "its threads, followed through fork and exit");
	if (write(go[1], "g", 1) != 1)
		die("write");
	close(go[1]);
	while (waitpid(main_pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	main_ended = 1;
	wait_gone(run_cg.ndirs ? run_cg.dir[0].path : NULL, false);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- the counters, read back and handed to syscount --------------------------------------- */

static void add_counts(uint32_t native, enum call_class class, unsigned long nr, unsigned long n)
{
	if (class == CLASS_COMPAT)
		syscount_add(AUDIT_ARCH_I386, nr, n);
	else if (class == CLASS_X32)
		syscount_add(native, nr | X32_SYSCALL_BIT, n);
	else
		syscount_add(native, nr, n);
}

/* A per-CPU map answers a lookup with one value per possible CPU: their sum, or 0. */
static unsigned long lookup_sum(struct bpf_map *map, const void *key, size_t len, __u64 *v,
				int ncpus)
{
	unsigned long sum = 0;

	if (bpf_map__lookup_elem(map, key, len, v, (size_t)ncpus * sizeof(*v), 0) == 0)
		for (int c = 0; c < ncpus; c++)
			sum += v[c];
	return sum;
}

static void read_counts(void)
{
	int ncpus = libbpf_num_possible_cpus();
	uint32_t native = seccomp_arch_native();
	__u64 *v, key, next, *prev = NULL;
	unsigned long n;

	if (ncpus < 0)
		bpf_failed("libbpf_num_possible_cpus", ncpus);
	v = calloc((size_t)ncpus, sizeof(*v));
	if (!v)
		die("calloc");
	/* The native class comes first: syscount takes its architecture for the program's own. */
	for (__u32 slot = 0; slot < CLASSES * NR_SLOTS; slot++)
		if ((n = lookup_sum(skel->maps.counts, &slot, sizeof(slot), v, ncpus)))
			add_counts(native, slot / NR_SLOTS, slot % NR_SLOTS, n);
	while (bpf_map__get_next_key(skel->maps.rare, prev, &next, sizeof(next)) == 0) {
		key = next;
		prev = &key;
		n = lookup_sum(skel->maps.rare, &key, sizeof(key), v, ncpus);
		add_counts(native, key >> 32, (unsigned long)(long)(int32_t)key, n);
	}
	free(v);
	if (skel->bss->lost)
		warnf("%llu calls not counted (the map of rare numbers was full)",
		      (unsigned long long)skel->bss->lost);
	if (skel->bss->untracked)
		warnf("%llu threads not followed (the map of thread ids was full)",
		      (unsigned long long)skel->bss->untracked);
}

/* ---- main ------------------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-c] [-o PROFILE.json] [-v] [--pids] [--] CMD [ARG...]\n"
		"       %s [-c] [-o PROFILE.json] [-v] --cgroup DIR\n"
		"Record the system calls of CMD's process tree, or of the tasks under the\n"
		"cgroup v2 DIR, with an eBPF program on the raw tracepoint sys_enter: no stop\n"
		"per call, the same table and profile as sctrace.\n\n"
		"  -c, --count        print a summary table (calls per syscall) on stderr\n"
		"  -o, --output FILE  write an allow-list profile, Docker's format\n"
		"      --cgroup DIR   record DIR (a container's cgroup, say) until SIGINT or\n"
		"                     SIGTERM, or until it empties; what ran before is not seen\n"
		"      --pids         follow CMD's threads through fork and exit, not in a\n"
		"                     cgroup (the way without a cgroup v2 hierarchy)\n"
		"  -v, --verbose      say what happens, with the cost of each step\n"
		"  -h, --help         this help\n\n"
		"Without -o, prints the table. It counts from CMD's execve, as sctrace does;\n"
		"not a call a seccomp filter refused (seccomp runs before sys_enter). Compat\n"
		"(int $0x80) and x32 calls are told apart on x86_64 only.\n"
		"Exit: CMD's status (128+N for signal N, 127 if not found); 0 with --cgroup;\n"
		"1 on error, 2 for usage, 77 if this machine cannot load the programs.\n",
		progname, progname);
}

int main(int argc, char **argv)
{
	enum { OPT_CGROUP = 256, OPT_PIDS };
	static const struct option longopts[] = {
		{"count", no_argument, NULL, 'c'},
		{"output", required_argument, NULL, 'o'},
		{"cgroup", required_argument, NULL, OPT_CGROUP},
		{"pids", no_argument, NULL, OPT_PIDS},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *output = NULL, *cgroup = NULL;
	struct cg_mount mounts[16];
	bool table = false, pids = false;
	int c, code = 0, n, err, cgfd = -1;

	prog_init(argv[0]);
	for (size_t i = 0; i < ARRAY_SIZE(caught); i++)
		sigaction(caught[i], NULL, &given[i]);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:co:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			table = true;
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_CGROUP:
			cgroup = optarg;
			break;
		case OPT_PIDS:
			pids = true;
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
	if (!cgroup && optind == argc)
		usage_error("no command to record (or --cgroup DIR)");
	if (cgroup && (optind < argc || pids))
		usage_error("--cgroup records a cgroup: no CMD, no --pids");
	watch_cgroup = cgroup != NULL;

	/* Where is cgroup v2? Pure v2: /sys/fs/cgroup; hybrid: /sys/fs/cgroup/unified; pure v1:
	 * nowhere, and CMD's threads are followed instead. */
	n = cg_mounts(mounts, ARRAY_SIZE(mounts));
	const char *v2 = NULL;
	for (int i = 0; i < n && !v2; i++)
		if (mounts[i].version == CG_V2)
			v2 = mounts[i].path;
	pids = pids || (!cgroup && !v2);

	/* Open (parse the object), set what the programs read as constants, load (CO-RE
	 * relocations against the kernel's BTF, then the verifier), and only then attach. */
	libbpf_set_print(libbpf_says);
	lap_ms();
	skel = screcord_bpf__open();
	if (!skel)
		bpf_failed("open the BPF object", -errno);
	skel->rodata->follow_tids = pids;
	skel->rodata->execve_nr = SYS_execve;
	if (!pids) {
		bpf_program__set_autoload(skel->progs.on_fork, false);
		bpf_program__set_autoload(skel->progs.on_exit, false);
		bpf_map__set_max_entries(skel->maps.tids, 1);
	}
	err = screcord_bpf__load(skel);
	if (err)
		bpf_failed("bpf(BPF_PROG_LOAD)", err);
	say("loaded in %.1f ms (the kernel's BTF read for CO-RE, maps made, verifier passed)",
	    lap_ms());
	if (cgroup) {
		watch(cgroup);
		skel->bss->armed = true; /* from now on: what ran before is lost */
	} else if (!pids) {
		make_run_cgroup(v2);
		cgfd = watch(run_cg.dir[0].path);
	}
	catch_signals(true);
	err = screcord_bpf__attach(skel);
	if (err)
		bpf_failed("attach the raw tracepoints", err);
	say("attached in %.1f ms", lap_ms());

	if (cgroup)
		record_cgroup(cgroup);
	else
		code = run_cmd(argv + optind, cgfd);

	/* Counting stops with the links: detach, read the counters, and write as sctrace does. */
	bpf_link__destroy(skel->links.on_sys_enter);
	skel->links.on_sys_enter = NULL;
	say("recorded for %.1f ms", lap_ms());
	read_counts();
	screcord_bpf__destroy(skel);
	say("counters read and programs unloaded in %.1f ms", lap_ms());
	if (table || !output)
		syscount_print_table();
	if (output)
		syscount_write_profile(output);
	return code;
}
