/* capshow.c - a process's five capability sets, by name, and the file capabilities of a binary.
 *
 * Mechanism: capabilities(7). The kernel keeps five 64-bit sets per thread (effective,
 * permitted, inheritable, ambient, bounding), shown as hex masks in /proc/PID/status; a file's
 * capabilities live in its security.capability attribute (revision 2, or 3 with a root uid).
 * What it does: names the bits of PID's sets (default: itself) with libcap; --diff compares the
 * bounding set with Docker's default 14; --file PATH decodes a binary's attribute.
 * Outcome: exit 0, "effective: 0x000001ffffffffff all" for root ("... none" for a user); --diff
 * adds "docker-extra:"/"docker-missing:"; exit 1 when PID or PATH cannot be read.
 * Needs: nothing (another user's PID is readable too).
 * Read next: capabilities(7), proc(5) (/proc/PID/status), cap_to_name(3), getcap(8).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/securebits.h>

/* Docker's default capability set (moby oci/caps/defaults.go): 14 names. */
static const cap_value_t docker_default[] = {
	CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,	     CAP_FOWNER,
	CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,	     CAP_SETUID,
	CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
	CAP_KILL,    CAP_AUDIT_WRITE,
};

static int last_cap; /* /proc/sys/kernel/cap_last_cap: 40 on 6.x kernels */

/* "chown,dac_override" (libcap's names without "cap_"), "none", or "all" when every cap is set. */
static void print_set(const char *label, uint64_t mask)
{
	uint64_t all = last_cap >= 63 ? ~0ULL : (1ULL << (last_cap + 1)) - 1;
	const char *sep = "";
	char *name;
	int c;

	printf("%-12s 0x%016llx ", label, (unsigned long long)mask);
	if (mask == 0)
		fputs("none", stdout);
	else if ((mask & all) == all)
		fputs("all", stdout);
	for (c = 0; c < 64 && mask && (mask & all) != all; c++) {
		if (!(mask & (1ULL << c)))
			continue;
		name = cap_to_name(c);
		printf("%s%s", sep, name && !strncmp(name, "cap_", 4) ? name + 4 : name);
		cap_free(name);
		sep = ",";
	}
	putchar('\n');
}

/* The value after "KEY:" in /proc/PID/status, copied into OUT. 0 ok, -1 absent. */
static int status_field(const char *status, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);
	const char *p = status;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			p += klen + 1;
			p += strspn(p, " \t");
			snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static uint64_t status_mask(const char *status, const char *key)
{
	char v[64];

	if (status_field(status, key, v, sizeof(v)))
		dief("/proc status has no %s line (kernel too old?)", key);
	return strtoull(v, NULL, 16);
}

/* "uid: real=0 effective=0 saved=0 fs=0 (root)": a uid without a passwd entry says so. */
static void print_ids(const char *status, const char *key, bool user)
{
	char v[128];
	unsigned long r, e, s, f;

	if (status_field(status, key, v, sizeof(v)) ||
	    sscanf(v, "%lu %lu %lu %lu", &r, &e, &s, &f) != 4)
		dief("/proc status: cannot parse %s", key);
	if (user) {
		struct passwd *pw = getpwuid((uid_t)e);
		printf("uid:         real=%lu effective=%lu saved=%lu fs=%lu (%s)\n", r, e, s, f,
		       pw ? pw->pw_name : "no passwd entry");
	} else {
		struct group *gr = getgrgid((gid_t)e);
		printf("gid:         real=%lu effective=%lu saved=%lu fs=%lu (%s)\n", r, e, s, f,
		       gr ? gr->gr_name : "no group entry");
	}
}

/* Securebits are readable only by the process itself (prctl), not through /proc. */
static void print_securebits(void)
{
	static const char *const names[] = {"noroot",
					    "noroot_locked",
					    "no_setuid_fixup",
					    "no_setuid_fixup_locked",
					    "keep_caps",
					    "keep_caps_locked",
					    "no_cap_ambient_raise",
					    "no_cap_ambient_raise_locked"};
	int bits = prctl(PR_GET_SECUREBITS), i;
	const char *sep = " ";

	if (bits < 0)
		die("prctl(PR_GET_SECUREBITS)");
	printf("securebits:  0x%x", bits);
	if (!bits)
		fputs(" none", stdout);
	for (i = 0; i < (int)ARRAY_SIZE(names); i++)
		if (bits & (1 << i)) {
			printf("%s%s", sep, names[i]);
			sep = ",";
		}
	putchar('\n');
}

/* Which of Docker's 14 the bounding set lacks, and what it has beyond them. */
static void print_docker_diff(uint64_t bounding)
{
	uint64_t docker = 0, extra, missing;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(docker_default); i++)
		docker |= 1ULL << docker_default[i];
	extra = bounding & ~docker;
	missing = docker & ~bounding;
	print_set("docker-default:", docker);
	print_set("docker-extra:", extra);
	print_set("docker-missing:", missing);
	printf("docker-diff: %s (bounding set vs Docker's default %zu)\n",
	       extra || missing ? "differs" : "equal", ARRAY_SIZE(docker_default));
}

