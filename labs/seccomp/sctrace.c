/* sctrace.c - trace a command's system calls with seccomp, and write the profile it needs.
 *
 * Mechanism: ptrace(2) plus a one-instruction seccomp filter returning SECCOMP_RET_TRACE: each
 * system call stops the tracee once (PTRACE_EVENT_SECCOMP), not twice as with PTRACE_SYSCALL;
 * PTRACE_O_TRACEFORK/VFORK/CLONE follow children, PTRACE_O_EXITKILL kills them with the tracer.
 * What it does: counts every call like `strace -f -c`, and with -o writes the smallest
 * allow-list profile in Docker's format that lets the same run through.
 * Outcome: CMD's exit status; -c prints "calls syscall" lines and "total: N calls, M distinct"
 * on stderr; -o FILE writes {"defaultAction": "SCMP_ACT_ERRNO", ... "names": [...]}.
 * Needs: ptrace allowed (Yama ptrace_scope <= 2), CONFIG_SECCOMP_FILTER, Linux >= 5.3.
 * Read next: ptrace(2) (PTRACE_O_TRACESECCOMP), seccomp(2) (SECCOMP_RET_TRACE), strace(1) -c.
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* x32 programs enter the kernel as x86_64 with this bit set in the syscall number; libseccomp
 * calls that ABI SCMP_ARCH_X32 and its numbers keep the bit (getpid is 0x40000027). */
#define X32_SYSCALL_BIT 0x40000000UL

/* One row per (architecture, syscall number) seen: a few hundred at most, so a plain array.
 * Numbers are kept whole: ARM's private calls (0x0f0001...) and x32's are far above 1024. */
struct call {
	uint32_t arch; /* AUDIT_ARCH_*, which is also libseccomp's token for it, or SCMP_ARCH_X32 */
	long nr;
	unsigned long count;
};
static struct call *calls;
static size_t ncalls, cap_calls;

static void count_call(uint32_t arch, unsigned long nr)
{
	if (arch == AUDIT_ARCH_X86_64 && (nr & X32_SYSCALL_BIT))
		arch = SCMP_ARCH_X32;
	for (size_t i = 0; i < ncalls; i++) {
		if (calls[i].arch == arch && calls[i].nr == (long)nr) {
			calls[i].count++;
			return;
		}
	}
	if (ncalls == cap_calls) {
		cap_calls = cap_calls ? 2 * cap_calls : 256;
		calls = realloc(calls, cap_calls * sizeof(*calls));
		if (!calls)
			die("realloc");
	}
	calls[ncalls++] = (struct call){arch, (long)nr, 1};
}

/* libseccomp's name for syscall NR of ARCH, in BUF; false (and "syscall_NR") when it has none. */
static bool syscall_name(uint32_t arch, long nr, char *buf, size_t len)
{
	char *name = seccomp_syscall_resolve_num_arch(arch, (int)nr);

	/* libseccomp returns a malloc'd copy. */
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "syscall_%ld", nr);
	free(name);
	return name != NULL;
}

/* ---- the tracee's side: stop for the tracer, install the filter, exec ------------------- */

static _Noreturn void tracee(const char *path, char **argv)
{
	/* One BPF instruction: every system call, whatever its number or arch, asks the tracer. */
	struct sock_filter trace_all[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE)};
	struct sock_fprog prog = {ARRAY_SIZE(trace_all), trace_all};

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		die("ptrace(PTRACE_TRACEME)");
	/* Wait here until the tracer has set its options: from the filter on, a syscall with
	 * no tracer (or one without PTRACE_O_TRACESECCOMP) would fail with ENOSYS. */
	raise(SIGSTOP);
	/* Without CAP_SYS_ADMIN the kernel wants no_new_privs first; with it, we leave set-uid
	 * programs in the workload working as they would untraced. */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		if (errno != EACCES || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			die("seccomp(SECCOMP_SET_MODE_FILTER)");
	}
	/* execve (not execvp): one call, like strace's own start, so the counts agree. */
	execve(path, argv, environ);
	die("execve");
}

