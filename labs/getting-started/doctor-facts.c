/* doctor-facts.c - the machine, read from /proc, /sys and a few system calls, printed as
 * "key: value" facts (see doctor-facts.h). Nothing here changes the machine. */
#define _GNU_SOURCE
#include "doctor-facts.h"
#include "cgroup.h"
#include "cseclab.h"
#include "doctor-features.h"
#include "doctor-host.h"
#include "doctor-output.h"
#include "doctor-probes.h"
#include "doctor-read.h"
#include "kconfig.h"
#include "lsmlist.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <unistd.h>

/* ---- the facts, one function per section, in the order doctor prints them ---------------- */

static void machine(void)
{
	struct utsname u;
	char ver[64], answer[96];

	uname(&u);
	section("machine");
	fact("kernel", "%s", u.release);
	fact("arch", "%s", u.machine);
	fact("root", "%s (euid %d)", geteuid() == 0 ? "yes" : "no", (int)geteuid());
	fact("container", "%s", container_runtime());
	snprintf(answer, sizeof(answer), "not answering");
	if (docker_ping(ver, sizeof(ver)))
		snprintf(answer, sizeof(answer), "answers, version %s", *ver ? ver : "?");
	fact("docker engine", "%s", answer);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The kinds /proc/self/ns lists, sorted, then the inode of each kind doctor knows. */
static void namespaces(void)
{
	char names[32][32], list[1024] = "";
	struct dirent *e;
	DIR *d = opendir("/proc/self/ns");
	int k = 0;

	section("namespaces");
	while (d && (e = readdir(d)) != NULL && k < 32)
		if (e->d_name[0] != '.')
			snprintf(names[k++], sizeof(names[0]), "%.31s", e->d_name);
	if (d)
		closedir(d);
	qsort(names, (size_t)k, sizeof(names[0]), by_name);
	for (int i = 0; i < k; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? " " : "",
			 names[i]);
	fact("namespaces", "%s", list);
	for (size_t i = 0; i < ARRAY_SIZE(ns_kinds); i++) {
		char path[64], link[64], key[32];
		ssize_t ln;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_kinds[i].ns);
		ln = readlink(path, link, sizeof(link) - 1);
		link[ln > 0 ? ln : 0] = '\0';
		snprintf(key, sizeof(key), "%s namespace", ns_kinds[i].ns);
		fact(key, "%s", ln > 0 ? link : "absent");
	}
	fact("unprivileged user namespaces", "%s",
	     probe(feature("unpriv-userns"))->ok ? "allowed" : feature("unpriv-userns")->why);
	fact("user.max_user_namespaces", "%s", line_of("/proc/sys/user/max_user_namespaces"));
}

static void cgroups(void)
{
	struct cg_mount m[32];
	int n = cg_mounts(m, 32), v1 = 0, v2 = 0, v2ctl = 0;

	section("cgroups");
	for (int i = 0; i < n; i++) {
		if (m[i].version == CG_V1)
			v1++;
		else
			v2++, v2ctl += m[i].controllers[0] != '\0';
	}
	fact("cgroup layout", "%s",
	     v1 && v2 ? (v2ctl ? "hybrid (v1 and v2 with controllers)"
			       : "hybrid (controllers on v1, v2 mounted without controllers)")
	     : v1     ? "v1"
	     : v2     ? "v2 (unified)"
		      : "none mounted");
	for (int i = 0; i < n; i++)
		if (output_json) { /* keys must be unique in JSON: the mount point goes into the key */
			char key[PATH_MAX + 16];

			snprintf(key, sizeof(key), "cgroup v%d %s", m[i].version, m[i].path);
			fact(key, "%s",
			     m[i].controllers[0] ? m[i].controllers : "(no controllers)");
		} else {
			fact(m[i].version == CG_V1 ? "cgroup v1" : "cgroup v2", "%s: %s", m[i].path,
			     m[i].controllers[0] ? m[i].controllers : "(no controllers)");
		}
	fact("own cgroup", "%s", line_of("/proc/self/cgroup"));
}

static void seccomp(void)
{
	section("seccomp");
	fact("seccomp mode", "%s (0 none, 1 strict, 2 filter)", status_field("Seccomp"));
	fact("seccomp actions", "%s", line_of("/proc/sys/kernel/seccomp/actions_avail"));
	fact("seccomp actions logged", "%s", line_of("/proc/sys/kernel/seccomp/actions_logged"));
}

/* One set, by name without "cap_": "chown dac_override ...", or "(none)". */
static void caps_of_set(cap_t caps, cap_flag_t set, char *out, size_t len)
{
	cap_flag_value_t v;

	out[0] = '\0';
	for (int c = 0; c <= CAP_LAST_CAP + 8; c++) {
		char *name;

		if (!cap_valid(c) || cap_get_flag(caps, c, set, &v) != 0 || v != CAP_SET)
			continue;
		name = cap_to_name(c);
		snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? " " : "",
			 name + (strncmp(name, "cap_", 4) == 0 ? 4 : 0));
		cap_free(name);
	}
	if (!out[0])
		snprintf(out, len, "(none)");
}

