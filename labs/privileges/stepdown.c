/* stepdown.c - an entrypoint's step-down from root to a user, as gosu and su-exec do it.
 *
 * Mechanism: credentials(7) and capabilities(7). setuid from 0 to a non-zero uid clears the
 * permitted, effective and ambient sets: the step is one-way.
 * What it does: does its privileged setup as root, then calls setgroups, setgid and setuid in
 * that order (each later call would lose the right to make the earlier ones), shows setuid(0)
 * failing, and execs CMD in the same process (same PID: a container's PID 1 stays PID 1).
 * Outcome: "stepdown: setuid(0): Operation not permitted (one-way)", then CMD runs with
 * "uid=500 ... effective=0x0000000000000000"; exit: CMD's, 1 if a step fails.
 * Needs: root (exit 77 without it).
 * Read next: setuid(2), capabilities(7), credentials(7).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* The CapPrm and CapEff lines of /proc/self/status, as the kernel sees us now. */
static void print_state(const char *when)
{
	char status[8192], *prm, *eff;

	if (read_file("/proc/self/status", status, sizeof(status)) < 0)
		die("/proc/self/status");
	prm = strstr(status, "CapPrm:");
	eff = strstr(status, "CapEff:");
	if (!prm || !eff)
		dief("/proc/self/status: no CapPrm/CapEff lines");
	printf("stepdown: %s: uid=%u euid=%u gid=%u permitted=0x%.16s effective=0x%.16s\n", when,
	       (unsigned)getuid(), (unsigned)geteuid(), (unsigned)getgid(),
	       prm + strlen("CapPrm:\t"), eff + strlen("CapEff:\t"));
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s -u USER[:GROUP] [--chown DIR] -- CMD [ARG]...\n"
		"Do the privileged setup as root, drop to USER for good, exec CMD (same PID).\n"
		"\n"
		"  -u, --user U[:G]  the user (name or number; a number needs no passwd entry)\n"
		"  -c, --chown DIR   privileged setup: give DIR to the user first (an "
		"entrypoint's\n"
		"                    typical `chown -R app /data`)\n"
		"  -h, --help        this text\n",
		progname);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"user", required_argument, NULL, 'u'},
					     {"chown", required_argument, NULL, 'c'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *user = NULL, *dir = NULL;
	uid_t uid = 0;
	gid_t gid = 0;
	int c;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, "+:u:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			user = optarg;
			parse_user(user, 1, true, &uid, &gid);
			break;
		case 'c':
			dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (!user)
		usage_error("-u USER is required");
	if (optind >= argc)
		usage_error("no command given (stepdown -u USER -- CMD [ARG]...)");
	require_root("the step-down starts from root, as a container entrypoint does");
	setvbuf(stdout, NULL, _IOLBF, 0);

	print_state("as root");
	/* The privileged setup: only root may give a directory away. */
	if (dir) {
		if (chown(dir, uid, gid))
			die("chown");
		printf("stepdown: setup: chown %s to %u:%u\n", dir, (unsigned)uid, (unsigned)gid);
	}

	/* The order matters: after setuid we could no longer change groups or gid. */
	if (setgroups(1, &gid))
		die("setgroups");
	if (setgid(gid))
		die("setgid");
	if (setuid(uid)) /* real, effective and saved uid: nothing left to switch back to */
		die("setuid");
	print_state("after setuid");

	/* Prove the step is one-way before handing over. */
	if (setuid(0) == 0)
		dief("setuid(0) succeeded after the step-down: the drop did not take");
	printf("stepdown: setuid(0): %s (one-way)\n", strerror(errno));
	printf("stepdown: exec %s as pid %d (same process, no fork)\n", argv[optind], getpid());

	execvp(argv[optind], argv + optind);
	fprintf(stderr, "%s: execvp %s: %s\n", progname, argv[optind], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
