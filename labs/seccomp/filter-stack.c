/* filter-stack.c - filter's stacking part: two filters, and the kernel keeps the strictest.
 *
 * Mechanism: stacked seccomp filters. A filter is never removed, only added to; every filter runs
 * on every call, newest first, and the kernel applies the strictest result, whatever the order
 * they were loaded in. So a filter can take permissions away, never give them back.
 * What it does: loads filter 1 (default allow, close gets the --stack action) before filter.c
 * loads the lab's filter, and names the action the kernel applies to close.
 * Outcome: filter --action log --stack errno=7: "stack: both filters run for close; the strictest
 * result wins: errno", "close: -1, errno 7 (Argument list too long)", exit 1.
 * Needs: what filter.c needs. Run: filter --action ACTION --stack ACTION.
 * Read next: seccomp(2), "the first-seen action value of highest precedence" and its list.
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "filter-stack.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <string.h>

void stack_first_filter(uint32_t act, const char *name)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc;

	if (!ctx)
		dief("seccomp_init failed");
	/* --stack allow: the default already allows close, and libseccomp refuses a rule that
	 * repeats the default action (EACCES), so filter 1 is loaded without any rule. */
	if (act != SCMP_ACT_ALLOW) {
		rc = seccomp_rule_add(ctx, act, SCMP_SYS(close), 0);
		if (rc < 0)
			dief("seccomp_rule_add close: %s", strerror(-rc));
	}
	rc = seccomp_load(ctx);
	if (rc < 0) {
		errno = -rc;
		die("seccomp_load (first filter)");
	}
	seccomp_release(ctx);
	printf("seccomp: filter 1 loaded: close -> %s%s\n", name,
	       act == SCMP_ACT_ALLOW ? " (its default action, no rule)" : "");
}

uint32_t stack_winner(uint32_t first, uint32_t second)
{
	/* The kernel's rule (seccomp_run_filters in kernel/seccomp.c): the action bits compared
	 * as a signed number, the lowest wins. KILL_PROCESS 0x80000000 is negative, below
	 * KILL_THREAD 0, TRAP, ERRNO, USER_NOTIF, TRACE, LOG, and ALLOW 0x7fff0000 on top. The
	 * newest filter runs first and keeps a tie: here that is filter 2. */
	int32_t a = (int32_t)(first & SECCOMP_RET_ACTION_FULL);
	int32_t b = (int32_t)(second & SECCOMP_RET_ACTION_FULL);

	return a < b ? first : second;
}
