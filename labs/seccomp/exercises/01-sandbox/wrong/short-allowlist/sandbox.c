/* sandbox.c - known-wrong: an allow-list too short for cat, which dies of SIGSYS.
 *
 * Usage: sandbox CMD [ARG]...  loads the filter, then execs CMD, which keeps it (and so do its
 * children). Everything is allowed but socket(2), whose call kills the process with SIGSYS.
 * libseccomp sets no_new_privs before loading (SCMP_FLTATR_CTL_NNP, on by default), which is
 * what lets an unprivileged process load a filter at all.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: sandbox CMD [ARG]...\n");
		return 2;
	}
	/* Default: kill. Allowed: what cat seems to need (it needs more: mmap, fstat, brk...). */
	static const char *const allowed[] = {"execve", "read",	 "write",
					      "openat", "close", "exit_group"};

	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx) {
		fprintf(stderr, "sandbox: seccomp_init failed\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name(allowed[i]),
				      0);
		if (rc < 0) {
			fprintf(stderr, "sandbox: seccomp_rule_add %s: %s\n", allowed[i],
				strerror(-rc));
			return 1;
		}
	}
	rc = seccomp_load(ctx);
	if (rc < 0) {
		fprintf(stderr, "sandbox: seccomp_load: %s\n", strerror(-rc));
		return 1;
	}
	seccomp_release(ctx);
	execvp(argv[1], argv + 1);
	fprintf(stderr, "sandbox: execvp %s: %s\n", argv[1], strerror(errno));
	return 127;
}
