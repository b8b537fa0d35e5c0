/* strict.c - seccomp strict mode (mode 1): read, write, _exit and sigreturn, nothing else.
 *
 * Mechanism: SECCOMP_MODE_STRICT, entered with prctl(2): any other system call gets SIGKILL.
 * What it does: opens /etc/passwd, prepares stdio so printf needs only write(2), enters strict
 * mode, reads the first line, prints it and calls close(2); --then exit ends with the raw exit(2)
 * system call instead, --then exit_group with exit(3), i.e. exit_group(2); --no-seccomp runs the
 * same steps without strict mode (the control).
 * Outcome: the passwd line, then SIGKILL at close: the shell says "Killed", status 137;
 * --then exit: status 0; --then exit_group: killed (137); --no-seccomp: status 0.
 * Needs: CONFIG_SECCOMP (every distribution kernel); no privilege.
 * Read next: seccomp(2), prctl(2) PR_SET_SECCOMP.
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <fcntl.h>
#include <getopt.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A static stdout buffer: with it, printf never calls malloc (brk/mmap) or fstat, both of
 * which strict mode would punish. Line buffering writes each line at once, so nothing is lost
 * in the buffer when the kernel kills us, even when stdout is a pipe. */
static char outbuf[BUFSIZ];

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-v] [--then close|exit|exit_group] [--no-seccomp]\n"
		"Enter seccomp strict mode, read and print the first line of /etc/passwd, then:\n"
		"  --then close       close(2) the file (default): killed by SIGKILL, status 137\n"
		"  --then exit        raw exit(2) system call: allowed in strict mode, status 0\n"
		"  --then exit_group  exit(3) from the C library, i.e. exit_group(2): killed, 137\n"
		"  -n, --no-seccomp   do the same without strict mode (the control run): status 0\n"
		"  -v, --verbose      narrate each step on stderr\n"
		"  -h, --help         this text\n",
		progname);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"then", required_argument, NULL, 't'},
		{"no-seccomp", no_argument, NULL, 'n'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *then = "close";
	bool no_seccomp = false;
	struct rlimit nocore = {0, 0};
	char line[256];
	ssize_t n;
	char *nl;
	int c, fd;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, ":t:nvh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			then = optarg;
			break;
		case 'n':
			no_seccomp = true;
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
	if (optind != argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (strcmp(then, "close") && strcmp(then, "exit") && strcmp(then, "exit_group"))
		usage_error("--then: '%s' is not close, exit or exit_group", then);

	/* Being killed is the expected outcome: no core file for it. */
	if (setrlimit(RLIMIT_CORE, &nocore) < 0)
		die("setrlimit");
	setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));

	/* Everything that needs open(2) happens before the switch. */
	fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open /etc/passwd");
	printf("open: /etc/passwd is fd %d\n", fd);

	if (no_seccomp) {
		printf("seccomp: not enabled (--no-seccomp, the control run)\n");
	} else {
		say("prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT): from now on only read, write, "
		    "exit and rt_sigreturn");
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) < 0)
			die("prctl PR_SET_SECCOMP");
		/* printf works: the buffer is set up and it only calls write(2) now. */
		printf("seccomp: strict mode on\n");
	}

	say("read(2) from fd %d: allowed, the file was opened before", fd);
	n = read(fd, line, sizeof(line) - 1);
	if (n < 0)
		die("read");
	line[n] = '\0';
	nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	printf("read: %s\n", line);

	if (!strcmp(then, "exit")) {
		say("raw exit(2) system call: strict mode allows it");
		printf("exit: calling the exit system call directly\n");
		/* No stdio flush needed: every line was written when it was printed. */
		syscall(SYS_exit, 0);
	}
	if (!strcmp(then, "exit_group")) {
		say("exit(3) ends in exit_group(2), which strict mode does not allow");
		printf("exit_group: calling exit(3), which ends in exit_group(2)\n");
		exit(EXIT_OK);
	}

	say("close(2): not on strict mode's list, the kernel sends SIGKILL");
	printf("close: calling close(%d)\n", fd);
	if (close(fd) < 0)
		die("close");
	/* Reached only without strict mode. */
	printf("close: ok, still alive\n");
	return EXIT_OK;
}
