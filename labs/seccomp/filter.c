/* filter.c - seccomp filter mode (mode 2) with libseccomp: the action decides what close(2) gets.
 *
 * Mechanism: seccomp filter mode: a BPF program returns an action for every system call.
 * What it does: strict.c's steps under a libseccomp filter (read, write, exit, exit_group,
 * rt_sigreturn allowed; default kill-process): open /etc/passwd, read a line, close it. --action
 * gives close one of the eight actions, --thread runs the steps in a second thread. Parts:
 * filter-notify.c, -trace.c, -stack.c, -rewrite.c (the ptrace re-check), -export.c.
 * Outcome: killed at close by SIGSYS, status 159 (strict: 137); "close: ok" with --allow close;
 * "close: -1, errno N (...)", exit 1, for errno.
 * Needs: CONFIG_SECCOMP_FILTER and libseccomp; no root.
 * Read next: seccomp(2), seccomp_rule_add(3), then the parts, in the order of the guide.
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "filter-export.h"
#include "filter-notify.h"
#include "filter-rewrite.h"
#include "filter-stack.h"
#include "filter-trace.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define MAX_ALLOW 32

/* The actions, strictest first: this is also the order in which the kernel picks one result
 * when several filters are stacked (filter-stack.c; include/uapi/linux/seccomp.h). */
static const struct {
	const char *name;
	uint32_t act;
} actions[] = {
	{"kill-process", SCMP_ACT_KILL_PROCESS},
	{"kill-thread", SCMP_ACT_KILL_THREAD},
	{"trap", SCMP_ACT_TRAP},
	{"errno", SCMP_ACT_ERRNO(0)},
	{"notify", SCMP_ACT_NOTIFY},
	{"trace", SCMP_ACT_TRACE(0)},
	{"log", SCMP_ACT_LOG},
	{"allow", SCMP_ACT_ALLOW},
};

/* The options. close_act is what the filter says about close; without --action and --allow
 * close there is no rule for close and the default action (kill the process) applies. */
static const char *allow_names[MAX_ALLOW];
static int n_allow;
static uint32_t close_act = SCMP_ACT_KILL_PROCESS;
static bool close_rule;
static uint32_t stack_act;
static bool stacked, use_thread, use_tracer, rewrite, export, no_filter;

static int passwd_fd = -1;

/* stdout with a static, line-buffered buffer: printf then needs nothing but write(2) (no malloc,
 * no fstat), and each line is out before a kill, even when stdout is a pipe. */
static char outbuf[BUFSIZ];

/* What the SIGSYS handler saw (trap mode). */
static volatile sig_atomic_t trap_seen;
static volatile int trap_nr;
static volatile unsigned int trap_arch;

static const char *action_name(uint32_t act)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if ((act & SECCOMP_RET_ACTION_FULL) == actions[i].act)
			return actions[i].name;
	return "?";
}

/* "errno" and "errno=N", "trace" with the lab's data value, or a plain name. */
static uint32_t parse_action(const char *s)
{
	long n = EPERM;

	if (!strncmp(s, "errno", 5) && (s[5] == '\0' || s[5] == '=')) {
		if (s[5] == '=' && parse_long(s + 6, 1, 4095, &n) < 0)
			usage_error("errno=N: N must be an errno number from 1 to 4095, not '%s'",
				    s + 6);
		return SCMP_ACT_ERRNO((uint32_t)n);
	}
	if (!strcmp(s, "trace"))
		return SCMP_ACT_TRACE(TRACE_DATA);
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (!strcmp(s, actions[i].name))
			return actions[i].act;
	usage_error("unknown action '%s' (kill-process, kill-thread, trap, errno[=N], log, trace, "
		    "notify, allow)",
		    s);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [options]\n"
		"Load a seccomp filter allowing read, write, exit, exit_group and rt_sigreturn,\n"
		"read and print the first line of /etc/passwd, then close(2) it. Without a rule\n"
		"for close the default action kills the process: SIGSYS, status 159.\n"
		"  -a, --allow SYSCALL   also allow SYSCALL (repeatable), e.g. --allow close\n"
		"  -A, --action ACTION   what close gets: kill-process, kill-thread, trap,\n"
		"                        errno[=N], notify, trace, log, allow (strictest first)\n"
		"  -t, --thread          do the steps in a second thread (kill-thread vs process)\n"
		"  -T, --tracer          run the steps in a child traced by this process (trace)\n"
		"  -s, --stack ACTION    a first filter gives close ACTION; the stricter wins\n"
		"  -r, --rewrite         call getppid; the tracer rewrites it into close at the\n"
		"                        seccomp stop, and the kernel checks the call again\n"
		"  -e, --export          print the filter (libseccomp's PFC text), BPF size\n"
		"  -n, --no-filter       the same steps without a filter (the control run)\n"
		"  -v, --verbose         narrate each step on stderr\n"
		"  -h, --help            this text\n",
		progname);
}

/* ---- the trap action: SIGSYS with the syscall number and arch in siginfo ---------------- */

