/* nnp.c - no_new_privs: after it, execve can no longer raise privilege.
 *
 * Mechanism: prctl(PR_SET_NO_NEW_PRIVS) (Linux 3.5). execve of a setuid-root binary normally
 * makes the effective uid 0, and of a binary with file capabilities adds them; with no_new_privs
 * (inherited, never unset) the kernel ignores both. Docker: --security-opt no-new-privileges.
 * What it does: `nnp [--nnp] -- PROG` execs PROG, with the flag if asked; `nnp --report`, exec'd
 * as PROG (a setuid or file-capability copy of nnp), says what privilege it got.
 * Outcome: PROG's exit status; --report: "nnp: after exec: ... privileged: yes (euid 0)" or
 * "privileged: no".
 * Needs: a non-root caller (-u USER drops root first), PROG on a mount without nosuid.
 * Read next: prctl(2) PR_SET_NO_NEW_PRIVS, execve(2), capabilities(7).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* "KEY:\tVALUE" of /proc/self/status into OUT. */
static void status_value(const char *key, char *out, size_t len)
{
	char status[8192], *p;

	if (read_file("/proc/self/status", status, sizeof(status)) < 0)
		die("/proc/self/status");
	p = strstr(status, key);
	if (!p)
		dief("/proc/self/status: no %s line", key);
	p += strlen(key);
	p += strspn(p, ":\t ");
	snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
}

static void print_state(const char *when, bool judge)
{
	char eff[32], nnp[8];

	status_value("CapEff", eff, sizeof(eff));
	status_value("NoNewPrivs", nnp, sizeof(nnp));
	printf("nnp: %s: uid=%u euid=%u effective=0x%s no_new_privs=%s\n", when, (unsigned)getuid(),
	       (unsigned)geteuid(), eff, nnp);
	if (!judge)
		return;
	if (geteuid() == 0 && getuid() != 0)
		printf("nnp: privileged: yes (euid 0 from the setuid bit)\n");
	else if (strtoull(eff, NULL, 16) != 0 && getuid() != 0)
		printf("nnp: privileged: yes (capabilities 0x%s from the file)\n", eff);
	else
		printf("nnp: privileged: no\n");
}

static void drop_to(const char *spec)
{
	struct passwd *pw = getpwnam(spec);

	if (!pw)
		usage_error("-u %s: no such user", spec);
	require_root("-u switches to another user");
	if (setgroups(1, &pw->pw_gid) || setgid(pw->pw_gid) || setuid(pw->pw_uid))
		die("setgroups/setgid/setuid");
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--nnp] [-u USER] -- PROG [ARG]...\n"
		"  or:  %s --report\n"
		"Exec PROG, with no_new_privs set if asked, and see what PROG gains.\n"
		"\n"
		"  -n, --nnp       set no_new_privs before the exec\n"
		"  -u, --user U    (as root) become user U first: the demo needs a non-root "
		"caller\n"
		"  -r, --report    print this process's uid, euid, effective set and whether it "
		"is\n"
		"                  privileged: run a setuid-root or file-capability copy of nnp "
		"so\n"
		"  -h, --help      this text\n",
		progname, progname);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"nnp", no_argument, NULL, 'n'},
					     {"user", required_argument, NULL, 'u'},
					     {"report", no_argument, NULL, 'r'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *user = NULL;
	bool set_nnp = false;
	int c;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, "+:nu:rh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			set_nnp = true;
			break;
		case 'u':
			user = optarg;
			break;
		case 'r':
			print_state("after exec", true);
			return EXIT_OK;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (optind >= argc)
		usage_error("no program given (nnp [--nnp] -- PROG [ARG]...)");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (user)
		drop_to(user);
	if (getuid() == 0)
		unsupported("run it as an ordinary user, or as root with -u USER",
			    "root gains nothing from a setuid-root binary: nothing to show");

	/* The one call this lab is about. Inherited by children, kept across execve, permanent. */
	if (set_nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("prctl(PR_SET_NO_NEW_PRIVS)");
	print_state("before exec", false);

	execv(argv[optind], argv + optind);
	fprintf(stderr, "%s: execv %s: %s\n", progname, argv[optind], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
