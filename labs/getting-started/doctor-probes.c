/* doctor-probes.c - what the kernel offers, asked of the kernel (see doctor-probes.h).
 * A probe that could change the process (unshare, setuid) runs in a forked child. */
#define _GNU_SOURCE
#include "doctor-probes.h"
#include "cgroup.h"
#include "cseclab.h"
#include "doctor-read.h"
#include "kconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <mqueue.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* Linux 5.6 */
#endif
/* System call numbers older headers lack: the same on every architecture (alpha adds 110). */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425 /* Linux 5.1 */
#endif
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444 /* Linux 5.13 */
#endif
#define LANDLOCK_VERSION_FLAG 1U /* LANDLOCK_CREATE_RULESET_VERSION */

int in_child(int (*fn)(void *), void *arg)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

bool p_root(const struct feature *f, char *why, size_t len)
{
	(void)f;
	if (geteuid() == 0)
		return WHY("running as root (euid 0)");
	return NOT("running as uid %d, not root: run it with sudo, or as root in the lab VM",
		   (int)geteuid());
}

const struct ns_kind ns_kinds[NS_KINDS] = {
	{"pid", CLONE_NEWPID},	     {"mnt", CLONE_NEWNS},    {"uts", CLONE_NEWUTS},
	{"ipc", CLONE_NEWIPC},	     {"net", CLONE_NEWNET},   {"user", CLONE_NEWUSER},
	{"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

static int try_unshare(void *arg)
{
	return unshare(*(int *)arg) == 0 ? 0 : errno;
}

/* A namespace kind exists when /proc/self/ns has it; we can make one when unshare works. */
bool p_ns(const struct feature *f, char *why, size_t len)
{
	char path[64];
	int flag = 0, rc;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", f->arg);
	if (!exists(path))
		return NOT("this kernel has no %s namespaces (%s missing)", f->arg, path);
	for (size_t i = 0; i < ARRAY_SIZE(ns_kinds); i++)
		if (strcmp(ns_kinds[i].ns, f->arg) == 0)
			flag = ns_kinds[i].flag;
	if (geteuid() != 0 && flag != CLONE_NEWUSER)
		return WHY("the kernel has them (%s); creating one needs root or a user namespace",
			   path);
	rc = in_child(try_unshare, &flag);
	if (rc != 0)
		return NOT("unshare(%s) fails here: %s (a container or a sandbox forbids it)",
			   f->arg, rc > 0 && rc < 128 ? strerror(rc) : "killed");
	return WHY("unshare of a new %s namespace works", f->arg);
}

static int try_unpriv_userns(void *arg)
{
	(void)arg;
	if (geteuid() == 0 && setresgid(65534, 65534, 65534) + setresuid(65534, 65534, 65534) != 0)
		return 126;
	return unshare(CLONE_NEWUSER) == 0 ? 0 : errno;
}

bool p_unpriv_userns(const struct feature *f, char *why, size_t len)
{
	const char *clone = line_of("/proc/sys/kernel/unprivileged_userns_clone");
	const char *maxns = line_of("/proc/sys/user/max_user_namespaces");
	const char *aa = line_of("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
	int rc;

	(void)f;
	if (!exists("/proc/self/ns/user"))
		return NOT("no user namespaces in this kernel");
	rc = in_child(try_unpriv_userns, NULL);
	if (rc == 0)
		return WHY("an unprivileged user may create user namespaces");
	if (*clone && strcmp(clone, "0") == 0)
		return NOT("kernel.unprivileged_userns_clone=0 forbids it (Debian's knob)");
	if (*maxns && strcmp(maxns, "0") == 0)
		return NOT("user.max_user_namespaces=0 forbids it");
	if (*aa && strcmp(aa, "1") == 0)
		return NOT("kernel.apparmor_restrict_unprivileged_userns=1: AppArmor restricts it "
			   "(Ubuntu 23.10+)");
	return NOT("unshare(CLONE_NEWUSER) as an unprivileged user fails: %s",
		   rc > 0 && rc < 126 ? strerror(rc) : "could not test");
}

static int try_mqueue(void *arg)
{
	struct mq_attr a = {.mq_maxmsg = 1, .mq_msgsize = 16};
	mqd_t q;

	(void)arg;
	q = mq_open("/cseclab-doctor", O_CREAT | O_EXCL | O_RDWR, 0600, &a);
	if (q == (mqd_t)-1)
		return errno;
	mq_close(q);
	mq_unlink("/cseclab-doctor");
	return 0;
}

bool p_mqueue(const struct feature *f, char *why, size_t len)
{
	int rc = in_child(try_mqueue, NULL);

	(void)f;
	if (rc == 0)
		return WHY("mq_open creates a POSIX message queue");
	return NOT("mq_open fails: %s (CONFIG_POSIX_MQUEUE?)",
		   rc > 0 && rc < 128 ? strerror(rc) : "killed");
}

bool p_veth(const struct feature *f, char *why, size_t len)
{
	struct utsname u;
	char path[PATH_MAX];
	const char *k = kconfig("CONFIG_VETH");
	/* Distributions compress modules: Debian 12 not, Fedora xz, Ubuntu 23.10+ zstd. */
	static const char *const suffix[] = {"", ".xz", ".zst", ".gz"};

	(void)f;
	uname(&u);
	if (exists("/sys/module/veth"))
		return WHY("the veth driver is loaded");
	for (size_t i = 0; i < ARRAY_SIZE(suffix); i++) {
		snprintf(path, sizeof(path), "/lib/modules/%s/kernel/drivers/net/veth.ko%s",
			 u.release, suffix[i]);
		if (exists(path))
			return WHY("veth is a module (%s); ip link add loads it", path);
	}
	if (strcmp(k, "y") == 0)
		return WHY("CONFIG_VETH=y");
	return NOT("no veth driver (not loaded, no module, CONFIG_VETH=%s)", k);
}

static bool writable_mount(const char *path)
{
	struct statvfs s;

	return statvfs(path, &s) == 0 && !(s.f_flag & ST_RDONLY) && access(path, W_OK) == 0;
}

/* "cgroup-v1" / "cgroup-v2": the controllers the labs use (cpu, memory, pids) live on that
 * version. A hybrid host may mount v2 with a stray controller or two; that does not count. */
bool p_cgroup_version(const struct feature *f, char *why, size_t len)
{
	static const char *const used[] = {"cpu", "memory", "pids"};
	int want = strcmp(f->arg, "2") == 0 ? CG_V2 : CG_V1;
	char where[400] = "";
	struct cg_mount m;

	for (size_t i = 0; i < ARRAY_SIZE(used); i++) {
		if (cg_find(used[i], &m) != 0)
			return NOT("the %s controller is not mounted at all", used[i]);
		if ((int)m.version != want)
			return NOT("the %s controller is on cgroup v%d here (%s), not v%d", used[i],
				   m.version, m.path, want);
		snprintf(where + strlen(where), sizeof(where) - strlen(where), "%s%s at %.100s",
			 i ? ", " : "", used[i], m.path);
	}
	return WHY("cgroup v%d: %s", want, where);
}

/* A controller is usable when it is mounted somewhere writable and we are root. */
bool p_cgroup(const struct feature *f, char *why, size_t len)
{
	struct cg_mount m;
	char list[400] = "";
	const char *need[3] = {f->arg, NULL, NULL};

	/* CPU shares need accounting too: cpuacct on v1 (cpu.stat is built into v2). */
	if (strcmp(f->arg, "cpu") == 0)
		need[1] = "cpuacct";
	/* On v2, devices is a BPF program (4.15) and freezer a core file, cgroup.freeze (5.2):
	 * neither is listed in cgroup.controllers. They come with a v2 tree that holds cpu. */
	if ((strcmp(f->arg, "devices") == 0 || strcmp(f->arg, "freezer") == 0) &&
	    cg_find(f->arg, &m) != 0 && cg_find("cpu", &m) == 0 && m.version == CG_V2) {
		if (!writable_mount(m.path) || geteuid() != 0)
			return NOT("cgroup v2 at %s is not writable for us", m.path);
		return WHY("cgroup v2 at %s: %s", m.path,
			   f->arg[0] == 'd' ? "device access is a BPF_CGROUP_DEVICE program"
					    : "cgroup.freeze in every non-root cgroup");
	}
	for (int i = 0; need[i]; i++) {
		if (cg_find(need[i], &m) != 0) {
			if (strcmp(need[i], "cpuacct") == 0 && cg_find("cpu", &m) == 0 &&
			    m.version == CG_V2)
				continue;
			return NOT("the %s controller is not available (not mounted on v1, not in "
				   "cgroup.controllers on v2)",
				   need[i]);
		}
		if (!writable_mount(m.path))
			return NOT(
				"the %s controller at %s is read-only for us (in a container, or "
				"not root)",
				need[i], m.path);
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s v%d at %.150s",
			 i ? ", " : "", need[i], m.version, m.path);
	}
	if (geteuid() != 0)
		return NOT("%s is there but creating cgroups needs root", list);
	return WHY("%s", list);
}

/* "cgroup-v2-mount": a cgroup v2 hierarchy of any controllers (a hybrid host's unified one has
 * none) where we may make cgroups. BPF sees v2 cgroups only (bpf_current_task_under_cgroup):
 * screcord records CMD in one there, or with --cgroup; it takes the first, as found here. */
bool p_cgroup_v2_mount(const struct feature *f, char *why, size_t len)
{
	struct cg_mount m[16];
	int n = cg_mounts(m, ARRAY_SIZE(m));

	(void)f;
	for (int i = 0; i < n; i++) {
		if (m[i].version != CG_V2)
			continue;
		if (!writable_mount(m[i].path) || geteuid() != 0)
			return NOT("cgroup v2 at %s is not writable for us (not root, or in a "
				   "container)",
				   m[i].path);
		return WHY("cgroup v2 at %s (%s)", m[i].path,
			   m[i].controllers[0] ? m[i].controllers : "no controllers");
	}
	return NOT("no cgroup v2 hierarchy is mounted here (cgroup v1 only)");
}

/* cgroup.kill (5.14) kills a whole v2 cgroup at once; it matters where pids lives. */
bool p_cgroup_kill(const struct feature *f, char *why, size_t len)
{
	struct cg_mount m;
	struct utsname u;
	int maj = 0, min = 0;

	(void)f;
	if (cg_find("pids", &m) != 0 || m.version != CG_V2)
		return NOT("cgroup.kill is a cgroup v2 file and the pids controller is not on v2 "
			   "here (v1 kills through the freezer instead)");
	uname(&u);
	sscanf(u.release, "%d.%d", &maj, &min);
	if (maj < 5 || (maj == 5 && min < 14))
		return NOT("kernel %s < 5.14 has no cgroup.kill", u.release);
	return WHY("pids is on cgroup v2 at %s and kernel %s >= 5.14", m.path, u.release);
}

bool p_seccomp(const struct feature *f, char *why, size_t len)
{
	const char *mode = status_field("Seccomp");

	(void)f;
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL)
		return NOT("prctl(PR_GET_SECCOMP) fails with EINVAL: no CONFIG_SECCOMP");
	return WHY("seccomp is in the kernel (this process: mode %s)", *mode ? mode : "?");
}

bool p_seccomp_action(const struct feature *f, char *why, size_t len)
{
	const char *avail = line_of("/proc/sys/kernel/seccomp/actions_avail");

	if (!*avail)
		return NOT("no /proc/sys/kernel/seccomp/actions_avail: no seccomp filters (Linux "
			   "4.14+ with CONFIG_SECCOMP_FILTER lists them)");
	if (!f->arg)
		return WHY("filters work; actions: %s", avail);
	if (cg_has(avail, f->arg))
		return WHY("actions_avail lists %s", f->arg);
	return NOT("the kernel does not offer %s (actions_avail: %s)", f->arg, avail);
}

bool p_ia32(const struct feature *f, char *why, size_t len)
{
	const char *k = kconfig("CONFIG_IA32_EMULATION");
	const char *cmdline = line_of("/proc/cmdline");

	(void)f;
#if defined(__x86_64__)
	if (strstr(cmdline, "ia32_emulation=0"))
		return NOT("ia32_emulation=0 on the kernel command line disables the 32-bit entry");
	if (strcmp(k, "n") == 0)
		return NOT("CONFIG_IA32_EMULATION is not set");
	/* Probe: getpid through the 32-bit entry (int $0x80, syscall 20) in a child. */
	{
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			long ret;

			/* The 64-bit kernel clears r8-r11 on the way back from int $0x80. */
			__asm__ volatile("int $0x80"
					 : "=a"(ret)
					 : "a"(20L)
					 : "r8", "r9", "r10", "r11", "memory");
			_exit(ret == (long)getpid() ? 0 : 1);
		}
		if (pid < 0 || waitpid(pid, &st, 0) < 0)
			return NOT("could not probe");
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			return WHY("the 32-bit syscall entry (int $0x80) answers");
		return NOT("int $0x80 does not reach the kernel's 32-bit entry here (%s)",
			   WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "wrong result");
	}
#else
	return NOT("not an x86-64 machine");
#endif
}

