/* filter-rewrite.h - filter's ptrace re-check part: a tracer turns an allowed call into close. */
#ifndef FILTER_REWRITE_H
#define FILTER_REWRITE_H

#include <seccomp.h>

#include "filter-trace.h"

/* The rule: getppid -> SCMP_ACT_TRACE(TRACE_DATA), so that the tracer stops at it. */
void rewrite_rule(scmp_filter_ctx ctx);

/* The child's last step, in place of close(FD): getppid(FD), then is FD closed? EXIT_OK if the
 * rewritten call closed it, EXIT_FAIL if getppid ran unchanged. */
int rewrite_step(int fd);

/* The tracer's hook at the seccomp stop (filter-trace.c): getppid becomes close. */
trace_hook rewrite_at_stop;

#endif