static void on_sigsys(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	static const char msg[] = "trap: SIGSYS caught by the handler; close was not executed\n";

	(void)sig;
	trap_nr = si->si_syscall;
	trap_arch = si->si_arch;
	trap_seen = 1;
	/* The call was skipped; the handler chooses what it returns, like an emulator would. */
#if defined(__x86_64__)
	uc->uc_mcontext.gregs[REG_RAX] = -ENOSYS;
#elif defined(__aarch64__)
	uc->uc_mcontext.regs[0] = (unsigned long)-ENOSYS;
#else
	(void)uc;
#endif
	/* Only async-signal-safe calls in here: write(2), no printf. */
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		return;
}

/* ---- building and loading the lab's filter -------------------------------------------- */

static void add_rule(scmp_filter_ctx ctx, uint32_t act, int nr, const char *name)
{
	int rc = seccomp_rule_add(ctx, act, nr, 0);

	if (rc < 0) {
		errno = -rc;
		dief("seccomp_rule_add %s: %s", name, strerror(errno));
	}
}

/* The lab's filter. Default: kill the process. Allowed: what strict mode allows, which is what
 * the course's filter allows, plus exit_group, which the C library needs to end a process. */
static scmp_filter_ctx main_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);

	if (!ctx)
		dief("seccomp_init failed");
	add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), "read");	 /* the demo's read */
	add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), "write"); /* printf, via the buffer */
	add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), "exit");	 /* a thread's end */
	/* exit(3) and returning from main end in exit_group(2), not exit(2): strict mode allows
	 * only exit, which is why the course's filter, copying strict mode, cannot end cleanly. */
	add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), "exit_group");
	/* Returning from a signal handler (the trap action's SIGSYS handler). */
	add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigreturn), "rt_sigreturn");

	for (int i = 0; i < n_allow; i++) {
		int nr = seccomp_syscall_resolve_name(allow_names[i]);

		if (nr == __NR_SCMP_ERROR)
			usage_error("--allow: unknown system call '%s'", allow_names[i]);
		add_rule(ctx, SCMP_ACT_ALLOW, nr, allow_names[i]);
	}
	/* Notify: filter 1 sends close to the supervisor (filter-notify.c), this one lets it
	 * through: the newest filter's notify would win, and it has no listener. */
	if (close_rule && close_act == SCMP_ACT_NOTIFY)
		add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(close), "close");
	/* libseccomp refuses a rule that only repeats the default action. */
	else if (close_rule && close_act != SCMP_ACT_KILL_PROCESS)
		add_rule(ctx, close_act, SCMP_SYS(close), "close");
	/* --rewrite: getppid is handed to the tracer, which turns it into close. */
	if (rewrite)
		rewrite_rule(ctx);
	return ctx;
}

static void load_filters(void)
{
	scmp_filter_ctx ctx;
	int rc;

	/* Without no_new_privs an unprivileged process may not load a filter: it could then
	 * exec a setuid program and make it misbehave. (libseccomp would set it too.) */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("prctl PR_SET_NO_NEW_PRIVS");

	/* Filter 1, when there are two: notify's own, or --stack's. */
	if (close_act == SCMP_ACT_NOTIFY)
		notify_first_filter();
	else if (stacked)
		stack_first_filter(stack_act, action_name(stack_act));

	ctx = main_filter();
	rc = seccomp_load(ctx);
	if (rc < 0) {
		errno = -rc;
		die("seccomp_load");
	}
	seccomp_release(ctx);
	printf("seccomp: filter %sloaded: default kill-process; read write exit exit_group "
	       "rt_sigreturn allowed; close -> %s\n",
	       (stacked || close_act == SCMP_ACT_NOTIFY) ? "2 " : "",
	       !close_rule		      ? "kill-process (the default)"
	       : close_act == SCMP_ACT_NOTIFY ? "allow"
					      : action_name(close_act));
	if (stacked) {
		uint32_t mine = close_rule ? close_act : SCMP_ACT_KILL_PROCESS;

		printf("stack: both filters run for close; the strictest result wins: %s\n",
		       action_name(stack_winner(stack_act, mine)));
	}
}

/* ---- the steps: filter, read, print, close --------------------------------------------- */

static int run_steps(void)
{
	char line[256];
	ssize_t n;
	long ret;
	char *nl;

	if (no_filter)
		printf("seccomp: no filter (--no-filter, the control run)\n");
	else
		load_filters();

	n = read(passwd_fd, line, sizeof(line) - 1);
	if (n < 0)
		die("read");
	line[n] = '\0';
	nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	printf("read: %s\n", line);

	if (rewrite)
		return rewrite_step(passwd_fd); /* getppid, which the tracer turns into close */

	printf("close: calling close(%d)\n", passwd_fd);
	say("close(2): the filter decides");
	ret = syscall(SYS_close, passwd_fd);
	if (trap_seen)
		printf("trap: handler saw syscall %d (close is %d), arch 0x%x (x86_64 is 0x%x)\n",
		       trap_nr, SYS_close, trap_arch, SCMP_ARCH_X86_64);
	if (ret == 0) {
		printf("close: ok\n");
		return EXIT_OK;
	}
	if (ret > 0) {
		printf("close: returned %ld (not a kernel answer: the supervisor's)\n", ret);
		return EXIT_OK;
	}
	printf("close: -1, errno %d (%s)\n", errno, strerror(errno));
	return EXIT_FAIL;
}

