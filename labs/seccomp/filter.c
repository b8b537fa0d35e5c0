/* filter - seccomp filter mode (mode 2) with libseccomp: the action decides what close(2) gets.
 *
 * Same steps as strict: open /etc/passwd, load a filter allowing read, write, exit, exit_group
 * and rt_sigreturn (default action: kill the process), read and print a line, close the file.
 * Killed at close by SIGSYS: the shell says "Bad system call", status 159 (strict: 137).
 * --allow close completes (status 0); --action gives close kill-process, kill-thread, trap,
 * errno[=N], log, trace, notify or allow, each with its observable effect; --thread, --tracer,
 * --stack, --rewrite and --export show threads, ptrace, two stacked filters, the ptrace re-check
 * since Linux 4.8 and the compiled program. Key lines: "close: ok", "close: -1, errno N (...)".
 * Needs CONFIG_SECCOMP_FILTER and libseccomp; no privilege (no_new_privs is set first).
 * Read next: seccomp(2), seccomp_rule_add(3), seccomp_unotify(2), ptrace(2) PTRACE_O_TRACESECCOMP.
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define TRACE_DATA    42   /* SECCOMP_RET_TRACE's 16 data bits: the tracer reads them */
#define NOTIFY_ANSWER 4242 /* what the notify supervisor makes close(2) return */
#define MAX_ALLOW     32

/* The actions, strictest first: this is also the order the kernel uses to pick one result
 * when several filters are stacked (include/uapi/linux/seccomp.h, SECCOMP_RET_*). */
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
static int notify_sock = -1; /* notify mode: the socket to the supervisor */

/* stdout with a static, line-buffered buffer: printf then needs nothing but write(2) (no malloc,
 * no fstat), and each line is out before a kill, even when stdout is a pipe. */
static char outbuf[BUFSIZ];

/* What the SIGSYS handler saw (trap mode). */
static volatile sig_atomic_t trap_seen;
static volatile int trap_nr;
static volatile unsigned int trap_arch;

static int action_rank(uint32_t act)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if ((act & SECCOMP_RET_ACTION_FULL) == actions[i].act)
			return (int)i;
	return (int)ARRAY_SIZE(actions);
}

static const char *action_name(uint32_t act)
{
	int r = action_rank(act);

	return r < (int)ARRAY_SIZE(actions) ? actions[r].name : "?";
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

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "Load a seccomp filter allowing read, write, exit, exit_group and rt_sigreturn, "
	       "read\n"
	       "and print the first line of /etc/passwd, then close(2) it. Without a rule for\n"
	       "close the default action kills the process: SIGSYS, status 159.\n"
	       "  -a, --allow SYSCALL    also allow SYSCALL (repeatable), e.g. --allow close\n"
	       "  -A, --action ACTION    what close gets: kill-process, kill-thread, trap, "
	       "errno[=N],\n"
	       "                         log, trace, notify, allow (strictest first)\n"
	       "  -t, --thread           do the steps in a second thread (kill-thread vs "
	       "kill-process)\n"
	       "  -T, --tracer           run the steps in a child traced by this process (for "
	       "trace)\n"
	       "  -s, --stack ACTION     load a first filter giving close ACTION: the stricter "
	       "wins\n"
	       "  -r, --rewrite          call getppid instead of close; the tracer rewrites it "
	       "into\n"
	       "                         close at the seccomp stop, and the kernel checks it "
	       "again\n"
	       "  -e, --export           print the filter as libseccomp's PFC text and its BPF "
	       "size\n"
	       "  -n, --no-filter        the same steps without a filter (the control run)\n"
	       "  -v, --verbose          narrate each step on stderr\n"
	       "  -h, --help             this text\n",
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

/* ---- building and loading the filters ------------------------------------------------- */

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
	/* Notify mode: filter 1 sends close to the supervisor, this one lets it through. (Were
	 * both to say notify, the newest filter's result would count, and it has no listener:
	 * close would fail with ENOSYS.) */
	if (close_rule && close_act == SCMP_ACT_NOTIFY)
		add_rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(close), "close");
	/* libseccomp refuses a rule that only repeats the default action. */
	else if (close_rule && close_act != SCMP_ACT_KILL_PROCESS)
		add_rule(ctx, close_act, SCMP_SYS(close), "close");
	/* --rewrite: getppid is handed to the tracer, which turns it into close. */
	if (rewrite)
		add_rule(ctx, SCMP_ACT_TRACE(TRACE_DATA), SCMP_SYS(getppid), "getppid");
	return ctx;
}

static void load(scmp_filter_ctx ctx, const char *what)
{
	int rc = seccomp_load(ctx);

	if (rc < 0) {
		errno = -rc;
		die(what);
	}
}

