/* jail.c - run a command that may read (and run) /usr, /lib and DIR, and nothing more. Your
 * answer (task.md).
 *
 * Usage: jail DIR CMD [ARG]...  restricts itself with Landlock, then execs CMD, which keeps the
 * restriction (so do its children). Build: cc -std=gnu11 -Wall -Wextra -Werror jail.c
 * Read: landlock(7), landlock_create_ruleset(2), landlock_add_rule(2), landlock_restrict_self(2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Reading a tree: list its folders, read and execute its files. */
#define READ_RIGHTS                                                                                \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)

/* Allow reading beneath PATH; a PATH this machine lacks (/lib64 on some) is skipped. */
static int allow_read(int ruleset, const char *path, __u64 handled)
{
	struct landlock_path_beneath_attr rule = {.allowed_access = READ_RIGHTS & handled};

	rule.parent_fd = open(path, O_PATH | O_CLOEXEC);
	if (rule.parent_fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) < 0) {
		fprintf(stderr, "jail: landlock_add_rule %s: %s\n", path, strerror(errno));
		close(rule.parent_fd);
		return -1;
	}
	close(rule.parent_fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct landlock_ruleset_attr attr = {0};
	int abi, ruleset;

	if (argc < 3) {
		fprintf(stderr, "usage: jail DIR CMD [ARG]...\n");
		return 2;
	}
	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0) {
		fprintf(stderr, "jail: no Landlock in this kernel: %s\n", strerror(errno));
		return 1;
	}
	fprintf(stderr, "jail: Landlock ABI %d\n", abi);

	/* TODO: the rights the ruleset handles (each is denied unless a rule allows it). */
	attr.handled_access_fs = 0;
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (ruleset < 0) {
		fprintf(stderr, "jail: landlock_create_ruleset: %s\n", strerror(errno));
		return 1;
	}
	/* TODO: /usr, /lib and /lib64 too. */
	if (allow_read(ruleset, argv[1], attr.handled_access_fs) < 0) {
		fprintf(stderr, "jail: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* An unprivileged process may restrict itself only with no_new_privs set. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, ruleset, 0) < 0) {
		fprintf(stderr, "jail: restrict: %s\n", strerror(errno));
		return 1;
	}
	close(ruleset);
	execvp(argv[2], argv + 2);
	fprintf(stderr, "jail: execvp %s: %s\n", argv[2], strerror(errno));
	return 127;
}
