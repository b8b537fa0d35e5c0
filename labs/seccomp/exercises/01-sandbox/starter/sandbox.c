/* sandbox.c - run a command under a seccomp filter that kills socket(2). Your answer.
 *
 * Usage: sandbox CMD [ARG]...  loads the filter, then execs CMD, which keeps it.
 * The task (task.md): `sandbox cat FILE` prints FILE; a program that calls socket(2) under
 * `sandbox` is killed by SIGSYS. Build: cc -std=gnu11 -Wall -Wextra -Werror sandbox.c -lseccomp
 * Read: seccomp_init(3), seccomp_rule_add(3), seccomp_load(3), seccomp(2).
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
	/* A filter whose default action allows every system call. */
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		fprintf(stderr, "sandbox: seccomp_init failed\n");
		return 1;
	}

	/* TODO: a rule for socket(2). */

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