static void capabilities(void)
{
	static const struct {
		const char *name;
		cap_flag_t set;
	} sets[] = {{"effective", CAP_EFFECTIVE},
		    {"permitted", CAP_PERMITTED},
		    {"inheritable", CAP_INHERITABLE}};
	cap_t caps = cap_get_proc();
	char list[2048];

	section("capabilities and privileges");
	for (size_t i = 0; caps && i < ARRAY_SIZE(sets); i++) {
		char key[48];

		caps_of_set(caps, sets[i].set, list, sizeof(list));
		snprintf(key, sizeof(key), "capabilities %s", sets[i].name);
		fact(key, "%s", list);
	}
	if (caps)
		cap_free(caps);
	fact("capabilities bounding", "%s (hex)", status_field("CapBnd"));
	fact("capabilities ambient", "%s (hex)", status_field("CapAmb"));
	fact("cap_last_cap", "%s", line_of("/proc/sys/kernel/cap_last_cap"));
	fact("no_new_privs", "%d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
}

/* The kernel's own ordered list of LSMs (lsmlist.c, shared with lsminfo), then the three the
 * labs use. */
static void security_modules(void)
{
	char lsm[256];
	const char *src = LSM_LIST_SECURITYFS;
	int abi = landlock_abi();

	section("security modules");
	if (lsm_list_securityfs(lsm, sizeof(lsm)) != 0 || !lsm[0]) {
		src = "lsm_list_modules(2)";
		if (lsm_list_syscall(lsm, sizeof(lsm)) != 0) {
			src = "unknown (securityfs not mounted, no lsm_list_modules)";
			lsm[0] = '\0';
		}
	}
	fact("lsm", "%s (from %s)", lsm[0] ? lsm : "unknown", src);
	fact("apparmor", "%s",
	     probe(feature("apparmor"))->ok ? "enabled" : feature("apparmor")->why);
	fact("selinux", "%s", probe(feature("selinux"))->why);
	if (abi > 0)
		fact("landlock", "ABI %d", abi);
	else
		fact("landlock", "not available (landlock_create_ruleset: %s)", strerror(-abi));
}

static void kernel_config(void)
{
	char keys[] = "CONFIG_SECCOMP CONFIG_SECCOMP_FILTER CONFIG_HAVE_ARCH_SECCOMP_FILTER "
		      "CONFIG_NAMESPACES CONFIG_USER_NS CONFIG_PID_NS CONFIG_NET_NS CONFIG_TIME_NS "
		      "CONFIG_CGROUPS CONFIG_CGROUP_PIDS CONFIG_MEMCG CONFIG_CGROUP_SCHED "
		      "CONFIG_CPUSETS CONFIG_CGROUP_DEVICE CONFIG_CGROUP_BPF "
		      "CONFIG_SECURITY_LANDLOCK CONFIG_SECURITY_APPARMOR CONFIG_SECURITY_SELINUX "
		      "CONFIG_IA32_EMULATION CONFIG_VETH CONFIG_POSIX_MQUEUE "
		      "CONFIG_BPF_SYSCALL CONFIG_BPF_EVENTS CONFIG_DEBUG_INFO_BTF";
	char *save = NULL;

	section("kernel config");
	fact("kernel config source", "%s",
	     kconfig_source() ? kconfig_source() : "unknown (no readable config)");
	for (char *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save))
		fact(k, "%s", kconfig(k));
}

static void sysctls(void)
{
	static const char *const ctl[] = {
		"net.ipv4.ip_unprivileged_port_start",
		"net.ipv4.ping_group_range",
		"kernel.unprivileged_userns_clone",
		"kernel.apparmor_restrict_unprivileged_userns",
		"kernel.yama.ptrace_scope",
		"kernel.io_uring_disabled",
		"kernel.unprivileged_bpf_disabled",
		"fs.mqueue.msg_max",
		"fs.mqueue.msgsize_max",
	};

	section("sysctls that decide outcomes");
	for (size_t i = 0; i < ARRAY_SIZE(ctl); i++) {
		char path[128];
		const char *v;

		/* net.ipv4.ping_group_range is /proc/sys/net/ipv4/ping_group_range */
		snprintf(path, sizeof(path), "/proc/sys/%s", ctl[i]);
		for (char *p = path + strlen("/proc/sys/"); *p; p++)
			if (*p == '.')
				*p = '/';
		v = line_of(path);
		fact(ctl[i], "%s", *v ? v : "(absent)");
	}
}

/* nosuid on the places a lab may put a binary: file capabilities and setuid do nothing there. */
static void mounts(void)
{
	FILE *f = fopen("/proc/self/mounts", "re");
	char line[1024], dev[256], mnt[512], type[64], opts[512], list[1024] = "";

	section("mounts that change outcomes");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s %511s %63s %511s", dev, mnt, type, opts) == 4 &&
		    cg_has(opts, "nosuid") &&
		    (strcmp(mnt, "/") == 0 || strcmp(mnt, "/tmp") == 0 ||
		     strcmp(mnt, "/home") == 0 || strcmp(mnt, "/root") == 0 ||
		     strcmp(mnt, "/work") == 0 || strcmp(mnt, "/var/tmp") == 0 ||
		     strcmp(mnt, "/dev/shm") == 0))
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 list[0] ? " " : "", mnt);
	if (f)
		fclose(f);
	fact("nosuid mounts", "%s (file capabilities and setuid bits are ignored there)",
	     list[0] ? list : "none of / /tmp /home /root /var/tmp /dev/shm");
}

static void tools(void)
{
	char names[] = "bats strace stress-ng busybox ip setcap getcap capsh pscap filecap captest "
		       "getfattr curl docker qemu-system-x86_64 apparmor_parser aa-exec sestatus";
	char list[1024] = "", *save = NULL;

	section("tools");
	for (char *t = strtok_r(names, " ", &save); t; t = strtok_r(NULL, " ", &save))
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s%s",
			 list[0] ? " " : "", on_path(t) ? "+" : "-", t);
	fact("tools (+ present, - missing)", "%s", list);
}

void facts(void)
{
	machine();
	namespaces();
	cgroups();
	seccomp();
	capabilities();
	security_modules();
	kernel_config();
	sysctls();
	mounts();
	tools();
}
