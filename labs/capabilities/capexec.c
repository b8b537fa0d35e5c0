/* capexec.c - run a command with the capabilities and user Docker would give it.
 *
 * Mechanism: capabilities(7). Docker's rule gives a set S: the default 14 capabilities minus
 * --drop plus --add (as `docker run --cap-drop/--cap-add`; --add ALL: all but those dropped).
 * What it does: drops all but S from the bounding set (PR_CAPBSET_DROP), switches to -u USER
 * (setgroups, setgid, setuid, with PR_SET_KEEPCAPS), sets effective = permitted = S (capset);
 * --ambient raises S as ambient (for a non-root user the only way S survives execve of an
 * ordinary binary); --nnp sets no_new_privs. Then it execs CMD.
 * Outcome: CMD's status; `capexec --drop CHOWN -- chown nobody F`: "Operation not permitted".
 * Needs: root (CAP_SETPCAP, CAP_SETUID, CAP_SETGID).
 * Read next: capabilities(7), prctl(2).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Docker's default capability set (moby oci/caps/defaults.go): 14 names. */
static const cap_value_t docker_default[] = {
	CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,	     CAP_FOWNER,
	CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,	     CAP_SETUID,
	CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
	CAP_KILL,    CAP_AUDIT_WRITE,
};

static int last_cap;

static uint64_t all_caps(void)
{
	return last_cap >= 63 ? ~0ULL : (1ULL << (last_cap + 1)) - 1;
}

/* "CHOWN", "chown", "CAP_CHOWN" -> a mask, "ALL" -> 0 and *all set; an unknown name is a
 * usage error. */
static uint64_t parse_cap(const char *arg, bool *all)
{
	char name[64];
	cap_value_t v;
	size_t i;

	if (!strcasecmp(arg, "ALL")) {
		*all = true;
		return 0;
	}
	snprintf(name, sizeof(name), "%s%s", strncasecmp(arg, "cap_", 4) ? "cap_" : "", arg);
	for (i = 0; name[i]; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	if (cap_from_name(name, &v) || v < 0 || v > last_cap || isdigit((unsigned char)arg[0]))
		usage_error("unknown capability '%s' (names as in capabilities(7), without CAP_: "
			    "CHOWN, NET_BIND_SERVICE, ... or ALL)",
			    arg);
	return 1ULL << v;
}

static void print_caps(const char *label, uint64_t mask)
{
	const char *sep = "";
	char *name;
	int c;

	fprintf(stderr, "%s: %s: ", progname, label);
	if (!mask)
		fputs("none", stderr);
	for (c = 0; c <= last_cap; c++) {
		if (!(mask & (1ULL << c)))
			continue;
		name = cap_to_name(c);
		fprintf(stderr, "%s%s", sep, name + 4);
		cap_free(name);
		sep = ",";
	}
	fputc('\n', stderr);
}

/* capset through libcap: effective and permitted = S, inheritable = S or nothing. */
static void set_caps(uint64_t s, bool inheritable)
{
	cap_t caps = cap_init(); /* all three sets empty */
	cap_value_t c;

	if (!caps)
		die("cap_init");
	for (c = 0; c <= last_cap; c++) {
		if (!(s & (1ULL << c)))
			continue;
		cap_set_flag(caps, CAP_EFFECTIVE, 1, &c, CAP_SET);
		cap_set_flag(caps, CAP_PERMITTED, 1, &c, CAP_SET);
		if (inheritable)
			cap_set_flag(caps, CAP_INHERITABLE, 1, &c, CAP_SET);
	}
	if (cap_set_proc(caps)) {
		if (errno == EPERM)
			dief("capset: Operation not permitted (--add of a capability this process "
			     "does not hold itself? see capshow)");
		die("capset");
	}
	cap_free(caps);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]... -- CMD [ARG]...\n"
		"Run CMD with the capabilities `docker run --cap-drop/--cap-add -u` would give "
		"it.\n"
		"\n"
		"  -d, --drop CAP   remove CAP (e.g. CHOWN, NET_BIND_SERVICE, ALL) from Docker's "
		"14\n"
		"  -a, --add CAP    add CAP (applied after the drops, as Docker does); ALL: every\n"
		"                   capability in our bounding set except the --drop names\n"
		"  -u, --user U[:G] run as user U (name or number) and group G\n"
		"      --ambient    raise the set as ambient capabilities (Docker does not)\n"
		"      --nnp        set no_new_privs (docker --security-opt no-new-privileges)\n"
		"  -v, --verbose    print the sets and user before exec\n"
		"  -h, --help       this text\n"
		"\n"
		"Exit status: CMD's; 1 when capexec itself fails, 2 on usage, 77 without root.\n",
		progname);
}