/* --thread: the worker loads the filter itself. Filters belong to a thread (and the children
 * it makes afterwards); the main thread stays unfiltered. */
static int worker_rc = -1;

static void *worker(void *arg)
{
	(void)arg;
	worker_rc = run_steps();
	/* End with the raw exit(2): glibc's thread teardown (madvise, munmap...) would need
	 * more rules. The kernel still wakes pthread_join (CLONE_CHILD_CLEARTID). */
	syscall(SYS_exit, 0);
	return NULL;
}

static int run_in_thread(void)
{
	pthread_t t;
	int rc = pthread_create(&t, NULL, worker, NULL);

	if (rc) {
		errno = rc;
		die("pthread_create");
	}
	pthread_join(t, NULL);
	if (worker_rc < 0) {
		printf("main: the worker thread was killed at close; the main thread still runs\n");
		return EXIT_FAIL;
	}
	printf("main: the worker thread finished (status %d)\n", worker_rc);
	return worker_rc;
}

/* How the child of notify's supervisor or of the tracer ended, as our exit status. */
static int child_status(const char *who, int status)
{
	if (WIFSIGNALED(status)) {
		printf("%s: child killed by SIG%s (signal %d)\n", who,
		       sigabbrev_np(WTERMSIG(status)), WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	printf("%s: child exited with status %d\n", who, WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

static void parse_options(int argc, char **argv)
{
	static const struct option opts[] = {
		{"allow", required_argument, NULL, 'a'},
		{"action", required_argument, NULL, 'A'},
		{"thread", no_argument, NULL, 't'},
		{"tracer", no_argument, NULL, 'T'},
		{"stack", required_argument, NULL, 's'},
		{"rewrite", no_argument, NULL, 'r'},
		{"export", no_argument, NULL, 'e'},
		{"no-filter", no_argument, NULL, 'n'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool allow_close = false;
	int c;

	opterr = 0; /* ':' and bad_option(): the suite's one-line answer to a bad option */
	while ((c = getopt_long(argc, argv, ":a:A:tTs:renvh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (n_allow == MAX_ALLOW)
				usage_error("too many --allow");
			if (!strcmp(optarg, "close"))
				allow_close = true;
			else
				allow_names[n_allow++] = optarg;
			break;
		case 'A':
			close_act = parse_action(optarg);
			close_rule = true;
			break;
		case 't':
			use_thread = true;
			break;
		case 'T':
			use_tracer = true;
			break;
		case 's':
			stack_act = parse_action(optarg);
			stacked = true;
			break;
		case 'r':
			rewrite = use_tracer = true;
			break;
		case 'e':
			export = true;
			break;
		case 'n':
			no_filter = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (optind != argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (allow_close && close_rule)
		usage_error("--allow close and --action both set close's rule: pick one");
	if (allow_close) {
		close_act = SCMP_ACT_ALLOW;
		close_rule = true;
	}
	if (stacked && (stack_act == SCMP_ACT_NOTIFY || close_act == SCMP_ACT_NOTIFY))
		usage_error("--stack and notify do not combine (notify already uses two filters)");
	if ((use_thread ? 1 : 0) + (use_tracer ? 1 : 0) + (close_act == SCMP_ACT_NOTIFY) > 1)
		usage_error("--thread, --tracer/--rewrite and --action notify exclude each other");
}

int main(int argc, char **argv)
{
	struct rlimit nocore = {0, 0};
	struct sigaction sa;

	prog_init(argv[0]);
	parse_options(argc, argv);
	if (export) {
		/* filter-export.c: the compiled filter, nothing loaded. */
		scmp_filter_ctx ctx = main_filter();

		export_filter(ctx);
		seccomp_release(ctx);
		return EXIT_OK;
	}

	/* Dying of SIGSYS is the expected outcome: no core file for it. */
	if (setrlimit(RLIMIT_CORE, &nocore) < 0)
		die("setrlimit");
	setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		die("sigaction SIGSYS");

	printf("pid: %d\n", (int)getpid());
	passwd_fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	if (passwd_fd < 0)
		die("open /etc/passwd");
	printf("open: /etc/passwd is fd %d\n", passwd_fd);

	/* notify (filter-notify.c): a supervisor answers the close of a child running the steps. */
	if (close_act == SCMP_ACT_NOTIFY && close_rule && !no_filter)
		return child_status("supervisor", notify_supervise(run_steps));
	/* --tracer, --rewrite (filter-trace.c, filter-rewrite.c): a tracer stops the child. */
	if (use_tracer)
		return child_status("tracer",
				    trace_run(run_steps, rewrite ? rewrite_at_stop : NULL));
	if (use_thread)
		return run_in_thread();
	return run_steps();
}
