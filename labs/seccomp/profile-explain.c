/* profile-explain.c - seccomp-run --explain: which rules of a profile decide one syscall.
 *
 * A part of the profile compiler (profile.c calls it for every rule that names the syscall).
 * It says what libseccomp 2.5 makes of those rules, which is not always what the file says
 * (checked against its PFC output, seccomp_export_pfc(3)): it does not refuse rules that
 * disagree about one syscall. The first unconditional rule wins and later rules for that
 * syscall, with or without args, are silently dropped; an unconditional rule also wipes the
 * conditional ones added before it. Only two rules with the very same conditions and different
 * actions are refused (EEXIST, reported by profile.c).
 */
#define _GNU_SOURCE
#include "profile-explain.h"

#include <seccomp.h>
#include <string.h>

const char *describe_action(uint32_t action, char *buf, size_t len)
{
	uint32_t data = action & 0xffff;

	switch (action & 0xffff0000U) {
	case SCMP_ACT_ALLOW:
		return "allow";
	case SCMP_ACT_LOG:
		return "allow and log";
	case SCMP_ACT_KILL_PROCESS:
		return "kill the process (SIGSYS)";
	case SCMP_ACT_KILL_THREAD:
		return "kill the thread (SIGSYS)";
	case SCMP_ACT_TRAP:
		return "trap (SIGSYS to a handler)";
	case SCMP_ACT_TRACE(0):
		snprintf(buf, len, "trace (tracer sees msg %u; without one: ENOSYS)", data);
		return buf;
	}
	snprintf(buf, len, "errno %u (%s)", data,
		 strerrorname_np((int)data) ? strerrorname_np((int)data) : "?");
	return buf;
}

void explain_start(struct explain *e, FILE *out, const char *name, const char *arch)
{
	*e = (struct explain){.out = out, .name = name};
	if (out)
		fprintf(out, "syscall: %s (number %d on %s)\n", name,
			seccomp_syscall_resolve_name(name), arch);
}

void explain_rule(struct explain *e, const char *place, uint32_t action, size_t n,
		  const char *argtext, bool keep, const char *why)
{
	char buf[96];
	const char *what = describe_action(action, buf, sizeof(buf));
	size_t used = strlen(e->when);

	if (!e->out)
		return;
	fprintf(e->out, "%s: %s%s%s: ", place, what, n ? " when " : "", argtext);
	if (!keep) {
		fprintf(e->out, "skipped, %s\n", why);
	} else if (action == e->default_action) {
		fprintf(e->out, "not added, it is the default action\n");
	} else if (e->always[0]) {
		fprintf(e->out, "dropped by libseccomp: the unconditional rule %s decides\n",
			e->always);
	} else if (!n) {
		fprintf(e->out, "applies%s\n",
			e->when[0] ? "; libseccomp drops the conditional rules added before it"
				   : "");
		snprintf(e->always, sizeof(e->always), "%s (%s)", what, place);
		e->when[0] = '\0';
	} else {
		fprintf(e->out, "applies\n");
		snprintf(e->when + used, sizeof(e->when) - used, "%s when %s (%s); ", what, argtext,
			 place);
	}
}

void explain_end(struct explain *e)
{
	char buf[96];
	const char *dflt = describe_action(e->default_action, buf, sizeof(buf));

	if (!e->out)
		return;
	fprintf(e->out, "default: %s\n", dflt);
	/* The unconditional rule libseccomp kept decides alone (see explain_rule). */
	if (e->always[0])
		fprintf(e->out, "verdict: %s\n", e->always);
	else if (e->when[0])
		fprintf(e->out, "verdict: %sotherwise %s (default)\n", e->when, dflt);
	else
		fprintf(e->out, "verdict: %s (default action, no rule applies)\n", dflt);
}
