// fuzz-build: labs/seccomp/seccomp-run.c common/cseclab.c -Icommon -DFUZZ_NO_MAIN $(pkg-config --cflags --libs jansson libseccomp libcap)
/* seccomp_profile.c - libFuzzer harness for seccomp-run's profile loader (load_profile_json).
 *
 * The input is parsed as JSON by jansson; a document that parses goes through the whole loader:
 * type checks, actions, operators, arches, includes/excludes and the libseccomp rules it adds.
 * A malformed profile must end in bad() (the "FILE: PLACE: message" error, exit 2 in the
 * program), which the harness catches with longjmp; a crash, leak or sanitizer report is a bug.
 * Nothing is loaded into the kernel. Run by scripts/fuzz (make fuzz).
 */
#include <jansson.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#include "cseclab.h"

extern scmp_filter_ctx ctx;
extern void (*bad_exit)(void);
void load_profile_json(json_t *root);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jmp_buf back;

static void come_back(void)
{
	longjmp(back, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static volatile json_t *root;
	static bool quiet;
	json_error_t err;

	/* bad() and warnf() write to stderr, by the million here. libFuzzer keeps the FILE * it
	 * saw at start-up for its own reports, so pointing glibc's stderr variable elsewhere
	 * silences only the loader. */
	if (!quiet) {
		FILE *null = fopen("/dev/null", "w");
		if (null)
			stderr = null;
		quiet = true;
	}
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	if (!root)
		return 0;
	bad_exit = come_back;
	if (setjmp(back) == 0)
		load_profile_json((json_t *)root);
	if (ctx) {
		seccomp_release(ctx);
		ctx = NULL;
	}
	json_decref((json_t *)root);
	return 0;
}