/* PATH lookup done in the tracer, before the filter, so the tracee makes exactly one execve. */
static char *find_command(const char *cmd)
{
	static char buf[4096];
	const char *path = getenv("PATH");

	if (strchr(cmd, '/'))
		return (char *)cmd;
	for (const char *p = path ? path : "/usr/bin:/bin"; p;
	     p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL) {
		int len = (int)(strchr(p, ':') ? strchr(p, ':') - p : (long)strlen(p));

		/* An empty element (":/usr/bin", "/usr/bin:") is the current directory, as in sh. */
		if (len == 0)
			snprintf(buf, sizeof(buf), "./%s", cmd);
		else
			snprintf(buf, sizeof(buf), "%.*s/%s", len, p, cmd);
		if (access(buf, X_OK) == 0)
			return buf;
	}
	errno = ENOENT;
	return NULL;
}

/* ---- the tracer's side --------------------------------------------------------------- */

static pid_t main_pid;

/* SIGINT/SIGTERM/SIGHUP to sctrace go to CMD, which then ends the trace its own way. */
static void forward(int sig)
{
	kill(main_pid, sig);
}

/* Pids we already know; a new child's first stop is the SIGSTOP ptrace queued for it. A pid
 * leaves the table when its process ends: the kernel may give the number to a new child, whose
 * first stop must be recognised again. */
static pid_t *known;
static size_t nknown, cap_known;

static void forget_pid(pid_t pid)
{
	for (size_t i = 0; i < nknown; i++) {
		if (known[i] == pid) {
			known[i] = known[--nknown];
			return;
		}
	}
}

static bool first_stop(pid_t pid)
{
	for (size_t i = 0; i < nknown; i++)
		if (known[i] == pid)
			return false;
	if (nknown == cap_known) {
		cap_known = cap_known ? 2 * cap_known : 64;
		known = realloc(known, cap_known * sizeof(*known));
		if (!known)
			die("realloc");
	}
	known[nknown++] = pid;
	return true;
}

static int trace(bool print_each)
{
	struct __ptrace_syscall_info info;
	int status, exit_code = 0;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &status, __WALL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				return exit_code; /* every tracee has ended */
			die("waitpid");
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			forget_pid(pid);
			if (pid == main_pid)
				exit_code = WIFEXITED(status) ? WEXITSTATUS(status)
							      : 128 + WTERMSIG(status);
			continue;
		}
		int sig = WSTOPSIG(status), event = status >> 16, inject = 0;
		if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
			/* The one stop per system call: the kernel tells number and arch. */
			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), &info) < 0)
				die("ptrace(PTRACE_GET_SYSCALL_INFO)");
			count_call(info.arch, info.seccomp.nr);
			if (print_each) {
				char name[32];

				syscall_name(info.arch, (long)info.seccomp.nr, name, sizeof(name));
				fprintf(stderr, "[%d] %s\n", pid, name);
			}
		} else if (sig == SIGTRAP && event != 0) {
			/* fork/vfork/clone/exec events: nothing to do, the child is already ours. */
		} else if (first_stop(pid) && sig == SIGSTOP) {
			/* The SIGSTOP a new auto-attached child starts with: swallow it. */
		} else {
			/* A real signal for the tracee: deliver it. (A group-stop shows as a stop
			 * whose siginfo cannot be read; restarting it without a signal is enough.) */
			siginfo_t si;
			inject = ptrace(PTRACE_GETSIGINFO, pid, NULL, &si) == 0 ? sig : 0;
		}
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)inject) < 0 && errno != ESRCH)
			die("ptrace(PTRACE_CONT)");
	}
}

/* ---- output: the strace -c style table, and the profile ------------------------------- */

struct row {
	unsigned long calls;
	uint32_t arch;
	long nr;
	bool named; /* libseccomp has a name for it: only those can go into a profile */
	char name[32];
};

