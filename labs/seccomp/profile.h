/* profile.h - compile a Docker-format seccomp profile (parsed JSON) into a libseccomp filter.
 *
 * The unit behind seccomp-run, and the one a container runtime uses for an OCI config's
 * linux.seccomp (same shape: defaultAction, architectures, syscalls, "SCMP_ACT_*" names).
 * It never exits: a profile it refuses comes back as -1 and a struct profile_error.
 * Warnings (an unknown key) go through warnf(), narration (-v) through say(): common/cseclab.h.
 */
#ifndef PROFILE_H
#define PROFILE_H

#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>

/* Why a profile was refused: the caller prints "SOURCE: WHERE: MSG" and exits with STATUS. */
struct profile_error {
	int status;	 /* the suite's exit code for it: 2 the profile is wrong, 77 this machine
			  * cannot honour it (kernel or libseccomp too old), 1 a runtime failure */
	char where[128]; /* the place in the document: "syscalls[3].args[0].op", "defaultAction" */
	char msg[384];	 /* what is wrong there: "unknown operator \"SCMP_CMP_ABOUT\" (...)" */
};

struct profile_options {
	const char *source;  /* the profile's name in warnings: a file name, "config.json" */
	const char *explain; /* a syscall name, or NULL: which rules decide it, and why... */
	FILE *explain_out;   /* ...written here (stdout in seccomp-run) */
};

/* Compiles PROFILE into *CTX: a new filter context, not loaded, with no_new_privs left to the
 * caller (SCMP_FLTATR_CTL_NNP off: set it yourself before seccomp_load) and the kernel's own
 * errno from seccomp_load (SCMP_FLTATR_API_SYSRAWRC). Rules with includes/excludes are kept or
 * dropped for this process (its capability bounding set, native arch, kernel version): call it
 * in the process, or one with the same bounding set, that will load the filter.
 * 0 on success (the caller then owns *CTX: seccomp_release), -1 with ERR filled and *CTX NULL.
 * PROFILE is only read. */
int profile_compile(json_t *profile, const struct profile_options *opt, scmp_filter_ctx *ctx,
		    struct profile_error *err);

#endif
