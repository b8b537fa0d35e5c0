/* sctrace.c - trace a command's system calls with seccomp, and write the profile it needs.
 *
 * Mechanism: ptrace(2) plus a one-instruction seccomp filter returning SECCOMP_RET_TRACE: each
 * system call stops the tracee once (PTRACE_EVENT_SECCOMP), not twice as with PTRACE_SYSCALL;
 * PTRACE_O_TRACEFORK/VFORK/CLONE follow children, PTRACE_O_EXITKILL kills them with the tracer.
 * What it does: counts every call like `strace -f -c`, and with -o writes the smallest
 * allow-list profile in Docker's format that lets the same run through (part syscount.c).
 * Outcome: CMD's exit status; -c prints "calls syscall" lines and "total: N calls, M distinct"
 * on stderr; -o FILE writes {"defaultAction": "SCMP_ACT_ERRNO", ... "names": [...]}.
 * Needs: ptrace allowed (Yama ptrace_scope <= 2), CONFIG_SECCOMP_FILTER, Linux >= 5.3.
 * Read next: ptrace(2) (PTRACE_O_TRACESECCOMP), seccomp(2) (SECCOMP_RET_TRACE), strace(1) -c.
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "syscount.h"

#include <errno.h>
#include <getopt.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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
			syscount_add(info.arch, info.seccomp.nr, 1);
			if (print_each) {
				char name[32];

				syscount_name(info.arch, (long)info.seccomp.nr, name, sizeof(name));
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

	if (table)
		syscount_print_table();
	if (output)
		syscount_write_profile(output);
	return code;
}
