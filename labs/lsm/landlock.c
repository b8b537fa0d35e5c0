/* landlock.c - Landlock: an unprivileged process sandboxes itself, then runs a command.
 *
 * Mechanism: Landlock. A process builds a ruleset, sets no_new_privs and calls
 * landlock_restrict_self(); it and every command it runs keep that domain for good.
 * What it does: allows --ro/--rw trees and TCP ports (--bind-port, --connect-port), says what the
 * kernel's ABI cannot restrict (best effort; --strict: exit 77 instead), then runs COMMAND.
 * Outcome: COMMAND's status: `landlock --ro / --rw /tmp/lab -- touch /etc/x` fails with EACCES
 * ("Permission denied"), as bind() on 8001 under --bind-port 8000; 1 on a setup error.
 * Needs: CONFIG_SECURITY_LANDLOCK and "landlock" in the boot's LSM list (5.13+), no root; TCP
 * port rules need ABI 4 (6.7+); exit 77 without Landlock.
 * Read next: landlock(7), landlock_create_ruleset(2), landlock_add_rule(2).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/landlock.h>
#include <linux/types.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The uapi header of an older distribution stops at ABI 2: the later bits are fixed kernel ABI. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif
#define LL_ACCESS_NET_BIND_TCP	  (1ULL << 0) /* ABI 4 */
#define LL_ACCESS_NET_CONNECT_TCP (1ULL << 1) /* ABI 4 */
#define LL_RULE_NET_PORT	  2	      /* ABI 4: enum landlock_rule_type */

/* struct landlock_ruleset_attr as of ABI 6. The kernel takes the size we pass and requires any
 * field it does not know to be zero, so one layout works on every ABI. */
struct ll_ruleset_attr {
	__u64 handled_access_fs;
	__u64 handled_access_net; /* ABI 4 */
	__u64 scoped;		  /* ABI 6 */
};

/* struct landlock_net_port_attr (ABI 4) */
struct ll_net_port_attr {
	__u64 allowed_access;
	__u64 port;
};

/* glibc has no wrappers for the three Landlock system calls. */
static int ll_create_ruleset(const struct ll_ruleset_attr *attr, size_t size, __u32 flags)
{
	return (int)syscall(SYS_landlock_create_ruleset, attr, size, flags);
}

static int ll_add_rule(int ruleset_fd, int type, const void *attr)
{
	return (int)syscall(SYS_landlock_add_rule, ruleset_fd, type, attr, 0);
}

static int ll_restrict_self(int ruleset_fd)
{
	return (int)syscall(SYS_landlock_restrict_self, ruleset_fd, 0);
}

#define FS_READ                                                                                    \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
/* Rights that make sense on a file (not a directory): the kernel rejects the others with EINVAL. */
#define FS_FILE_RIGHTS                                                                             \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |                              \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |                              \
	 LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* The filesystem rights each ABI version knows (ABI 4 and 6 added no filesystem right). */
static __u64 fs_rights_for_abi(int abi)
{
	__u64 rights = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1: bits 0-12 */

	if (abi >= 2)
		rights |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return rights;
}

#define MAX_RULES 64

struct path_rule {
	const char *path;
	bool writable;
};

static struct path_rule paths[MAX_RULES];
static int npaths;
static long bind_ports[MAX_RULES], connect_ports[MAX_RULES];
static int nbind, nconnect;
static bool strict, quiet;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]... -- COMMAND [ARG]...\n"
		"Restrict this process with Landlock (no root needed), then run COMMAND in it.\n\n"
		"  --ro PATH            allow reading and executing beneath PATH\n"
		"  --rw PATH            allow every file operation beneath PATH\n"
		"  --bind-port N        allow bind() on TCP port N; other ports are refused (ABI "
		"4+)\n"
		"  --connect-port N     allow connect() to TCP port N; others are refused (ABI "
		"4+)\n"
		"  --strict             exit 77 if the kernel's ABI cannot enforce every option\n"
		"  -q, --quiet          do not print the summary of what is restricted\n"
		"  -v, --verbose        narrate each system call\n"
		"  -h, --help           show this help\n\n"
		"With any --ro/--rw, every path not named is denied. Without one, files are not\n"
		"restricted. The summary goes to stderr; COMMAND's exit status is ours.\n"
		"Example: %s --ro / --rw /tmp/lab --bind-port 8000 -- apiserver\n",
		progname, progname);
}