static int show_process(const char *pid, bool diff)
{
	char path[64], status[8192];
	uint64_t bounding;
	bool self = !strcmp(pid, "self");
	char nnp[16] = "?";

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if (read_file(path, status, sizeof(status)) < 0)
		die(path);
	if (self)
		printf("pid:         %d (capshow itself)\n", getpid());
	else
		printf("pid:         %s\n", pid);
	print_ids(status, "Uid", true);
	print_ids(status, "Gid", false);
	printf("cap_last_cap: %d (%d capabilities known to this kernel)\n", last_cap, last_cap + 1);
	print_set("effective:", status_mask(status, "CapEff"));
	print_set("permitted:", status_mask(status, "CapPrm"));
	print_set("inheritable:", status_mask(status, "CapInh"));
	print_set("ambient:", status_mask(status, "CapAmb"));
	bounding = status_mask(status, "CapBnd");
	print_set("bounding:", bounding);
	if (self)
		print_securebits();
	else
		printf("securebits:  (only the process itself can read them: prctl)\n");
	status_field(status, "NoNewPrivs", nnp, sizeof(nnp));
	printf("no_new_privs: %s\n", nnp);
	if (diff)
		print_docker_diff(bounding);
	return EXIT_OK;
}

/* getfattr's "0s..." form of the raw bytes: base64. */
static void print_base64(const unsigned char *b, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	fputs("0s", stdout);
	for (i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)b[i] << 16 | (i + 1 < n ? (uint32_t)b[i + 1] << 8 : 0) |
			     (i + 2 < n ? b[i + 2] : 0);
		putchar(tab[v >> 18 & 63]);
		putchar(tab[v >> 12 & 63]);
		putchar(i + 1 < n ? tab[v >> 6 & 63] : '=');
		putchar(i + 2 < n ? tab[v & 63] : '=');
	}
}

/* The layout of security.capability (struct vfs_ns_cap_data), little-endian on disk. */
static int show_file(const char *path)
{
	unsigned char raw[XATTR_CAPS_SZ_3];
	struct vfs_ns_cap_data d;
	uint32_t magic, rev;
	uint64_t perm, inh;
	ssize_t n;
	cap_t caps;
	char *text;

	n = getxattr(path, "security.capability", raw, sizeof(raw));
	printf("file:        %s\n", path);
	if (n < 0 && errno == ENODATA) {
		printf("xattr:       none (no file capabilities)\n");
		return EXIT_OK;
	}
	if (n < 0)
		die("getxattr");
	memset(&d, 0, sizeof(d));
	memcpy(&d, raw, (size_t)n < sizeof(d) ? (size_t)n : sizeof(d));
	magic = le32toh(d.magic_etc);
	rev = magic & VFS_CAP_REVISION_MASK;
	perm = le32toh(d.data[0].permitted);
	inh = le32toh(d.data[0].inheritable);
	if (rev != VFS_CAP_REVISION_1) {
		perm |= (uint64_t)le32toh(d.data[1].permitted) << 32;
		inh |= (uint64_t)le32toh(d.data[1].inheritable) << 32;
	}
	printf("xattr:       %zd bytes, security.capability=", n);
	print_base64(raw, (size_t)n);
	printf("\nmagic_etc:   0x%08x\n", magic);
	printf("revision:    %u\n", rev >> 24);
	printf("effective-bit: %d\n", (magic & VFS_CAP_FLAGS_EFFECTIVE) ? 1 : 0);
	print_set("permitted:", perm);
	print_set("inheritable:", inh);
	if (rev == VFS_CAP_REVISION_3)
		printf("rootid:      %u (caps apply in the user namespace whose root is this "
		       "uid)\n",
		       le32toh(d.rootid));
	else
		printf("rootid:      - (revision 2: valid in the initial user namespace)\n");
	caps = cap_get_file(path);
	text = caps ? cap_to_text(caps, NULL) : NULL;
	printf("getcap:      %s %s\n", path, text ? text : "?");
	cap_free(text);
	cap_free(caps);
	return EXIT_OK;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--diff] [PID]\n"
		"  or:  %s --file PATH\n"
		"Show a process's capability sets (default: capshow itself), decoded by name.\n"
		"\n"
		"  -d, --diff       compare the bounding set with Docker's default 14 "
		"capabilities\n"
		"  -f, --file PATH  decode the file's security.capability extended attribute\n"
		"  -h, --help       this text\n",
		progname, progname);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"diff", no_argument, NULL, 'd'},
					     {"file", required_argument, NULL, 'f'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *file = NULL, *pid = "self";
	bool diff = false;
	long v;
	int c;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, ":df:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			diff = true;
			break;
		case 'f':
			file = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (optind < argc) {
		if (parse_long(argv[optind], 1, INT32_MAX, &v))
			usage_error("'%s': a process ID expected", argv[optind]);
		pid = argv[optind++];
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (read_long("/proc/sys/kernel/cap_last_cap", &v))
		die("/proc/sys/kernel/cap_last_cap");
	last_cap = (int)v;
	if (file)
		return show_file(file);
	return show_process(pid, diff);
}