static int by_calls(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->name, ((const struct row *)b)->name);
}

static size_t collect(struct row *rows)
{
	for (size_t i = 0; i < ncalls; i++) {
		rows[i] = (struct row){calls[i].count, calls[i].arch, calls[i].nr, false, ""};
		rows[i].named = syscall_name(calls[i].arch, calls[i].nr, rows[i].name,
					     sizeof(rows[i].name));
	}
	return ncalls;
}

/* The profile's name for an architecture token, or NULL for one this table does not know
 * (every architecture of libseccomp 2.5 is here; a newer kernel may bring another). */
static const char *arch_name(uint32_t arch)
{
	static const struct {
		uint32_t arch;
		const char *name;
	} names[] = {
		{SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64"},
		{SCMP_ARCH_X86, "SCMP_ARCH_X86"},
		{SCMP_ARCH_X32, "SCMP_ARCH_X32"},
		{SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64"},
		{SCMP_ARCH_ARM, "SCMP_ARCH_ARM"},
		{SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE"},
		{SCMP_ARCH_PPC64, "SCMP_ARCH_PPC64"},
		{SCMP_ARCH_PPC, "SCMP_ARCH_PPC"},
		{SCMP_ARCH_S390X, "SCMP_ARCH_S390X"},
		{SCMP_ARCH_S390, "SCMP_ARCH_S390"},
		{SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64"},
		{SCMP_ARCH_MIPS, "SCMP_ARCH_MIPS"},
		{SCMP_ARCH_MIPS64, "SCMP_ARCH_MIPS64"},
		{SCMP_ARCH_MIPS64N32, "SCMP_ARCH_MIPS64N32"},
		{SCMP_ARCH_MIPSEL, "SCMP_ARCH_MIPSEL"},
		{SCMP_ARCH_MIPSEL64, "SCMP_ARCH_MIPSEL64"},
		{SCMP_ARCH_MIPSEL64N32, "SCMP_ARCH_MIPSEL64N32"},
		{SCMP_ARCH_PARISC, "SCMP_ARCH_PARISC"},
		{SCMP_ARCH_PARISC64, "SCMP_ARCH_PARISC64"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].arch == arch)
			return names[i].name;
	return NULL;
}

static void print_table(struct row *rows, size_t n)
{
	unsigned long total = 0;

	qsort(rows, n, sizeof(*rows), by_calls);
	fprintf(stderr, "%10s  %s\n", "calls", "syscall");
	for (size_t i = 0; i < n; i++) {
		const char *arch = arch_name(rows[i].arch);

		/* The first architecture seen is the program's own; others are marked. */
		if (rows[i].arch == calls[0].arch)
			fprintf(stderr, "%10lu  %s\n", rows[i].calls, rows[i].name);
		else if (arch)
			fprintf(stderr, "%10lu  %s (%s)\n", rows[i].calls, rows[i].name, arch);
		else
			fprintf(stderr, "%10lu  %s (arch %#x)\n", rows[i].calls, rows[i].name,
				rows[i].arch);
		total += rows[i].calls;
	}
	fprintf(stderr, "total: %lu calls, %zu distinct\n", total, n);
}

/* The smallest profile that lets this run through: the names seen, allowed; the rest EPERM.
 * Only the architectures seen are listed: any other entry point is killed (bad arch). What
 * the format cannot say (an architecture or a number without a name) is left out, with a
 * warning, and the rest is still written: CMD's exit status is sctrace's either way. */
static void write_profile(const char *file, struct row *rows, size_t n)
{
	json_t *names = json_array(), *arches = json_array();
	const char *last = "";

	qsort(rows, n, sizeof(*rows), by_name);
	for (size_t i = 0; i < n; i++) {
		const char *arch = arch_name(rows[i].arch);

		if (!arch)
			continue; /* warned about below, once per architecture */
		if (!rows[i].named) {
			warnf("%s (%s): libseccomp has no name for it; left out of %s",
			      rows[i].name, arch, file);
			continue;
		}
		if (strcmp(rows[i].name, last) != 0)
			json_array_append_new(names, json_string(rows[i].name));
		last = rows[i].name;
	}
	for (size_t i = 0; i < ncalls; i++) {
		bool first = true;

		for (size_t j = 0; j < i; j++)
			first = first && calls[j].arch != calls[i].arch;
		if (!first)
			continue;
		if (arch_name(calls[i].arch))
			json_array_append_new(arches, json_string(arch_name(calls[i].arch)));
		else
			warnf("architecture %#x: no SCMP_ARCH_ name known; its calls are left out "
			      "of %s",
			      calls[i].arch, file);
	}
	json_t *profile = json_pack("{s:s, s:o, s:[{s:o, s:s, s:s}]}", "defaultAction",
				    "SCMP_ACT_ERRNO", "architectures", arches, "syscalls", "names",
				    names, "action", "SCMP_ACT_ALLOW", "comment",
				    "generated by sctrace from one run; allow only what was seen");
	if (json_dump_file(profile, file, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
		dief("%s: cannot write the profile", file);
	json_decref(profile);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-f] [-c] [-o PROFILE.json] [-v] [--] CMD [ARG...]\n"
		"Trace CMD and its children with a SECCOMP_RET_TRACE filter (one stop per "
		"syscall).\n\n"
		"  -c, --count        print a summary table (calls per syscall) on stderr\n"
		"  -o, --output FILE  write an allow-list profile, Docker's format, of what was "
		"seen\n"
		"  -f, --follow       follow children (always on: the filter is inherited, and a\n"
		"                     child nobody traces would get ENOSYS from "
		"SECCOMP_RET_TRACE)\n"
		"  -v, --verbose      say what happens\n"
		"  -h, --help         this help\n\n"
		"Without -c or -o, prints \"[PID] syscall\" for each call. Exit: CMD's status.\n",
		progname);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"count", no_argument, NULL, 'c'},  {"output", required_argument, NULL, 'o'},
		{"follow", no_argument, NULL, 'f'}, {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},   {0},
	};
	const char *output = NULL;
	bool table = false;
	int c, status;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, "+:co:fvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			table = true;
			break;
		case 'o':
			output = optarg;
			break;
		case 'f':
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
		}
	}
	if (optind == argc)
		usage_error("no command to trace");
	char *path = find_command(argv[optind]);
	if (!path)
		dief("%s: command not found", argv[optind]);

	main_pid = fork();
	if (main_pid < 0)
		die("fork");
	if (main_pid == 0)
		tracee(path, argv + optind);

	/* The tracee stopped itself; set the options before it goes on to load its filter. */
	if (waitpid(main_pid, &status, 0) < 0 || !WIFSTOPPED(status))
		dief("%s did not stop for the tracer", argv[optind]);
	first_stop(main_pid);
	if (ptrace(PTRACE_SETOPTIONS, main_pid, NULL,
		   PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
			   PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL) < 0) {
		if (errno == EPERM || errno == EACCES)
			unsupported("check /proc/sys/kernel/yama/ptrace_scope",
				    "ptrace(PTRACE_SETOPTIONS): %s", strerror(errno));
		die("ptrace(PTRACE_SETOPTIONS)");
	}
	say("tracing %s (pid %d)", path, main_pid);
	signal(SIGINT, forward);
	signal(SIGTERM, forward);
	signal(SIGHUP, forward);
	if (ptrace(PTRACE_CONT, main_pid, NULL, NULL) < 0)
		die("ptrace(PTRACE_CONT)");
	int code = trace(!table && !output);

	struct row *rows = calloc(ncalls + 1, sizeof(*rows));
	if (!rows)
		die("calloc");
	size_t n = collect(rows);
	if (table)
		print_table(rows, n);
	if (output) {
		write_profile(output, rows, n);
		say("%s: %zu syscalls allowed", output, n);
	}
	free(rows);
	return code;
}