/* A first, permissive filter: everything allowed but close, which gets ACT. */
static int load_first_filter(uint32_t act)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int listener = -1;

	if (!ctx)
		dief("seccomp_init failed");
	/* --stack allow: the default already allows close, and libseccomp refuses a rule that
	 * repeats the default action (EACCES), so filter 1 is loaded without any rule. */
	if (act != SCMP_ACT_ALLOW)
		add_rule(ctx, act, SCMP_SYS(close), "close");
	load(ctx, "seccomp_load (first filter)");
	if (act == SCMP_ACT_NOTIFY) {
		/* Loading a filter with a notify rule created a listener: an fd whose reader
		 * answers in place of the kernel. The context is not released: that would close
		 * the listener, and close is now the supervisor's to answer. */
		listener = seccomp_notify_fd(ctx);
		if (listener < 0)
			dief("seccomp_notify_fd: %s", strerror(-listener));
		return listener;
	}
	seccomp_release(ctx);
	return listener;
}

/* SCM_RIGHTS: the kernel installs a copy of FD in the receiving process. */
static void send_fd(int sock, int fd)
{
	char byte = 'L';
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *cm;

	memset(&u, 0, sizeof(u));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) < 0)
		die("sendmsg");
}

static int recv_fd(int sock)
{
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *cm;
	int fd;
	ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);

	if (n < 0)
		die("recvmsg");
	cm = CMSG_FIRSTHDR(&msg);
	if (n == 0 || !cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static void load_filters(void)
{
	scmp_filter_ctx ctx;

	/* Without no_new_privs an unprivileged process may not load a filter: it could then
	 * exec a setuid program and make it misbehave. (libseccomp would set it too.) */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("prctl PR_SET_NO_NEW_PRIVS");

	if (close_act == SCMP_ACT_NOTIFY) {
		/* The listener exists only once its filter is loaded, and the lab's filter
		 * forbids sendmsg: so the notify rule goes in a first filter, the listener is
		 * passed to the supervisor, and only then the lab's filter goes on top. */
		int listener = load_first_filter(SCMP_ACT_NOTIFY);

		say("passing the listener fd %d to the supervisor with SCM_RIGHTS", listener);
		send_fd(notify_sock, listener);
		printf("seccomp: filter 1 loaded: close -> notify; listener fd passed to the "
		       "supervisor\n");
	} else if (stacked) {
		load_first_filter(stack_act);
		printf("seccomp: filter 1 loaded: close -> %s%s\n", action_name(stack_act),
		       stack_act == SCMP_ACT_ALLOW ? " (its default action, no rule)" : "");
	}

	ctx = main_filter();
	load(ctx, "seccomp_load");
	seccomp_release(ctx);
	printf("seccomp: filter %sloaded: default kill-process; read write exit exit_group "
	       "rt_sigreturn allowed; close -> %s\n",
	       (stacked || close_act == SCMP_ACT_NOTIFY) ? "2 " : "",
	       !close_rule		      ? "kill-process (the default)"
	       : close_act == SCMP_ACT_NOTIFY ? "allow"
					      : action_name(close_act));
	if (stacked) {
		uint32_t mine = close_rule ? close_act : SCMP_ACT_KILL_PROCESS;
		uint32_t win = action_rank(stack_act) < action_rank(mine) ? stack_act : mine;

		printf("stack: both filters run for close; the strictest result wins: %s\n",
		       action_name(win));
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

	if (rewrite) {
		/* getppid ignores its arguments, but the registers carry passwd_fd into the
		 * rewritten close. */
		printf("getppid: calling getppid (the tracer will rewrite it into close(%d))\n",
		       passwd_fd);
		ret = syscall(SYS_getppid, passwd_fd);
		printf("getppid: returned %ld\n", ret);
		if (read(passwd_fd, line, 1) < 0 && errno == EBADF) {
			printf("read: fd %d is closed: the rewritten call ran as close\n",
			       passwd_fd);
			return EXIT_OK;
		}
		printf("read: fd %d still open: getppid ran unchanged\n", passwd_fd);
		return EXIT_FAIL;
	}

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

/* Report how a child ended and turn it into our exit status. */
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

/* ---- notify: this process supervises a child's close ----------------------------------- */

static int run_supervised(void)
{
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	int sv[2], listener, status, rc;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(sv[0]);
		notify_sock = sv[1];
		exit(run_steps());
	}
	close(sv[1]);
	listener = recv_fd(sv[0]);
	if (listener < 0)
		dief("supervisor: the child sent no listener fd");
	printf("supervisor: got listener fd %d from pid %d\n", listener, (int)pid);

	if (seccomp_notify_alloc(&req, &resp) < 0)
		dief("seccomp_notify_alloc failed");
	/* One notification: the child's close. */
	rc = seccomp_notify_receive(listener, req);
	if (rc < 0) {
		errno = -rc;
		die("seccomp_notify_receive");
	}
	printf("supervisor: pid %d asks for syscall %d (close is %d) with fd %llu\n", req->pid,
	       req->data.nr, SYS_close, (unsigned long long)req->data.args[0]);
	/* Answer in place of the kernel: close is not run, it "returns" our value. */
	resp->id = req->id;
	resp->val = NOTIFY_ANSWER;
	resp->error = 0;
	resp->flags = 0;
	rc = seccomp_notify_respond(listener, resp);
	if (rc < 0) {
		errno = -rc;
		die("seccomp_notify_respond");
	}
	printf("supervisor: answered %d without running close\n", NOTIFY_ANSWER);
	seccomp_notify_free(req, resp);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return child_status("supervisor", status);
}

/* ---- trace and rewrite: this process ptraces a child ----------------------------------- */

static int run_traced(void)
{
	int status;
	pid_t pid;

#if !defined(__x86_64__)
	unsupported("the tracer reads x86-64 registers", "--tracer is written for x86-64 only");
#endif
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			die("ptrace PTRACE_TRACEME");
		raise(SIGSTOP); /* wait here until the tracer has set its options */
		exit(run_steps());
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	/* TRACESECCOMP: a SECCOMP_RET_TRACE result stops the child and tells us. EXITKILL: if
	 * the tracer dies, the child does not run on unsupervised. */
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL,
		   (void *)(long)(PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)) < 0)
		die("ptrace PTRACE_SETOPTIONS");
	printf("tracer: tracing pid %d\n", (int)pid);
	if (ptrace(PTRACE_CONT, pid, NULL, NULL) < 0)
		die("ptrace PTRACE_CONT");

	for (;;) {
		int sig = 0;

		if (waitpid(pid, &status, 0) < 0)
			die("waitpid");
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
#if defined(__x86_64__)
			struct user_regs_struct regs;
			unsigned long data;

			if (ptrace(PTRACE_GETEVENTMSG, pid, NULL, &data) < 0)
				die("ptrace PTRACE_GETEVENTMSG");
			if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) < 0)
				die("ptrace PTRACE_GETREGS");
			printf("tracer: seccomp stop: syscall %llu, filter data %lu\n",
			       regs.orig_rax, data);
			if (rewrite && regs.orig_rax == SYS_getppid) {
				/* Before Linux 4.8 the filter had already said yes: this was
				 * the escape. Now the kernel runs the filters again. */
				regs.orig_rax = SYS_close;
				if (ptrace(PTRACE_SETREGS, pid, NULL, &regs) < 0)
					die("ptrace PTRACE_SETREGS");
				printf("tracer: rewrote getppid (%d) into close (%d)\n",
				       SYS_getppid, SYS_close);
			}
