/* filter-trace.h - filter's tracer part: a ptrace parent decides what SECCOMP_RET_TRACE stops. */
#ifndef FILTER_TRACE_H
#define FILTER_TRACE_H

#include <sys/types.h>
#include <sys/user.h>

#define TRACE_DATA 42 /* SECCOMP_RET_TRACE's 16 data bits: the tracer reads them */

/* Called at each seccomp stop with the child's registers, before it goes on. */
typedef void trace_hook(pid_t pid, struct user_regs_struct *regs);

/* Fork a child that asks to be traced and runs STEPS; trace it to its end, calling AT_STOP (may
 * be NULL) at each seccomp stop. Returns the child's wait(2) status. */
int trace_run(int (*steps)(void), trace_hook *at_stop);

#endif
