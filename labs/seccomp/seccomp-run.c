/* seccomp-run.c - load a Docker-format seccomp profile by hand, then run a command under it.
 *
 * Mechanism: seccomp filter mode (seccomp(2)), applied the way Docker and runc apply a profile.
 * What it does: reads the JSON profile, compiles it with Docker's rules (parts: profile.c and its
 *   -json, -includes, -explain), forks; the child sets no_new_privs, loads the filter, execs CMD.
 * Outcome: CMD's exit status; what the profile refuses fails inside CMD (EPERM by default).
 *   `--explain clone3` with Docker's default: "verdict: errno 38 (ENOSYS) ..."; a refused execve:
 *   "seccomp-run: execve CMD: Operation not permitted ...", exit 1; a malformed profile:
 *   "seccomp-run: FILE: syscalls[3].action: ...", exit 2, and CMD never runs.
 * Needs: CONFIG_SECCOMP_FILTER; libseccomp, jansson, libcap; no privilege (--no-nnp: root).
 * Read next: seccomp(2), seccomp_rule_add(3), profile.c; Docker's "Seccomp security profiles".
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "profile.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s --profile FILE [OPTION]... [--] CMD [ARG]...\n"
		"Load a Docker-format seccomp profile (JSON) and run CMD under it.\n\n"
		"  -p, --profile FILE     the profile (Docker's default.json, "
		"docker/profiles/*.json)\n"
		"  -e, --explain SYSCALL  say which rules decide SYSCALL, and why; CMD is "
		"optional\n"
		"  -d, --dump             print the compiled filter (libseccomp's PFC text)\n"
		"      --no-nnp           do not set no_new_privs (needs CAP_SYS_ADMIN)\n"
		"  -v, --verbose          narrate: architectures, skipped rules, each step\n"
		"  -h, --help             this help\n\n"
		"Rules with includes/excludes \"caps\" are kept or dropped by this process's\n"
		"capability bounding set, as Docker does with the container's.\n"
		"Exit: CMD's status (128+N if killed by signal N); 1 if CMD could not be started\n"
		"(execve refused: EPERM); 2 for a usage error or a malformed profile.\n",
		progname);
}

/* A profile refused: "seccomp-run: FILE: WHERE: MSG", with the exit status profile.h gives. */
static _Noreturn void refused(const char *path, const struct profile_error *err)
{
	if (err->status == EXIT_UNSUPPORTED)
		unsupported(NULL, "%s: %s: %s", path, err->where, err->msg);
	fprintf(stderr, "%s: %s: %s: %s\n", progname, path, err->where, err->msg);
	exit(err->status);
}

/* Reads and compiles the profile at PATH; CMD has not started, so any error just exits. */
static scmp_filter_ctx load_profile(const char *path, const char *explain)
{
	struct profile_options opt = {.source = path, .explain = explain, .explain_out = stdout};
	struct profile_error err = {.status = EXIT_USAGE};
	scmp_filter_ctx ctx;
	json_error_t jerr;
	json_t *root;

	/* Docker refuses a key given twice; jansson would keep the last one silently. */
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line < 0)
			snprintf(err.where, sizeof(err.where), "reading");
		else
			snprintf(err.where, sizeof(err.where), "line %d, column %d", jerr.line,
				 jerr.column);
		snprintf(err.msg, sizeof(err.msg), "%s", jerr.text);
		refused(path, &err);
	}
	if (profile_compile(root, &opt, &ctx, &err) < 0)
		refused(path, &err);
	json_decref(root);
	return ctx;
}

/* ---- running CMD under the filter ---------------------------------------------------- */

/* The child reports a failure before CMD started through a shared page, not a pipe: once the
 * filter is loaded, write() may be refused too (deny-all), but a store to memory never is. */
struct report {
	const char *call;
	int err;
};

static pid_t child;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static int run(scmp_filter_ctx ctx, char **cmd, bool nnp)
{
	struct report *rep =
		mmap(NULL, sizeof(*rep), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;

	if (rep == MAP_FAILED)
		die("mmap");
	fflush(NULL);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		/* CMD may be killed by a SIGSYS action: no core file for that. Only the soft limit
		 * goes to 0: CMD may raise it again up to the hard limit, which stays as it was. */
		struct rlimit core;
		if (getrlimit(RLIMIT_CORE, &core) == 0) {
			core.rlim_cur = 0;
			setrlimit(RLIMIT_CORE, &core);
		}
		/* Without no_new_privs the kernel allows a filter only with CAP_SYS_ADMIN: else a
		 * filter could fool a set-uid program it then execs. */
		if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
			*rep = (struct report){"prctl(PR_SET_NO_NEW_PRIVS)", errno};
			_exit(EXIT_FAIL);
		}
		int rc = seccomp_load(ctx);
		if (rc < 0) {
			*rep = (struct report){"seccomp_load", -rc};
			_exit(EXIT_FAIL);
		}
		/* From here every syscall goes through the filter, execve included. */
		execvp(cmd[0], cmd);
		*rep = (struct report){"execve", errno};
		/* If the profile refuses exit_group too, glibc falls back to exit, then crashes: the
		 * parent reads the report above, whatever the status. */
		_exit(127);
	}
	signal(SIGINT, forward);
	signal(SIGTERM, forward);
	signal(SIGHUP, forward);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (rep->call) {
		errno = rep->err;
		if (!strcmp(rep->call, "execve"))
			fprintf(stderr, "%s: execve %s: %s%s\n", progname, cmd[0],
				strerror(rep->err),
				rep->err == EPERM ? " (refused by the profile: CMD never ran)"
						  : "");
		else if (!strcmp(rep->call, "seccomp_load") && rep->err == EACCES)
			fprintf(stderr,
				"%s: seccomp_load: %s (without no_new_privs loading a filter "
				"needs CAP_SYS_ADMIN)\n",
				progname, strerror(rep->err));
		else
			warn_errno(rep->call);
		return EXIT_FAIL;
	}
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		fprintf(stderr, "%s: %s: killed by %s%s\n", progname, cmd[0], sigabbrev_np(sig),
			sig == SIGSYS ? " (a seccomp kill or trap action)" : "");
		return 128 + sig;
	}
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"profile", required_argument, NULL, 'p'},
		{"explain", required_argument, NULL, 'e'},
		{"dump", no_argument, NULL, 'd'},
		{"no-nnp", no_argument, NULL, 'N'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *path = NULL, *explain = NULL;
	bool dump = false, nnp = true;
	scmp_filter_ctx ctx;
	int c;

	prog_init(argv[0]);
	/* '+': options end at CMD, whose own options are its own; ':': bad_option() reports. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:p:e:dvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			path = optarg;
			break;
		case 'e':
			explain = optarg;
			break;
		case 'd':
			dump = true;
			break;
		case 'N':
			nnp = false;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (!path)
		usage_error("--profile FILE is required");
	if (optind == argc && !explain && !dump)
		usage_error("no command to run (or use --explain/--dump)");
	if (explain && seccomp_syscall_resolve_name(explain) == __NR_SCMP_ERROR)
		usage_error("--explain: unknown syscall \"%s\"", explain);

	ctx = load_profile(path, explain);
	if (dump) {
		fflush(stdout);
		int rc = seccomp_export_pfc(ctx, STDOUT_FILENO);
		if (rc < 0) {
			errno = -rc;
			die("seccomp_export_pfc");
		}
	}
	if (optind == argc) {
		seccomp_release(ctx);
		return EXIT_OK;
	}
	say("no_new_privs: %s", nnp ? "set" : "not set (--no-nnp)");
	return run(ctx, argv + optind, nnp);
}