#endif
		} else if (WIFSTOPPED(status)) {
			sig = WSTOPSIG(status); /* pass the child's own signals on */
		}
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig) < 0)
			die("ptrace PTRACE_CONT");
	}
	return child_status("tracer", status);
}

/* ---- --export: the filter as text and as BPF ------------------------------------------- */

static int export_filter(void)
{
	scmp_filter_ctx ctx = main_filter();
	struct stat st;
	int rc, mfd;

	fflush(stdout);
	rc = seccomp_export_pfc(ctx, STDOUT_FILENO);
	if (rc < 0) {
		errno = -rc;
		die("seccomp_export_pfc");
	}
	mfd = memfd_create("cseclab-bpf", MFD_CLOEXEC);
	if (mfd < 0)
		die("memfd_create");
	rc = seccomp_export_bpf(ctx, mfd);
	if (rc < 0) {
		errno = -rc;
		die("seccomp_export_bpf");
	}
	if (fstat(mfd, &st) < 0)
		die("fstat");
	printf("bpf: %lld instructions (%lld bytes, 8 per struct sock_filter)\n",
	       (long long)st.st_size / 8, (long long)st.st_size);
	close(mfd);
	seccomp_release(ctx);
	return EXIT_OK;
}

int main(int argc, char **argv)
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
	struct rlimit nocore = {0, 0};
	struct sigaction sa;
	bool allow_close = false;
	int c;

	prog_init(argv[0]);
	while ((c = getopt_long(argc, argv, "a:A:tTs:renvh", opts, NULL)) != -1) {
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
			usage();
			return EXIT_OK;
		default:
			usage_error("unknown option");
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

	if (export)
		return export_filter();

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

	if (close_act == SCMP_ACT_NOTIFY && close_rule && !no_filter) {
		/* libseccomp probes the kernel's features lazily: do it now, before the fork, so
		 * that the child's load asks for a listener (SECCOMP_FILTER_FLAG_NEW_LISTENER). */
		if (seccomp_api_get() < 6)
			unsupported(
				"needs Linux 5.0+ and libseccomp 2.5+",
				"seccomp user notification (SECCOMP_RET_USER_NOTIF) is missing");
		return run_supervised();
	}
	if (use_tracer)
		return run_traced();
	if (use_thread)
		return run_in_thread();
	return run_steps();
}
