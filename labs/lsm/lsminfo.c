/* lsminfo.c - Linux Security Modules: which are active, in which order, and what confines us.
 *
 * Mechanism: LSMs. The kernel lists its active modules in /sys/kernel/security/lsm and, from
 * Linux 6.8, through lsm_list_modules(2); /proc/PID/attr holds a process's labels.
 * What it does: prints the LSM list and its source, a process's confinement (AppArmor label and
 * mode, SELinux context), AppArmor's profiles, SELinux's mode, Landlock's ABI and what it can
 * restrict; for each absent module, why (not built in, or built in but not enabled at boot).
 * Outcome: exit 0 and stable lines such as "lsm list: capability,landlock,lockdown,bpf" and
 * "lsm source: lsm_list_modules(2)".
 * Needs: nothing; root sees AppArmor's profiles (it mounts securityfs privately if nobody did).
 * Read next: Documentation/admin-guide/LSM/index.rst, lsm_list_modules(2), apparmor(7).
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "kconfig.h"
#include "lsmlist.h" /* part: labs/lsm/lsmlist.c, the LSM list (doctor reads it too) */

#include <errno.h>
#include <getopt.h>
#include <linux/landlock.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SECURITYFS "/sys/kernel/security"

static pid_t target_pid;
static bool show_profiles;
static enum { SRC_AUTO, SRC_SECURITYFS, SRC_SYSCALL } source = SRC_AUTO;
static char lsm_list[512];

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]...\n"
		"Show the active Linux Security Modules and how a process is confined.\n\n"
		"  -p, --pid PID        show PID's confinement instead of our own\n"
		"      --profiles       list every loaded AppArmor profile with its mode\n"
		"      --source=WHERE   read the LSM list only from 'securityfs' or 'syscall'\n"
		"                       (lsm_list_modules(2)); default: securityfs, then syscall\n"
		"  -h, --help           show this help\n\n"
		"Output lines are 'key: value'. Exit 0, or 1 when --source cannot be read.\n",
		progname);
}

