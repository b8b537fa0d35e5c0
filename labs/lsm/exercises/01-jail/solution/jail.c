/* jail.c - run a command that may read (and run) /usr, /lib and DIR, and nothing more: a
 * reference answer.
 *
 * Usage: jail DIR CMD [ARG]...  restricts itself with Landlock, then execs CMD, which keeps the
 * restriction (so do its children). Best effort: the ruleset handles every file right this
 * kernel's Landlock ABI knows, and the jail says on stderr what this ABI cannot restrict.
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

#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif

/* Reading a tree: list its folders, read and execute its files. */
#define READ_RIGHTS                                                                                \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)

/* Every file right the kernel's ABI knows: ABI 1 has bits 0-12, later ones add a bit each. */
static __u64 rights_of_abi(int abi)
{
	__u64 rights = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;

	if (abi >= 2)
		rights |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
	else
		fprintf(stderr, "jail: Landlock ABI %d cannot restrict truncate(2)\n", abi);
	if (abi >= 5)
		rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	else
		fprintf(stderr, "jail: Landlock ABI %d cannot restrict ioctl(2) on devices\n", abi);
	return rights;
}

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
	const char *trees[] = {"/usr", "/lib", "/lib64", argv[1]};
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
	/* Handled rights are denied unless a rule allows them: handle them all. */
	attr.handled_access_fs = rights_of_abi(abi);
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (ruleset < 0) {
		fprintf(stderr, "jail: landlock_create_ruleset: %s\n", strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++)
		if (allow_read(ruleset, trees[i], attr.handled_access_fs) < 0) {
			fprintf(stderr, "jail: %s: %s\n", trees[i], strerror(errno));
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