bool p_io_uring(const struct feature *f, char *why, size_t len)
{
	unsigned char params[120] = {0}; /* struct io_uring_params, zeroed */
	const char *dis = line_of("/proc/sys/kernel/io_uring_disabled");
	long fd;

	(void)f;
	fd = syscall(__NR_io_uring_setup, 1, params);
	if (fd >= 0) {
		close((int)fd);
		return WHY("io_uring_setup works (io_uring_disabled=%s)", *dis ? dis : "absent");
	}
	return NOT("io_uring_setup fails: %s%s%s", strerror(errno),
		   *dis ? ", kernel.io_uring_disabled=" : "", dis);
}

bool p_ptrace(const struct feature *f, char *why, size_t len)
{
	const char *scope = line_of("/proc/sys/kernel/yama/ptrace_scope");
	unsigned long long eff = strtoull(status_field("CapEff"), NULL, 16);

	(void)f;
	if (strcmp(scope, "3") == 0)
		return NOT("kernel.yama.ptrace_scope=3: no process may ptrace another");
	/* Yama's mode 2 asks CAP_SYS_PTRACE of the tracer even for a child's PTRACE_TRACEME. */
	if (strcmp(scope, "2") == 0 && !(eff & (1ULL << CAP_SYS_PTRACE)))
		return NOT("kernel.yama.ptrace_scope=2: only a tracer with CAP_SYS_PTRACE may "
			   "trace, even its own children (run it as root)");
	return WHY("a parent may trace its children (yama ptrace_scope=%s)",
		   *scope ? scope : "absent");
}

bool p_kmsg(const struct feature *f, char *why, size_t len)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	(void)f;
	if (fd < 0)
		return NOT("cannot read the kernel log: open /dev/kmsg: %s", strerror(errno));
	close(fd);
	return WHY("the kernel log is readable (/dev/kmsg)");
}

int landlock_abi(void)
{
	long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_VERSION_FLAG);

	return abi < 0 ? -errno : (int)abi;
}

bool p_landlock(const struct feature *f, char *why, size_t len)
{
	int abi = landlock_abi();
	int need = f->arg ? atoi(f->arg) : 1;

	if (abi == -ENOSYS)
		return NOT("no Landlock in this kernel (5.13+ with CONFIG_SECURITY_LANDLOCK)");
	if (abi == -EOPNOTSUPP)
		return NOT("Landlock is built in but not enabled at boot (add landlock to lsm=)");
	if (abi < 0)
		return NOT("landlock_create_ruleset: %s", strerror(-abi));
	if (abi < need)
		return NOT("Landlock ABI %d; TCP port rules need ABI %d (Linux 6.7)", abi, need);
	return WHY("Landlock ABI %d", abi);
}