int main(int argc, char **argv)
{
	enum { OPT_AMBIENT = 256, OPT_NNP };
	static const struct option opts[] = {
		{"drop", required_argument, NULL, 'd'}, {"add", required_argument, NULL, 'a'},
		{"user", required_argument, NULL, 'u'}, {"ambient", no_argument, NULL, OPT_AMBIENT},
		{"nnp", no_argument, NULL, OPT_NNP},	{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},	{NULL, 0, NULL, 0}};
	uint64_t drops = 0, adds = 0, bounding = 0, s = 0;
	bool ambient = false, nnp = false, add_all = false, drop_all = false;
	const char *user = NULL;
	uid_t uid = 0;
	gid_t gid = 0;
	long v;
	int c;
	size_t i;

	prog_init(argv[0]);
	if (read_long("/proc/sys/kernel/cap_last_cap", &v))
		die("/proc/sys/kernel/cap_last_cap");
	last_cap = (int)v;
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, "+:d:a:u:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			drops |= parse_cap(optarg, &drop_all);
			break;
		case 'a':
			adds |= parse_cap(optarg, &add_all);
			break;
		case 'u':
			user = optarg;
			parse_user(user, 0, false, &uid, &gid);
			break;
		case OPT_AMBIENT:
			ambient = true;
			break;
		case OPT_NNP:
			nnp = true;
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
	if (optind >= argc)
		usage_error("no command given (capexec [OPTION]... -- CMD [ARG]...)");
	require_root("to change the bounding set, the capability sets and the user");

	/* Docker's rule (moby's TweakCapabilities), in its order: --add ALL gives every
	 * capability but the ones dropped by name; --drop ALL leaves only the adds; otherwise the
	 * 14 defaults minus the drops, plus the adds. "Every capability" can only mean every one
	 * this process still has in its bounding set: capset cannot raise one above it, which
	 * matters as root in a container whose bounding set is already reduced. */
	for (c = 0; c <= last_cap; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			bounding |= 1ULL << c;
	if (add_all) {
		s = bounding & ~drops;
	} else {
		if (!drop_all)
			for (i = 0; i < ARRAY_SIZE(docker_default); i++)
				s |= 1ULL << docker_default[i];
		s = (s & ~drops) | adds;
	}
	if (verbose && add_all && (all_caps() & ~bounding))
		print_caps("ALL leaves out, not in our bounding set", all_caps() & ~bounding);

	/* 1. Bounding set: the ceiling no later exec can exceed. Needs CAP_SETPCAP. */
	for (c = 0; c <= last_cap; c++)
		if (!(s & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0))
			die("prctl(PR_CAPBSET_DROP)");

	/* 2. The user: groups first, then gid, then uid, while we still may (as gosu does).
	 * Without KEEPCAPS, setuid away from 0 would clear the permitted set right here. */
	if (user) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
			die("prctl(PR_SET_KEEPCAPS)");
		if (setgroups(1, &gid))
			die("setgroups");
		if (setgid(gid))
			die("setgid");
		if (setuid(uid))
			die("setuid");
	}

	/* 3. Effective and permitted = S. Inheritable only for --ambient: Docker has left it
	 * empty since CVE-2022-24769. */
	set_caps(s, ambient);

	/* 4. Ambient: kept across execve of a file without capabilities, even for non-root. */
	if (ambient)
		for (c = 0; c <= last_cap; c++)
			if ((s & (1ULL << c)) &&
			    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0))
				die("prctl(PR_CAP_AMBIENT_RAISE)");

	/* 5. no_new_privs: execve can no longer add privilege (setuid bits, file caps). */
	if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("prctl(PR_SET_NO_NEW_PRIVS)");

	if (verbose) {
		fprintf(stderr, "%s: user: uid=%u gid=%u\n", progname, (unsigned)getuid(),
			(unsigned)getgid());
		print_caps("bounding, permitted, effective", s);
		print_caps("ambient", ambient ? s : 0);
		fprintf(stderr, "%s: no_new_privs: %d\n", progname, nnp);
	}
	execvp(argv[optind], argv + optind);
	fprintf(stderr, "%s: execvp %s: %s\n", progname, argv[optind], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
