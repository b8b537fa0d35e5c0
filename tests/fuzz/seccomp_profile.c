// fuzz-build: labs/seccomp/profile.c labs/seccomp/profile-json.c labs/seccomp/profile-includes.c labs/seccomp/profile-explain.c common/cseclab.c -Icommon -Ilabs/seccomp $(pkg-config --cflags --libs jansson libseccomp libcap)
/* seccomp_profile.c - libFuzzer harness for the seccomp profile compiler (labs/seccomp/profile.h).
 *
 * The input is parsed as JSON by jansson; a document that parses goes through profile_compile():
 * type checks, actions, operators, arches, includes/excludes, the libseccomp rules it adds and
 * the --explain account of one syscall. A malformed profile must come back as -1 with the
 * error report filled (place and message, status 1, 2 or 77); a crash, leak, sanitizer report,
 * or a return that breaks that contract is a bug. Nothing is loaded into the kernel.
 * Run by scripts/fuzz (make fuzz).
 */
#include <jansson.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cseclab.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct profile_error err;
	scmp_filter_ctx ctx;
	json_error_t jerr;
	json_t *root;

	/* Warnings go to stderr, by the million here. libFuzzer keeps the FILE * it saw at
	 * start-up for its own reports, so pointing glibc's stderr variable elsewhere silences
	 * only the compiler; the explanation goes to the same /dev/null. */
	if (!null) {
		null = fopen("/dev/null", "w");
		if (!null)
			abort();
		stderr = null;
	}
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return 0;
	/* "clone" is named by rules with args and includes in the seeds: explain it. */
	struct profile_options opt = {.source = "fuzz", .explain = "clone", .explain_out = null};
	memset(&err, 0, sizeof(err));
	if (profile_compile(root, &opt, &ctx, &err) == 0) {
		if (!ctx)
			abort();
		seccomp_release(ctx);
	} else if (ctx || !err.where[0] || !err.msg[0] ||
		   (err.status != EXIT_FAIL && err.status != EXIT_USAGE &&
		    err.status != EXIT_UNSUPPORTED)) {
		abort();
	}
	json_decref(root);
	return 0;
}
