/* doctor.c - what can this machine demonstrate? Reads the kernel, never assumes.
 *
 * Mechanism: all of the course's, asked of the kernel: a probe tries what is safe to try (a
 * forked child unshares a user namespace as nobody), the rest is read from /proc and /sys.
 * What it does: prints "key: value" facts, a "feature:" line per keyword, a "lab:" line per lab.
 * Outcome: exit 0. --check FEATURE (or lab:NAME, every feature of a lab): exit 0 available, 1
 * not (the reason on stdout), 2 unknown.
 * Needs: nothing; some facts read "unknown" without root.
 * Parts: doctor-features.c (keywords), doctor-probes.c, doctor-bpf.c, doctor-host.c (probes),
 * doctor-facts.c, doctor-labs.c (verdicts), doctor-output.c, doctor-read.c; lsm/lsmlist.c.
 * Read next: namespaces(7), cgroups(7), capabilities(7), seccomp(2), landlock(7).
 */
#include "cseclab.h"
#include "doctor-facts.h"
#include "doctor-features.h"
#include "doctor-host.h"
#include "doctor-labs.h"
#include "doctor-output.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [--json] [--check FEATURE] [--features]\n"
		"What can this machine demonstrate? Reads the kernel and prints key: value facts,\n"
		"one line per feature the labs need, and which labs can run here.\n\n"
		"  -c, --check FEATURE  exit 0 if FEATURE is available, 1 if not (reason on "
		"stdout),\n"
		"                       2 if FEATURE is not a keyword (see --features)\n"
		"  -f, --features       list the feature keywords and the kernel that added each,\n"
		"                       then the labs and the features each needs\n"
		"  -j, --json           print the facts as JSON\n"
		"  -h, --help           this help\n"
		"Features also accept tool:NAME (an executable on PATH) and lab:NAME (every\n"
		"feature of the lab, as its lab: line judges; 1 names the first one missing).\n",
		progname);
}

/* --check: the one line the tests' `requires` shows when it skips, and the exit status. */
static int check(const char *name)
{
	struct feature tool = FEATURE("tool", "-", p_tool, NULL);
	struct feature *f = feature(name);

	if (strncmp(name, "lab:", 4) == 0)
		return check_lab(name + 4);
	if (strncmp(name, "tool:", 5) == 0 && name[5]) {
		tool.arg = name + 5;
		f = &tool;
	}
	if (!f) {
		warnf("unknown feature '%s' (doctor --features lists them)", name);
		return EXIT_USAGE;
	}
	probe(f);
	printf("%s\n", f->why);
	return f->ok ? EXIT_OK : EXIT_FAIL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"check", required_argument, NULL, 'c'},
					     {"features", no_argument, NULL, 'f'},
					     {"json", no_argument, NULL, 'j'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *name = NULL;
	bool list = false;
	int c;

	prog_init(argv[0]);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:fjh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			name = optarg;
			break;
		case 'f':
			list = true;
			break;
		case 'j':
			output_json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
		default:
			bad_option(c, argv);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);

	if (name)
		return check(name);
	if (list) {
		list_features();
		list_labs();
		return EXIT_OK;
	}
	report_begin();
	facts();
	report_features();
	report_labs();
	report_end();
	return EXIT_OK;
}