static long parse_port(const char *s)
{
	long port;

	if (parse_long(s, 1, 65535, &port) < 0)
		usage_error("'%s' is not a TCP port (1-65535)", s);
	return port;
}

static void parse_args(int argc, char **argv)
{
	enum { OPT_RO = 256, OPT_RW, OPT_BIND, OPT_CONNECT, OPT_STRICT };
	static const struct option opts[] = {
		{"ro", required_argument, NULL, OPT_RO},
		{"rw", required_argument, NULL, OPT_RW},
		{"bind-port", required_argument, NULL, OPT_BIND},
		{"connect-port", required_argument, NULL, OPT_CONNECT},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	/* "+": stop at the first non-option, so COMMAND's own options stay its own. */
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, "+:qvh", opts, NULL)) != -1) {
		if ((npaths == MAX_RULES && (c == OPT_RO || c == OPT_RW)) ||
		    (nbind == MAX_RULES && c == OPT_BIND) ||
		    (nconnect == MAX_RULES && c == OPT_CONNECT))
			usage_error("at most %d rules of each kind", MAX_RULES);
		switch (c) {
		case OPT_RO:
		case OPT_RW:
			paths[npaths].path = optarg;
			paths[npaths++].writable = c == OPT_RW;
			break;
		case OPT_BIND:
			bind_ports[nbind++] = parse_port(optarg);
			break;
		case OPT_CONNECT:
			connect_ports[nconnect++] = parse_port(optarg);
			break;
		case OPT_STRICT:
			strict = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (optind >= argc)
		usage_error("no COMMAND given (put it after --)");
	if (!npaths && !nbind && !nconnect)
		usage_error("nothing to restrict: give --ro/--rw paths or ports");
}

/* The highest ABI version this kernel offers, or exit 77 explaining why there is none. */
static int landlock_abi(void)
{
	int abi = ll_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	if (abi >= 0)
		return abi;
	if (errno == ENOSYS)
		unsupported("use a kernel built with CONFIG_SECURITY_LANDLOCK=y (5.13 or later)",
			    "landlock_create_ruleset: this kernel has no Landlock system calls");
	if (errno == EOPNOTSUPP)
		unsupported(
			"add landlock to the lsm= boot parameter (see /sys/kernel/security/lsm)",
			"Landlock is built in but was not enabled at boot");
	die("landlock_create_ruleset");
}

/* What this ABI leaves unrestricted, for the summary: a sandbox is only as good as its ABI. */
static void print_gaps(int abi)
{
	static const struct {
		int abi;
		const char *what;
	} gaps[] = {
		{2, "renaming/linking across directories (ABI 2 REFER; always denied on ABI 1)"},
		{3, "file truncation (ABI 3)"},
		{4, "TCP bind and connect (ABI 4)"},
		{5, "ioctl on devices (ABI 5)"},
		{6, "abstract unix sockets and signals to outside processes (ABI 6)"},
	};
	bool any = false;

	for (size_t i = 0; i < ARRAY_SIZE(gaps); i++) {
		if (abi >= gaps[i].abi)
			continue;
		fprintf(stderr, "%s%s",
			any ? "; " : "landlock: not restricted by this ABI: ", gaps[i].what);
		any = true;
	}
	if (any)
		fputc('\n', stderr);
}

static void print_ports(const char *what, const long *ports, int n, bool enforced)
{
	fprintf(stderr, "landlock: tcp %s: ", what);
	if (n == 0 || !enforced) {
		fprintf(stderr, "%s\n", n ? "NOT restricted (needs ABI 4)" : "unrestricted");
		return;
	}
	for (int i = 0; i < n; i++)
		fprintf(stderr, "%s%ld", i ? "," : "", ports[i]);
	fprintf(stderr, " only\n");
}

static void add_path_rule(int ruleset_fd, const struct path_rule *r, __u64 handled)
{
	struct landlock_path_beneath_attr pb = {0};
	struct stat st;
	__u64 rights = r->writable ? handled : (FS_READ & handled);

	/* O_PATH: a reference to the tree itself; we need no read permission on it. */
	pb.parent_fd = open(r->path, O_PATH | O_CLOEXEC);
	if (pb.parent_fd < 0)
		dief("open %s: %s", r->path, strerror(errno));
	if (fstat(pb.parent_fd, &st) < 0)
		die("fstat");
	if (!S_ISDIR(st.st_mode))
		rights &= FS_FILE_RIGHTS;
	pb.allowed_access = rights;
	say("landlock_add_rule(PATH_BENEATH, %s, %s)", r->path, r->writable ? "rw" : "ro");
	if (ll_add_rule(ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &pb) < 0)
		dief("landlock_add_rule %s: %s", r->path, strerror(errno));
	close(pb.parent_fd);
}

static void add_port_rule(int ruleset_fd, long port, __u64 access)
{
	struct ll_net_port_attr np = {.allowed_access = access, .port = (__u64)port};

	say("landlock_add_rule(NET_PORT, %ld, %s)", port,
	    access == LL_ACCESS_NET_BIND_TCP ? "bind" : "connect");
	if (ll_add_rule(ruleset_fd, LL_RULE_NET_PORT, &np) < 0)
		dief("landlock_add_rule port %ld: %s", port, strerror(errno));
}

/* Create the ruleset, add one rule per allowed tree and port, and enter it for good. */
static void restrict_self(const struct ll_ruleset_attr *attr, bool net_ok)
{
	int fd;

	say("landlock_create_ruleset(fs=%#llx, net=%#llx)",
	    (unsigned long long)attr->handled_access_fs,
	    (unsigned long long)attr->handled_access_net);
	fd = ll_create_ruleset(attr, sizeof(*attr), 0);
	if (fd < 0)
		die("landlock_create_ruleset");
	for (int i = 0; i < npaths; i++)
		add_path_rule(fd, &paths[i], attr->handled_access_fs);
	for (int i = 0; net_ok && i < nbind; i++)
		add_port_rule(fd, bind_ports[i], LL_ACCESS_NET_BIND_TCP);
	for (int i = 0; net_ok && i < nconnect; i++)
		add_port_rule(fd, connect_ports[i], LL_ACCESS_NET_CONNECT_TCP);

	/* Without no_new_privs an unprivileged process may not restrict itself: a setuid
	 * program run later could otherwise be confused by a sandbox its caller chose. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("prctl(PR_SET_NO_NEW_PRIVS)");
	if (ll_restrict_self(fd) < 0)
		die("landlock_restrict_self");
	close(fd);
}

int main(int argc, char **argv)
{
	struct ll_ruleset_attr attr = {0};
	bool net_ok;
	int abi;

	prog_init(argv[0]);
	parse_args(argc, argv);

	abi = landlock_abi();
	net_ok = abi >= 4;
	if ((nbind || nconnect) && !net_ok && strict)
		unsupported("TCP port rules need Landlock ABI 4 (Linux 6.7 or later)",
			    "Landlock ABI %d cannot restrict TCP ports", abi);

	/* "Handled" rights are denied unless a rule allows them; the rest stay allowed. */
	if (npaths)
		attr.handled_access_fs = fs_rights_for_abi(abi);
	if (net_ok && nbind)
		attr.handled_access_net |= LL_ACCESS_NET_BIND_TCP;
	if (net_ok && nconnect)
		attr.handled_access_net |= LL_ACCESS_NET_CONNECT_TCP;
	if (attr.handled_access_fs || attr.handled_access_net)
		restrict_self(&attr, net_ok);
	else if (!quiet)
		fprintf(stderr,
			"landlock: ruleset: none (this ABI can restrict nothing asked for)\n");

	if (!quiet) {
		fprintf(stderr, "landlock: abi: %d\n", abi);
		fprintf(stderr, "landlock: files: %s\n",
			npaths ? "only the trees below (everything else denied)" : "unrestricted");
		for (int i = 0; i < npaths; i++)
			fprintf(stderr, "landlock:   %s %s\n", paths[i].writable ? "rw" : "ro",
				paths[i].path);
		print_ports("bind", bind_ports, nbind, net_ok);
		print_ports("connect", connect_ports, nconnect, net_ok);
		print_gaps(abi);
	}

	execvp(argv[optind], &argv[optind]);
	fprintf(stderr, "%s: execvp %s: %s\n", progname, argv[optind], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
