/* capcalc.c - what execve does to the capability sets, computed by the rules and checked live.
 *
 * Mechanism: the transformation of capabilities(7) at execve (P' from P and the file's F), with
 *   root's rules, no_new_privs and the EPERM of a capability-dumb file (part capcalc-rules.c).
 * What it does: prints each step of the rules for the sets given (default: its own); --verify
 *   (part capcalc-verify.c) runs a table of cases through the kernel: a child becomes the process
 *   and execs a copy of capcalc carrying the file's caps or setuid bit, which reports its sets.
 * Outcome: "after: uid=65534 euid=65534 inh=0x0 prm=0x400 eff=0x400 ..."; --verify prints
 *   "verify: 14/14 cases match", exit 0 (1 on any mismatch).
 * Needs: libcap; --verify: root, and a mount without nosuid for the probes.
 * Read next: capabilities(7), execve(2); capcalc-rules.c (the rules), capcalc-verify.c.
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "capcalc-rules.h"
#include "capcalc-verify.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* "chown,net_bind_service", "none", "all", or a 0x mask. */
static uint64_t parse_caps(const char *arg)
{
	char copy[1024], name[64], *tok, *save = NULL;
	uint64_t m = 0;
	cap_value_t v;
	size_t i;

	if (!strcmp(arg, "") || !strcasecmp(arg, "none"))
		return 0;
	if (!strcasecmp(arg, "all"))
		return all_caps();
	if (!strncmp(arg, "0x", 2))
		return strtoull(arg, NULL, 16) & all_caps();
	snprintf(copy, sizeof(copy), "%s", arg);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		snprintf(name, sizeof(name), "%s%s", strncasecmp(tok, "cap_", 4) ? "cap_" : "",
			 tok);
		for (i = 0; name[i]; i++)
			name[i] = (char)tolower((unsigned char)name[i]);
		if (isdigit((unsigned char)tok[0]) || cap_from_name(name, &v) || v > last_cap)
			usage_error("unknown capability '%s'", tok);
		m |= 1ULL << v;
	}
	return m;
}

/* A real file: its capabilities (libcap) and whether it is setuid root on a suid mount. */
static struct file read_file_caps(const char *path)
{
	struct file f = {0};
	struct statvfs vfs;
	struct stat st;
	cap_flag_value_t v;
	cap_t caps;
	int c;

	if (stat(path, &st) || statvfs(path, &vfs))
		die(path);
	if (vfs.f_flag & ST_NOSUID) {
		printf("note: %s is on a nosuid mount: the kernel ignores its setuid bit and file "
		       "capabilities\n",
		       path);
		return f;
	}
	f.suid_root = (st.st_mode & S_ISUID) && st.st_uid == 0;
	caps = cap_get_file(path);
	if (!caps)
		return f;
	for (c = 0; c <= last_cap; c++) {
		cap_get_flag(caps, c, CAP_PERMITTED, &v);
		f.fp |= v ? 1ULL << c : 0;
		cap_get_flag(caps, c, CAP_INHERITABLE, &v);
		f.fi |= v ? 1ULL << c : 0;
		cap_get_flag(caps, c, CAP_EFFECTIVE, &v);
		f.fe |= v == CAP_SET;
	}
	cap_free(caps);
	return f;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [PROCESS] [FILE] [--nnp]   compute the sets after execve, step by step\n"
		"       %s --verify [-u USER]          run a table of cases for real and compare\n"
		"\n"
		"PROCESS (default: capcalc's own state):\n"
		"  --uid N                 real and effective uid\n"
		"  --as-user USER          an ordinary USER: that uid, empty sets\n"
		"  --pi/--pp/--pe/--pb/--pa CAPS  inheritable, permitted, effective, bounding,\n"
		"                          ambient: chown,net_raw | none | all | 0xMASK\n"
		"  --nnp                   no_new_privs is set\n"
		"FILE (default: a plain file):\n"
		"  --file PATH             a real file: its capabilities and setuid-root bit\n"
		"  --fp/--fi CAPS, --fe    file permitted, inheritable, effective bit\n"
		"  --setuid-root           the file is setuid and owned by root\n"
		"Other:\n"
		"  -u, --user USER         --verify's unprivileged user (default cseclab, nobody)\n"
		"  -v, --verbose           narrate\n"
		"  -h, --help              this text\n",
		progname, progname);
}

