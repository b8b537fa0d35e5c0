/* sandbox.c - known-wrong: socket(2) gets EPERM, and the process lives on.
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
	/* Default: allow. The one rule: socket fails with EPERM (not what the task asks). */
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		fprintf(stderr, "sandbox: seccomp_init failed\n");
		return 1;
	}
	rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(socket), 0);
	if (rc < 0) {
		fprintf(stderr, "sandbox: seccomp_rule_add socket: %s\n", strerror(-rc));
		return 1;
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
