/* profile-explain.h - seccomp-run --explain: what the compiled filter keeps of each rule. */
#ifndef PROFILE_EXPLAIN_H
#define PROFILE_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One explanation in progress, inside profile_compile(). */
struct explain {
	FILE *out;		 /* NULL: nothing to explain, every call below does nothing */
	const char *name;	 /* the syscall explained */
	uint32_t default_action; /* the profile's */
	char always[160];	 /* the unconditional rule libseccomp keeps, if any */
	char when[1024];	 /* the rules with args it keeps */
};

/* "allow", "errno 38 (ENOSYS)", "kill the process (SIGSYS)": ACTION in words, in BUF. */
const char *describe_action(uint32_t action, char *buf, size_t len);
/* "syscall: NAME (number NR on ARCH)"; E is set up for the rules that follow (the caller sets
 * its default_action once the profile's is known). */
void explain_start(struct explain *e, FILE *out, const char *name, const char *arch);
/* One rule that names the syscall: ACTION when ARGTEXT (N conditions), KEEP or skipped by WHY. */
void explain_rule(struct explain *e, const char *place, uint32_t action, size_t n,
		  const char *argtext, bool keep, const char *why);
/* "default: ..." and "verdict: ...": what the filter answers in the end. */
void explain_end(struct explain *e);

#endif
