/* filter-rewrite.c - filter's ptrace re-check part: a tracer turns an allowed call into close.
 *
 * Mechanism: seccomp after ptrace. Until Linux 4.8 the filter ran before the tracer's stop, so a
 * tracer could let an allowed call through and then rewrite it into a forbidden one; since 4.8
 * the kernel runs the filters again after a SECCOMP_RET_TRACE stop, on the new registers.
 * What it does: a rule getppid -> trace; the child calls getppid(fd) in place of close(fd); at
 * the stop the tracer of filter-trace.c calls this part's hook, which rewrites getppid into close.
 * Outcome: close forbidden: "tracer: child killed by SIGSYS (signal 31)", status 159; with
 * --allow close: "read: fd N is closed: the rewritten call ran as close", exit 0.
 * Needs: what filter-trace.c needs; Linux 4.8+ for the re-check. Run: filter --rewrite.
 * Read next: seccomp(2) SECCOMP_RET_TRACE, ptrace(2) PTRACE_SETREGS.
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "filter-rewrite.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

void rewrite_rule(scmp_filter_ctx ctx)
{
	int rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(TRACE_DATA), SCMP_SYS(getppid), 0);

	if (rc < 0)
		dief("seccomp_rule_add getppid: %s", strerror(-rc));
}

int rewrite_step(int fd)
{
	char byte;
	long ret;

	/* getppid ignores its arguments, but the registers carry FD into the rewritten close. */
	printf("getppid: calling getppid (the tracer will rewrite it into close(%d))\n", fd);
	ret = syscall(SYS_getppid, fd);
	printf("getppid: returned %ld\n", ret);
	if (read(fd, &byte, 1) < 0 && errno == EBADF) {
		printf("read: fd %d is closed: the rewritten call ran as close\n", fd);
		return EXIT_OK;
	}
	printf("read: fd %d still open: getppid ran unchanged\n", fd);
	return EXIT_FAIL;
}

void rewrite_at_stop(pid_t pid, struct user_regs_struct *regs)
{
#if defined(__x86_64__)
	if (regs->orig_rax != SYS_getppid)
		return;
	/* Before Linux 4.8 the filter had already said yes: this was the escape. Now the
	 * kernel runs the filters again, and they see close. */
	regs->orig_rax = SYS_close;
	if (ptrace(PTRACE_SETREGS, pid, NULL, regs) < 0)
		die("ptrace PTRACE_SETREGS");
	printf("tracer: rewrote getppid (%d) into close (%d)\n", SYS_getppid, SYS_close);
#else
	(void)pid;
	(void)regs;
#endif
}