static void parse_args(int argc, char **argv)
{
	enum { OPT_PROFILES = 256, OPT_SOURCE };
	static const struct option opts[] = {
		{"pid", required_argument, NULL, 'p'},
		{"profiles", no_argument, NULL, OPT_PROFILES},
		{"source", required_argument, NULL, OPT_SOURCE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long pid;
	int c;

	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, ":p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_long(optarg, 1, INT32_MAX, &pid) < 0)
				usage_error("'%s' is not a process id", optarg);
			target_pid = (pid_t)pid;
			break;
		case OPT_PROFILES:
			show_profiles = true;
			break;
		case OPT_SOURCE:
			if (strcmp(optarg, "securityfs") == 0)
				source = SRC_SECURITYFS;
			else if (strcmp(optarg, "syscall") == 0)
				source = SRC_SYSCALL;
			else
				usage_error("--source is 'securityfs' or 'syscall', not '%s'",
					    optarg);
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
}

/* Strip the trailing newline the kernel puts after most attribute values. */
static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\0'))
		s[--n] = '\0';
}

static bool has_lsm(const char *name)
{
	size_t n = strlen(name);

	for (const char *p = lsm_list; (p = strstr(p, name)); p += n)
		if ((p == lsm_list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* As root, mount securityfs where nobody else sees it: a private copy of the mount table. */
static bool mount_securityfs_privately(void)
{
	if (geteuid() != 0 || access(SECURITYFS "/lsm", F_OK) == 0)
		return false;
	if (unshare(CLONE_NEWNS) < 0)
		return false;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return false;
	return mount("securityfs", SECURITYFS, "securityfs", 0, NULL) == 0;
}

static void print_lsm_list(void)
{
	bool ok = false;
	int err = 0;

	if (source != SRC_SYSCALL) {
		ok = lsm_list_securityfs(lsm_list, sizeof(lsm_list)) == 0;
		if (ok)
			printf("lsm source: " SECURITYFS "/lsm\n");
	}
	if (!ok && source != SRC_SECURITYFS) {
		ok = lsm_list_syscall(lsm_list, sizeof(lsm_list)) == 0;
		err = errno;
		if (ok)
			printf("lsm source: lsm_list_modules(2) (securityfs is not mounted)\n");
	}
	if (!ok && source == SRC_AUTO && mount_securityfs_privately()) {
		ok = lsm_list_securityfs(lsm_list, sizeof(lsm_list)) == 0;
		if (ok)
			printf("lsm source: " SECURITYFS
			       "/lsm (mounted by us in a private mount namespace)\n");
	}
	if (!ok && source == SRC_SECURITYFS)
		dief("cannot read " SECURITYFS
		     "/lsm: %s (mount -t securityfs securityfs " SECURITYFS ")",
		     strerror(errno));
	if (!ok && source == SRC_SYSCALL)
		dief("lsm_list_modules: %s%s", strerror(err),
		     err == ENOSYS ? " (the system call is new in Linux 6.8)" : "");
	if (!ok) {
		printf("lsm list: unknown (securityfs not mounted; lsm_list_modules(2) needs 6.8;"
		       " as root: mount -t securityfs securityfs " SECURITYFS ")\n");
		return;
	}
	printf("lsm list: %s\n", lsm_list);
}

/* Why a module is absent: not compiled in, or compiled in but not chosen at boot. */
static const char *why_absent(const char *config)
{
	static char why[256];
	const char *value = kconfig(config);

	if (strcmp(value, "unknown") == 0)
		snprintf(why, sizeof(why),
			 "not in the list (no kernel configuration in /boot or /proc/config.gz "
			 "tells whether %s is built in)",
			 config);
	else if (strcmp(value, "n") != 0)
		snprintf(why, sizeof(why),
			 "built in (%s=%s, from %s) but not enabled at boot: see lsm= and "
			 "security= in /proc/cmdline",
			 config, value, kconfig_source());
	else
		snprintf(why, sizeof(why), "not built into this kernel (%s is not set)", config);
	return why;
}

/* One attribute of /proc/PID/attr; false when no module provides it (EINVAL, ENOENT). */
static bool read_attr(const char *name, char *buf, size_t len)
{
	char path[96];

	if (target_pid)
		snprintf(path, sizeof(path), "/proc/%d/attr/%s", (int)target_pid, name);
	else
		snprintf(path, sizeof(path), "/proc/self/attr/%s", name);
	if (read_file(path, buf, len) < 0)
		return false;
	chomp(buf);
	return buf[0] != '\0';
}

static void print_confinement(void)
{
	char buf[512];
	const char *who = target_pid ? "process" : "self";

	if (target_pid)
		printf("process: %d\n", (int)target_pid);
	/* attr/current belongs to the first "major" LSM (SELinux, AppArmor, Smack); since 5.8
	 * AppArmor also has its own attr/apparmor/current, which stays valid when stacked. */
	if (read_attr("current", buf, sizeof(buf)))
		printf("%s attr/current: %s\n", who, buf);
	else
		printf("%s attr/current: none (%s: no major LSM labels processes)\n", who,
		       strerror(errno));
	if (read_attr("apparmor/current", buf, sizeof(buf)))
		printf("%s apparmor label: %s\n", who, buf);
}

static void print_apparmor(void)
{
	char buf[8];
	FILE *f;

	/* The module parameter exists whenever AppArmor is built in, securityfs or not. */
	if (read_file("/sys/module/apparmor/parameters/enabled", buf, sizeof(buf)) < 0) {
		printf("apparmor: absent: not built into this kernel (no /sys/module/apparmor)\n");
		return;
	}
	/* The LSM framework clears it when AppArmor is built in but not chosen at boot. */
	if (buf[0] != 'Y') {
		printf("apparmor: absent: %s\n", why_absent("CONFIG_SECURITY_APPARMOR"));
		return;
	}
	printf("apparmor: enabled\n");
	f = fopen(SECURITYFS "/apparmor/profiles", "re");
	if (!f) {
		printf("apparmor profiles: unknown (%s: %s)\n", SECURITYFS "/apparmor/profiles",
		       strerror(errno));
		return;
	}
	char line[512];
	int enforce = 0, complain = 0, other = 0;

	/* One line per profile: "name (mode)". */
	while (fgets(line, sizeof(line), f)) {
		chomp(line);
		if (strstr(line, " (enforce)"))
			enforce++;
		else if (strstr(line, " (complain)"))
			complain++;
		else
			other++;
		if (show_profiles)
			printf("apparmor profile: %s\n", line);
	}
	fclose(f);
	printf("apparmor profiles: %d enforce, %d complain, %d other\n", enforce, complain, other);
}

/* What sestatus shows: the mode, whether a policy is loaded and how it treats what it does not
 * define, and the newest policy format this kernel reads. Before the first policy load every
 * task's context reads "kernel" and SELinux allows everything. */
static void print_selinux(void)
{
	long enforce, vers, mls, deny, reject;
	char ctx[256];

	if (lsm_list[0] && !has_lsm("selinux")) {
		printf("selinux: absent: %s\n", why_absent("CONFIG_SECURITY_SELINUX"));
		return;
	}
	if (read_long("/sys/fs/selinux/enforce", &enforce) < 0) {
		printf("selinux: enabled, selinuxfs not mounted at /sys/fs/selinux (%s)\n",
		       strerror(errno));
		return;
	}
	if (read_file("/proc/self/attr/current", ctx, sizeof(ctx)) >= 0 &&
	    strcmp(ctx, "kernel") == 0) {
		printf("selinux: enabled, no policy loaded (everything is allowed until "
		       "load_policy loads one)\n");
	} else {
		printf("selinux: %s\n", enforce ? "enforcing" : "permissive");
		if (read_long("/sys/fs/selinux/mls", &mls) == 0 &&
		    read_long("/sys/fs/selinux/deny_unknown", &deny) == 0 &&
		    read_long("/sys/fs/selinux/reject_unknown", &reject) == 0) {
			const char *unknown = reject ? "rejected" : "allowed";

			if (!reject && deny)
				unknown = "denied";
			printf("selinux policy: loaded, MLS/MCS %s, classes and permissions it "
			       "does not define: %s\n",
			       mls ? "on" : "off", unknown);
		}
	}
	if (read_long("/sys/fs/selinux/policyvers", &vers) == 0)
		printf("selinux max kernel policy version: %ld\n", vers);
}

static void print_landlock(void)
{
	static const char *const per_abi[] = {
		NULL,
		"files: execute, read, write, create, remove (13 rights)",
		"files: rename and link across directories (REFER)",
		"files: truncate",
		"network: TCP bind and connect by port",
		"devices: ioctl",
		"scopes: abstract unix sockets, signals",
		"audit: logging of denials",
	};
	int abi =
		(int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	if (abi < 0) {
		if (errno == EOPNOTSUPP)
			printf("landlock: absent: built in but not enabled at boot (add landlock"
			       " to lsm=)\n");
		else
			printf("landlock: absent: %s\n", why_absent("CONFIG_SECURITY_LANDLOCK"));
		return;
	}
	printf("landlock: abi %d\n", abi);
	for (int i = 1; i < (int)ARRAY_SIZE(per_abi); i++)
		printf("landlock abi %d: %s %s\n", i, per_abi[i],
		       i <= abi ? "(available)" : "(NOT available here)");
}

/* no_new_privs and seccomp are not LSMs, but Landlock needs the former and a student asks. */
static void print_status_flags(void)
{
	char path[64], line[256];
	FILE *f;

	if (target_pid)
		snprintf(path, sizeof(path), "/proc/%d/status", (int)target_pid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	f = fopen(path, "re");
	if (!f)
		dief("open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "NoNewPrivs:", 11) == 0)
			printf("no_new_privs: %s",
			       line[strspn(line + 11, " \t") + 11] == '1' ? "yes\n" : "no\n");
	fclose(f);
}

int main(int argc, char **argv)
{
	prog_init(argv[0]);
	parse_args(argc, argv);

	print_lsm_list();
	print_confinement();
	print_status_flags();
	print_apparmor();
	print_selinux();
	print_landlock();
	return EXIT_OK;
}
