// fuzz-build: labs/runtime/minibox-config.c labs/runtime/minibox-config-linux.c labs/runtime/minibox-config-read.c labs/seccomp/profile-json.c common/cseclab.c -Icommon -Ilabs/runtime -Ilabs/seccomp $(pkg-config --cflags --libs jansson libseccomp libcap)
/* minibox_config.c - libFuzzer harness for minibox's config.json reader (config_parse).
 *
 * The input is parsed as JSON by jansson; a document that parses goes through every check of
 * minibox-config.c and minibox-config-linux.c: types, namespaces, ID maps, mounts and their
 * options, capabilities, rlimits, resources, device rules, paths. The bundle is a directory
 * that exists (build/fuzz, where scripts/fuzz runs it): relative root.path and bind sources
 * resolve there. A refused document must come back as -1 with a place, a message and exit
 * status 2; a crash, leak or sanitizer report is a bug. Nothing is started. Run by
 * scripts/fuzz (make fuzz).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "cseclab.h"
#include "minibox-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile_error err;
	struct mb_config c;
	json_error_t jerr;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);

	if (!doc)
		return 0;
	if (config_parse(doc, ".", "fuzz", &c, &err) < 0 &&
	    (!err.where[0] || !err.msg[0] || err.status != EXIT_USAGE))
		abort();
	config_free(&c);
	return 0;
}
