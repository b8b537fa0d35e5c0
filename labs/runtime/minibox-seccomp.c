/* minibox-seccomp.c - the config's linux.seccomp, through the suite's profile compiler.
 *
 * A part of minibox (minibox-seccomp.h). An OCI config's linux.seccomp has the fields and the
 * "SCMP_*" names of Docker's profiles, so labs/seccomp/profile.c (profile.h), the compiler
 * behind seccomp-run, compiles it. It is compiled in the parent, before anything starts, so
 * that a wrong profile is a bad bundle (exit 2); the child inherits the compiled filter (a
 * copy of the parent's memory) and only loads it. One difference from runc, on purpose: for
 * a syscall the profile does not name, runc 1.1 answers ENOSYS instead of the default action
 * when the syscall is newer than every one the profile names (its "-ENOSYS stub", so that a
 * libc falls back to an older call); minibox applies the default action, as libseccomp does.
 */
#define _GNU_SOURCE
#include "minibox-seccomp.h"
#include "cseclab.h"

#include <errno.h>
#include <string.h>

int seccomp_prepare(const struct mb_config *c, scmp_filter_ctx *ctx, struct profile_error *err)
{
	struct profile_options opt = {.source = "config.json"};
	char where[sizeof(err->where) + 16];

	*ctx = NULL;
	if (!c->seccomp)
		return 0;
	if (profile_compile(c->seccomp, &opt, ctx, err) == 0)
		return 0;
	snprintf(where, sizeof(where), "linux.seccomp%s%s", err->where[0] ? "." : "", err->where);
	snprintf(err->where, sizeof(err->where), "%.127s", where);
	return -1;
}

int seccomp_apply(scmp_filter_ctx ctx)
{
	int rc = seccomp_load(ctx);

	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return 0;
}