int main(int argc, char **argv)
{
	enum {
		O_PI = 256,
		O_PP,
		O_PE,
		O_PB,
		O_PA,
		O_FP,
		O_FI,
		O_FE,
		O_SUID,
		O_UID,
		O_AS,
		O_NNP,
		O_FILE,
		O_VERIFY,
		O_REPORT
	};
	static const struct option opts[] = {{"pi", required_argument, NULL, O_PI},
					     {"pp", required_argument, NULL, O_PP},
					     {"pe", required_argument, NULL, O_PE},
					     {"pb", required_argument, NULL, O_PB},
					     {"pa", required_argument, NULL, O_PA},
					     {"fp", required_argument, NULL, O_FP},
					     {"fi", required_argument, NULL, O_FI},
					     {"fe", no_argument, NULL, O_FE},
					     {"setuid-root", no_argument, NULL, O_SUID},
					     {"uid", required_argument, NULL, O_UID},
					     {"as-user", required_argument, NULL, O_AS},
					     {"nnp", no_argument, NULL, O_NNP},
					     {"file", required_argument, NULL, O_FILE},
					     {"verify", no_argument, NULL, O_VERIFY},
					     {"report", no_argument, NULL, O_REPORT},
					     {"user", required_argument, NULL, 'u'},
					     {"verbose", no_argument, NULL, 'v'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct proc p;
	struct file f = {0};
	struct passwd *pw;
	struct result r;
	const char *vuser = NULL;
	bool do_verify = false;
	long v;
	int c;

	prog_init(argv[0]);
	if (read_long("/proc/sys/kernel/cap_last_cap", &v))
		die("/proc/sys/kernel/cap_last_cap");
	last_cap = (int)v;
	p = read_self();
	opterr = 0; /* ':' and bad_option(): the suite's one message for a bad option */
	while ((c = getopt_long(argc, argv, ":u:vh", opts, NULL)) != -1) {
		switch (c) {
		case O_PI:
			p.inh = parse_caps(optarg);
			break;
		case O_PP:
			p.prm = parse_caps(optarg);
			break;
		case O_PE:
			p.eff = parse_caps(optarg);
			break;
		case O_PB:
			p.bnd = parse_caps(optarg);
			break;
		case O_PA:
			p.amb = parse_caps(optarg);
			break;
		case O_FP:
			f.fp = parse_caps(optarg);
			break;
		case O_FI:
			f.fi = parse_caps(optarg);
			break;
		case O_FE:
			f.fe = true;
			break;
		case O_SUID:
			f.suid_root = true;
			break;
		case O_NNP:
			p.nnp = true;
			break;
		case O_FILE:
			f = read_file_caps(optarg);
			break;
		case O_VERIFY:
			do_verify = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'u':
			vuser = optarg;
			break;
		case O_UID:
			if (parse_long(optarg, 0, INT32_MAX, &v))
				usage_error("--uid %s: a number expected", optarg);
			p.uid = p.euid = (uid_t)v;
			break;
		case O_AS:
			if (!(pw = getpwnam(optarg)))
				usage_error("--as-user %s: no such user", optarg);
			p.uid = p.euid = pw->pw_uid;
			p.inh = p.prm = p.eff = p.amb = 0;
			break;
		case O_REPORT:
			p.uid = getuid();
			p.euid = geteuid();
			print_proc("report", &p);
			/* _exit: a setuid probe is not dumpable, and LeakSanitizer's exit-time
			 * check (make sanitize) cannot inspect such a process. */
			fflush(stdout);
			_exit(EXIT_OK);
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (p.amb & ~(p.prm & p.inh))
		usage_error("an ambient capability must also be permitted and inheritable");
	if (do_verify) {
		if (!vuser)
			vuser = getpwnam("cseclab") ? "cseclab" : "nobody";
		if (!(pw = getpwnam(vuser)))
			usage_error("-u %s: no such user", vuser);
		return verify(pw->pw_uid);
	}
	print_proc("before", &p);
	printf("file: F(permitted)=0x%llx F(inheritable)=0x%llx F(effective)=%d setuid-root=%s\n",
	       (unsigned long long)f.fp, (unsigned long long)f.fi, f.fe,
	       f.suid_root ? "yes" : "no");
	steps = true;
	r = compute(&p, &f);
	if (r.exec_errno)
		printf("after: execve fails: %s\n", strerror(r.exec_errno));
	else
		print_proc("after", &r.p);
	return EXIT_OK;
}
