/* filter-trace.c - filter's tracer part: a ptrace parent decides what SECCOMP_RET_TRACE stops.
 *
 * Mechanism: SECCOMP_RET_TRACE. A tracer that set PTRACE_O_TRACESECCOMP gets a stop at each
 * call the filter marks; it reads the action's 16 data bits (PTRACE_GETEVENTMSG) and the
 * registers, may change them, and lets the call go on. With no tracer the call fails: ENOSYS.
 * What it does: forks a child that asks to be traced and runs filter.c's steps; this process
 * reports each seccomp stop, hands the registers to a hook (filter-rewrite.c has one), continues.
 * Outcome: "tracer: seccomp stop: syscall 3, filter data 42", "close: ok", exit 0.
 * Needs: x86-64 (it reads its registers); ptrace (kernel.yama.ptrace_scope 3 forbids it).
 * Run: filter --action trace --tracer.
 * Read next: ptrace(2) PTRACE_O_TRACESECCOMP and PTRACE_EVENT_SECCOMP, then filter-rewrite.c.
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "filter-trace.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int trace_run(int (*steps)(void), trace_hook *at_stop)
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
		exit(steps());
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
			if (at_stop)
				at_stop(pid, &regs);
#endif
		} else if (WIFSTOPPED(status)) {
			sig = WSTOPSIG(status); /* pass the child's own signals on */
		}
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig) < 0)
			die("ptrace PTRACE_CONT");
	}
	return status;
}
