/* doctor - what can this machine demonstrate? Reads the kernel, never assumes.
 *
 * Prints stable "key: value" facts (kernel, root, namespaces, cgroup layout, seccomp, capability
 * sets, LSMs, container, Docker engine, kernel config, the sysctls that decide outcomes, tools),
 * then one "feature:" line per feature the labs need (probed for real where a probe is safe,
 * e.g. a forked child tries unshare(CLONE_NEWUSER) as nobody), then one "lab:" line per lab:
 * "can run" or "will skip: reason". Exit 0.
 *   doctor --check FEATURE   exit 0 available, 1 not (reason printed), 2 unknown keyword;
 *                            the tests' `requires` asks this, so doctor is the one source of truth
 *   doctor --features        the feature keywords, one per line, with the kernel that added each
 *   doctor --json            the same facts for scripts
 * Needs nothing; some facts read "unknown" without root. Read next: namespaces(7), cgroups(7),
 * capabilities(7), seccomp(2), landlock(7).
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cseclab.h"
#include "kconfig.h"
#include "term.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#define LANDLOCK_VERSION_FLAG 1U /* LANDLOCK_CREATE_RULESET_VERSION */

/* ---- small readers ------------------------------------------------------------------------ */

/* First line of a file, without the newline; "" when unreadable. */
static const char *line_of(const char *path)
{
	static char buf[8][512];
	static int slot;
	char *b = buf[slot++ % 8];

	if (read_file(path, b, sizeof(buf[0])) < 0)
		b[0] = '\0';
	b[strcspn(b, "\n")] = '\0';
	return b;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Value of "Key:\t..." in /proc/self/status. */
static const char *status_field(const char *key)
{
	static char val[256];
	char line[512];
	size_t n = strlen(key);
	FILE *f = fopen("/proc/self/status", "re");

	val[0] = '\0';
	if (!f)
		return val;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, n) == 0 && line[n] == ':') {
			char *v = line + n + 1;

			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			snprintf(val, sizeof(val), "%s", v);
			break;
		}
	}
	fclose(f);
	return val;
}

static bool on_path(const char *tool)
{
	const char *path = getenv("PATH");
	char dir[PATH_MAX];

	if (!path || !*path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s/%s", (int)n, path, tool);
		if (access(dir, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* Run FN in a forked child and return its exit status (or 128+signal): probes that change the
 * process (unshare, setuid, seccomp) must never touch doctor itself. */
static int in_child(int (*fn)(void *), void *arg)
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

/* ---- features --------------------------------------------------------------------------- */

struct feature {
	const char *name;
	const char *since; /* the kernel (or tool) that added it */
	bool (*probe)(const struct feature *f, char *why, size_t len);
	const char *arg; /* the probe's parameter */
	bool done, ok;
	char why[320];
};

#define WHY(...) (snprintf(why, len, __VA_ARGS__), true)
#define NOT(...) (snprintf(why, len, __VA_ARGS__), false)

static bool p_root(const struct feature *f, char *why, size_t len)
{
	(void)f;
	if (geteuid() == 0)
		return WHY("running as root (euid 0)");
	return NOT("running as uid %d, not root: run it with sudo, or as root in the lab VM",
		   (int)geteuid());
}

static const struct {
	const char *ns;
	int flag;
} ns_kinds[] = {
	{"pid", CLONE_NEWPID},	     {"mnt", CLONE_NEWNS},    {"uts", CLONE_NEWUTS},
	{"ipc", CLONE_NEWIPC},	     {"net", CLONE_NEWNET},   {"user", CLONE_NEWUSER},
	{"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

static int try_unshare(void *arg)
{
	return unshare(*(int *)arg) == 0 ? 0 : errno;
}

/* A namespace kind exists when /proc/self/ns has it; we can make one when unshare works. */
static bool p_ns(const struct feature *f, char *why, size_t len)
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

static bool p_unpriv_userns(const struct feature *f, char *why, size_t len)
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

static bool p_mqueue(const struct feature *f, char *why, size_t len)
{
	int rc = in_child(try_mqueue, NULL);

	(void)f;
	if (rc == 0)
		return WHY("mq_open creates a POSIX message queue");
	return NOT("mq_open fails: %s (CONFIG_POSIX_MQUEUE?)",
		   rc > 0 && rc < 128 ? strerror(rc) : "killed");
}

static bool p_veth(const struct feature *f, char *why, size_t len)
{
	struct utsname u;
	char path[PATH_MAX];
	const char *k = kconfig("CONFIG_VETH");

	(void)f;
	uname(&u);
	if (exists("/sys/module/veth"))
		return WHY("the veth driver is loaded");
	snprintf(path, sizeof(path), "/lib/modules/%s/kernel/drivers/net/veth.ko", u.release);
	if (exists(path) || (snprintf(path, sizeof(path),
				      "/lib/modules/%s/kernel/drivers/net/veth.ko.xz", u.release),
			     exists(path)))
		return WHY("veth is a module (%s); ip link add loads it", path);
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
static bool p_cgroup_version(const struct feature *f, char *why, size_t len)
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
static bool p_cgroup(const struct feature *f, char *why, size_t len)
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

/* cgroup.kill (5.14) kills a whole v2 cgroup at once; it matters where pids lives. */
static bool p_cgroup_kill(const struct feature *f, char *why, size_t len)
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

static bool p_seccomp(const struct feature *f, char *why, size_t len)
{
	const char *mode = status_field("Seccomp");

	(void)f;
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL)
		return NOT("prctl(PR_GET_SECCOMP) fails with EINVAL: no CONFIG_SECCOMP");
	return WHY("seccomp is in the kernel (this process: mode %s)", *mode ? mode : "?");
}

static bool p_seccomp_action(const struct feature *f, char *why, size_t len)
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

static bool p_ia32(const struct feature *f, char *why, size_t len)
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

			__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
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

static bool p_io_uring(const struct feature *f, char *why, size_t len)
{
	unsigned char params[120] = {0}; /* struct io_uring_params, zeroed */
	const char *dis = line_of("/proc/sys/kernel/io_uring_disabled");
	long fd;

	(void)f;
	fd = syscall(425 /* __NR_io_uring_setup */, 1, params);
	if (fd >= 0) {
		close((int)fd);
		return WHY("io_uring_setup works (io_uring_disabled=%s)", *dis ? dis : "absent");
	}
	return NOT("io_uring_setup fails: %s%s%s", strerror(errno),
		   *dis ? ", kernel.io_uring_disabled=" : "", dis);
}

static bool p_ptrace(const struct feature *f, char *why, size_t len)
{
	const char *scope = line_of("/proc/sys/kernel/yama/ptrace_scope");

	(void)f;
	if (strcmp(scope, "3") == 0)
		return NOT("kernel.yama.ptrace_scope=3: no process may ptrace another");
	return WHY("a parent may trace its children (yama ptrace_scope=%s)",
		   *scope ? scope : "absent");
}

static bool p_kmsg(const struct feature *f, char *why, size_t len)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	(void)f;
	if (fd < 0)
		return NOT("cannot read the kernel log: open /dev/kmsg: %s", strerror(errno));
	close(fd);
	return WHY("the kernel log is readable (/dev/kmsg)");
}

static int landlock_abi(void)
{
	long abi = syscall(444 /* __NR_landlock_create_ruleset */, NULL, 0, LANDLOCK_VERSION_FLAG);

	return abi < 0 ? -errno : (int)abi;
}

static bool p_landlock(const struct feature *f, char *why, size_t len)
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

/* The active LSMs, in order: securityfs, else lsm_list_modules(2) (6.8+). */
static const char *lsm_list(const char **source)
{
	static char list[256];
	const char *s = line_of("/sys/kernel/security/lsm");

	if (*s) {
		*source = "/sys/kernel/security/lsm";
		snprintf(list, sizeof(list), "%s", s);
		return list;
	}
	{
		unsigned long long ids[32];
		unsigned int size = sizeof(ids);
		long n = syscall(461 /* __NR_lsm_list_modules */, ids, &size, 0);
		static const struct {
			unsigned long long id;
			const char *name;
		} names[] = {{100, "capability"}, {101, "selinux"},   {102, "smack"},
			     {103, "tomoyo"},	  {104, "apparmor"},  {105, "yama"},
			     {106, "loadpin"},	  {107, "safesetid"}, {108, "lockdown"},
			     {109, "bpf"},	  {110, "landlock"},  {111, "ima"},
			     {112, "evm"},	  {113, "ipe"}};

		list[0] = '\0';
		if (n < 0) {
			*source = "unknown (securityfs not mounted, no lsm_list_modules)";
			return list;
		}
		for (long i = 0; i < n; i++) {
			const char *name = "?";

			for (size_t j = 0; j < ARRAY_SIZE(names); j++)
				if (names[j].id == ids[i])
					name = names[j].name;
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 i ? "," : "", name);
		}
		*source = "lsm_list_modules(2)";
		return list;
	}
}

static bool p_apparmor(const struct feature *f, char *why, size_t len)
{
	const char *en = line_of("/sys/module/apparmor/parameters/enabled");

	(void)f;
	if (!exists("/sys/module/apparmor"))
		return NOT("AppArmor is not in this kernel (the lab VM has it: make test-vm)");
	if (strcmp(en, "Y") != 0)
		return NOT("AppArmor is built in but not enabled (boot with lsm=...,apparmor)");
	if (!exists("/sys/kernel/security/apparmor"))
		return NOT("AppArmor is enabled but securityfs is not mounted "
			   "(mount -t securityfs securityfs /sys/kernel/security)");
	if (!on_path("apparmor_parser"))
		return NOT("AppArmor is enabled but apparmor_parser is missing (apt install "
			   "apparmor)");
	if (geteuid() != 0)
		return NOT("AppArmor is enabled; loading profiles needs root");
	return WHY("AppArmor is enabled and profiles can be loaded");
}

static bool p_selinux(const struct feature *f, char *why, size_t len)
{
	const char *enf = line_of("/sys/fs/selinux/enforce");

	(void)f;
	if (!*enf)
		return NOT("SELinux is not active (no /sys/fs/selinux/enforce; the lab VM boots "
			   "it: make test-vm-selinux)");
	/* Before the first policy load every task's context is "kernel". */
	if (strcmp(line_of("/proc/self/attr/current"), "kernel") == 0)
		return WHY("SELinux is active, no policy loaded yet");
	return WHY("SELinux is active, %s", strcmp(enf, "1") == 0 ? "enforcing" : "permissive");
}

/* The Docker engine answers GET /_ping on its socket with "OK". */
static bool docker_ping(char *version, size_t vlen)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	const char *host = getenv("DOCKER_HOST");
	const char *req = "GET /_ping HTTP/1.0\r\n\r\n";
	char resp[1024];
	ssize_t n, got = 0;
	int fd;
	bool ok;

	version[0] = '\0';
	snprintf(a.sun_path, sizeof(a.sun_path), "%s",
		 host && strncmp(host, "unix://", 7) == 0 ? host + 7 : "/var/run/docker.sock");
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return false;
	}
	while (got < (ssize_t)sizeof(resp) - 1 &&
	       (n = read(fd, resp + got, sizeof(resp) - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	resp[got] = '\0';
	ok = strstr(resp, " 200 ") && strstr(resp, "\r\n\r\nOK");
	{
		const char *v = strcasestr(resp, "\nServer: Docker/");

		if (v)
			snprintf(version, vlen, "%.*s", (int)strcspn(v + 16, " \r\n"), v + 16);
	}
	return ok;
}

static bool p_docker(const struct feature *f, char *why, size_t len)
{
	char v[64];

	(void)f;
	if (docker_ping(v, sizeof(v)))
		return WHY("a Docker engine answers on its socket (version %s)", *v ? v : "?");
	return NOT("no Docker engine answers on /var/run/docker.sock (scripts/docker-engine "
		   "start)");
}

/* File capabilities work where we may set security.capability (root) on a filesystem that
 * is not mounted nosuid (nosuid silently ignores them at exec). Probed next to doctor. */
static bool p_filecaps(const struct feature *f, char *why, size_t len)
{
	char dir[PATH_MAX], tmpl[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	struct statvfs s;
	/* revision 2, no effective bit, permitted = CAP_NET_RAW (the course's example) */
	const unsigned char cap[20] = {0x00, 0x00, 0x00, 0x02, 0x00, 0x20};
	int fd, rc;

	(void)f;
	if (n <= 0)
		return NOT("cannot find where doctor lives");
	dir[n] = '\0';
	*strrchr(dir, '/') = '\0';
	if (statvfs(dir, &s) == 0 && (s.f_flag & ST_NOSUID))
		return NOT("%s is on a nosuid mount: file capabilities would be ignored at exec",
			   dir);
	if (geteuid() != 0)
		return NOT("setting file capabilities needs root (CAP_SETFCAP)");
	snprintf(tmpl, sizeof(tmpl), "%s/.cseclab-doctor-XXXXXX", dir);
	fd = mkstemp(tmpl);
	if (fd < 0)
		return NOT("cannot create a probe file in %s: %s", dir, strerror(errno));
	rc = fsetxattr(fd, "security.capability", cap, sizeof(cap), 0);
	n = errno;
	close(fd);
	unlink(tmpl);
	if (rc != 0)
		return NOT("setting security.capability in %s fails: %s", dir, strerror((int)n));
	return WHY("security.capability can be set in %s (not nosuid)", dir);
}

static bool p_port80(const struct feature *f, char *why, size_t len)
{
	long start;

	(void)f;
	if (read_long("/proc/sys/net/ipv4/ip_unprivileged_port_start", &start) != 0)
		return NOT("cannot read net.ipv4.ip_unprivileged_port_start");
	if (start > 80)
		return WHY("net.ipv4.ip_unprivileged_port_start=%ld: port 80 needs "
			   "CAP_NET_BIND_SERVICE",
			   start);
	return NOT("net.ipv4.ip_unprivileged_port_start=%ld: anyone may bind port 80 here (as in "
		   "a Docker 20.10+ container)",
		   start);
}

/* Which runtime's marker is here: /.dockerenv, /run/.containerenv, PID 1's container=
 * variable, or PID 1's cgroup path. NULL when there is none. */
static const char *container_marker(void)
{
	static char buf[128];
	char env[4096];
	ssize_t n;

	if (exists("/.dockerenv"))
		return "docker";
	if (exists("/run/.containerenv"))
		return "podman";
	n = read_file("/proc/1/environ", env, sizeof(env));
	for (ssize_t i = 0; n > 0 && i < n; i += (ssize_t)strlen(env + i) + 1)
		if (strncmp(env + i, "container=", 10) == 0) {
			snprintf(buf, sizeof(buf), "%.100s", env + i + 10);
			return buf;
		}
	if (read_file("/proc/1/cgroup", env, sizeof(env)) > 0) {
		if (strstr(env, "/docker"))
			return "docker";
		if (strstr(env, "/kubepods"))
			return "kubernetes";
		if (strstr(env, "/lxc"))
			return "lxc";
	}
	return NULL;
}

/* A marker file alone can be a leftover of how a machine image was built. A container is
 * confined: its own PID namespace (where kernel threads such as kthreadd, PID 2 of the initial
 * PID namespace, are invisible) and, under Docker, a seccomp filter. */
static const char *container_runtime(void)
{
	static char buf[256];
	const char *marker = container_marker();
	bool host_pids = strcmp(line_of("/proc/2/comm"), "kthreadd") == 0;
	bool no_filter = strcmp(status_field("Seccomp"), "0") == 0;

	if (!marker)
		return "none";
	if (host_pids && no_filter) {
		snprintf(buf, sizeof(buf),
			 "none (a %s marker exists, but this is the initial PID namespace and no "
			 "seccomp filter is on: a machine built from a container image)",
			 marker);
		return buf;
	}
	return marker;
}

static bool p_no_container(const struct feature *f, char *why, size_t len)
{
	const char *rt = container_runtime();

	(void)f;
	if (strncmp(rt, "none", 4) == 0)
		return WHY("not inside a container");
	return NOT("running inside a container (%s)", rt);
}

static bool p_tool(const struct feature *f, char *why, size_t len)
{
	if (on_path(f->arg))
		return WHY("%s is on PATH", f->arg);
	return NOT("%s is not installed (or not on PATH): scripts/setup installs it", f->arg);
}

#define FEATURE(n, s, p, a)                                                                        \
	{                                                                                          \
		.name = n, .since = s, .probe = p, .arg = a                                        \
	}
static struct feature features[] = {
	FEATURE("root", "-", p_root, NULL),
	FEATURE("pidns", "2.6.24", p_ns, "pid"),
	FEATURE("mntns", "2.4.19", p_ns, "mnt"),
	FEATURE("utsns", "2.6.19", p_ns, "uts"),
	FEATURE("ipcns", "2.6.19", p_ns, "ipc"),
	FEATURE("netns", "2.6.29", p_ns, "net"),
	FEATURE("userns", "3.8", p_ns, "user"),
	FEATURE("cgroupns", "4.6", p_ns, "cgroup"),
	FEATURE("timens", "5.6", p_ns, "time"),
	FEATURE("unpriv-userns", "3.8", p_unpriv_userns, NULL),
	FEATURE("mqueue", "2.6.6", p_mqueue, NULL),
	FEATURE("veth", "2.6.24", p_veth, NULL),
	FEATURE("cgroup-v1", "2.6.24", p_cgroup_version, "1"),
	FEATURE("cgroup-v2", "4.5", p_cgroup_version, "2"),
	FEATURE("cgroup-cpu", "2.6.24", p_cgroup, "cpu"),
	FEATURE("cgroup-cpuset", "2.6.24", p_cgroup, "cpuset"),
	FEATURE("cgroup-pids", "4.3", p_cgroup, "pids"),
	FEATURE("cgroup-memory", "2.6.25", p_cgroup, "memory"),
	FEATURE("cgroup-devices", "2.6.26 (v2: 4.15, BPF)", p_cgroup, "devices"),
	FEATURE("cgroup-freezer", "2.6.28 (v2: 5.2)", p_cgroup, "freezer"),
	FEATURE("cgroup-kill", "5.14", p_cgroup_kill, NULL),
	FEATURE("seccomp", "2.6.12", p_seccomp, NULL),
	FEATURE("seccomp-filter", "3.5", p_seccomp_action, NULL),
	FEATURE("seccomp-kill-process", "4.14", p_seccomp_action, "kill_process"),
	FEATURE("seccomp-kill-thread", "3.5", p_seccomp_action, "kill_thread"),
	FEATURE("seccomp-trap", "3.5", p_seccomp_action, "trap"),
	FEATURE("seccomp-errno", "3.5", p_seccomp_action, "errno"),
	FEATURE("seccomp-trace", "3.5", p_seccomp_action, "trace"),
	FEATURE("seccomp-log", "4.14", p_seccomp_action, "log"),
	FEATURE("seccomp-notify", "5.0", p_seccomp_action, "user_notif"),
	FEATURE("ia32", "-", p_ia32, NULL),
	FEATURE("io-uring", "5.1", p_io_uring, NULL),
	FEATURE("ptrace", "-", p_ptrace, NULL),
	FEATURE("kmsg", "3.5", p_kmsg, NULL),
	FEATURE("landlock", "5.13", p_landlock, "1"),
	FEATURE("landlock-net", "6.7", p_landlock, "4"),
	FEATURE("apparmor", "2.6.36", p_apparmor, NULL),
	FEATURE("selinux", "2.6", p_selinux, NULL),
	FEATURE("docker", "-", p_docker, NULL),
	FEATURE("filecaps", "2.6.24", p_filecaps, NULL),
	FEATURE("privileged-port-80", "4.11 (sysctl)", p_port80, NULL),
	FEATURE("no-container", "-", p_no_container, NULL),
};

static struct feature *feature(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(features); i++)
		if (strcmp(features[i].name, name) == 0)
			return &features[i];
	return NULL;
}

static const struct feature *probe(struct feature *f)
{
	if (!f->done) {
		f->ok = f->probe(f, f->why, sizeof(f->why));
		f->done = true;
	}
	return f;
}

/* ---- labs ------------------------------------------------------------------------------- */

static const struct {
	const char *lab, *shows, *needs; /* needs: space-separated feature keywords */
} lab_table[] = {
	{"namespaces", "ns, nsinfo, nsjoin: a child in new namespaces", "root pidns mntns utsns"},
	{"mqueue", "receiver, sender: queues across IPC namespaces", "root ipcns mqueue"},
	{"user-namespaces", "ns -U: root inside, the caller outside", "userns unpriv-userns"},
	{"netpair", "two network namespaces joined by veth", "root netns veth"},
	{"cpushares", "cpu.shares / cpu.weight split measured", "root cgroup-cpu cgroup-cpuset"},
	{"forkbomb", "pids.max contains a fork bomb", "root cgroup-pids"},
	{"memlimit", "memory limit and the OOM killer", "root cgroup-memory"},
	{"cpuquota", "CPU quota changed live", "root cgroup-cpu"},
	{"devcg", "the devices controller", "root cgroup-devices"},
	{"capabilities", "capshow, capexec, capcalc", "root"},
	{"filecaps", "file capabilities and execve", "root filecaps privileged-port-80"},
	{"privileges", "stepdown, nnp, rofs", "root mntns"},
	{"seccomp", "strict, filter, argfilter, seccomp-run", "seccomp seccomp-filter"},
	{"seccomp-notify", "filter --action notify", "seccomp-notify"},
	{"seccomp-ia32", "a filter without the arch check", "seccomp-filter ia32"},
	{"sctrace", "trace a program into a profile", "seccomp-trace ptrace"},
	{"landlock", "landlock: files and ports", "landlock"},
	{"apparmor", "aagen profiles enforced", "root apparmor"},
	{"selinux", "SELinux labels enforced", "selinux"},
	{"docker", "the docker lane", "root docker"},
};

/* ---- output ----------------------------------------------------------------------------- */

static bool json;
static int nfacts;

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void fact(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fact(const char *key, const char *fmt, ...)
{
	char val[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (json) {
		printf("%s\n    ", nfacts++ ? "," : "");
		json_str(key);
		printf(": ");
		json_str(val);
	} else {
		printf("%s: %s\n", key, val);
	}
}

static void section(const char *title)
{
	if (!json)
		printf("\n%s# %s%s\n", term_bold(stdout), title, term_reset(stdout));
}

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

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void facts(void)
{
	struct utsname u;
	struct cg_mount m[32];
	char buf[2048], ver[64];
	const char *src;
	DIR *d;
	struct dirent *e;
	int n, v1 = 0, v2 = 0, v2ctl = 0;

	uname(&u);
	section("machine");
	fact("kernel", "%s", u.release);
	fact("arch", "%s", u.machine);
	fact("root", "%s (euid %d)", geteuid() == 0 ? "yes" : "no", (int)geteuid());
	fact("container", "%s", container_runtime());
	fact("docker engine", "%s",
	     docker_ping(ver, sizeof(ver))
		     ? (snprintf(buf, sizeof(buf), "answers, version %s", *ver ? ver : "?"), buf)
		     : "not answering");

	section("namespaces");
	buf[0] = '\0';
	if ((d = opendir("/proc/self/ns")) != NULL) {
		char names[32][32];
		int k = 0;

		while ((e = readdir(d)) != NULL && k < 32)
			if (e->d_name[0] != '.')
				snprintf(names[k++], sizeof(names[0]), "%.31s", e->d_name);
		closedir(d);
		qsort(names, (size_t)k, sizeof(names[0]), by_name);
		for (int i = 0; i < k; i++)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " " : "",
				 names[i]);
	}
	fact("namespaces", "%s", buf);
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

	section("cgroups");
	n = cg_mounts(m, 32);
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
		if (json) { /* keys must be unique in JSON: the mount point goes into the key */
			char key[PATH_MAX + 16];

			snprintf(key, sizeof(key), "cgroup v%d %s", m[i].version, m[i].path);
			fact(key, "%s",
			     m[i].controllers[0] ? m[i].controllers : "(no controllers)");
		} else {
			fact(m[i].version == CG_V1 ? "cgroup v1" : "cgroup v2", "%s: %s", m[i].path,
			     m[i].controllers[0] ? m[i].controllers : "(no controllers)");
		}
	fact("own cgroup", "%s", line_of("/proc/self/cgroup"));

	section("seccomp");
	fact("seccomp mode", "%s (0 none, 1 strict, 2 filter)", status_field("Seccomp"));
	fact("seccomp actions", "%s", line_of("/proc/sys/kernel/seccomp/actions_avail"));
	fact("seccomp actions logged", "%s", line_of("/proc/sys/kernel/seccomp/actions_logged"));

	section("capabilities and privileges");
	{
		cap_t caps = cap_get_proc();
		static const struct {
			const char *name;
			cap_flag_t set;
		} sets[] = {{"effective", CAP_EFFECTIVE},
			    {"permitted", CAP_PERMITTED},
			    {"inheritable", CAP_INHERITABLE}};

		for (size_t i = 0; caps && i < ARRAY_SIZE(sets); i++) {
			char key[48];

			caps_of_set(caps, sets[i].set, buf, sizeof(buf));
			snprintf(key, sizeof(key), "capabilities %s", sets[i].name);
			fact(key, "%s", buf);
		}
		if (caps)
			cap_free(caps);
		fact("capabilities bounding", "%s (hex)", status_field("CapBnd"));
		fact("capabilities ambient", "%s (hex)", status_field("CapAmb"));
	}
	fact("cap_last_cap", "%s", line_of("/proc/sys/kernel/cap_last_cap"));
	fact("no_new_privs", "%d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));

	section("security modules");
	{
		const char *l = lsm_list(&src);

		fact("lsm", "%s (from %s)", *l ? l : "unknown", src);
	}
	fact("apparmor", "%s",
	     probe(feature("apparmor"))->ok ? "enabled" : feature("apparmor")->why);
	fact("selinux", "%s", feature("selinux")->probe(feature("selinux"), buf, 256) ? buf : buf);
	{
		int abi = landlock_abi();

		fact("landlock", abi > 0 ? "ABI %d" : "not available (%d)", abi);
	}

	section("kernel config");
	fact("kernel config source", "%s",
	     kconfig_source() ? kconfig_source() : "unknown (no readable config)");
	{
		static const char *const keys[] = {"CONFIG_SECCOMP",
						   "CONFIG_SECCOMP_FILTER",
						   "CONFIG_HAVE_ARCH_SECCOMP_FILTER",
						   "CONFIG_NAMESPACES",
						   "CONFIG_USER_NS",
						   "CONFIG_PID_NS",
						   "CONFIG_NET_NS",
						   "CONFIG_TIME_NS",
						   "CONFIG_CGROUPS",
						   "CONFIG_CGROUP_PIDS",
						   "CONFIG_MEMCG",
						   "CONFIG_CGROUP_SCHED",
						   "CONFIG_CPUSETS",
						   "CONFIG_CGROUP_DEVICE",
						   "CONFIG_CGROUP_BPF",
						   "CONFIG_SECURITY_LANDLOCK",
						   "CONFIG_SECURITY_APPARMOR",
						   "CONFIG_SECURITY_SELINUX",
						   "CONFIG_IA32_EMULATION",
						   "CONFIG_VETH",
						   "CONFIG_POSIX_MQUEUE"};

		for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
			fact(keys[i], "%s", kconfig(keys[i]));
	}

	section("sysctls that decide outcomes");
	{
		static const char *const ctl[][2] = {
			{"net.ipv4.ip_unprivileged_port_start",
			 "/proc/sys/net/ipv4/ip_unprivileged_port_start"},
			{"net.ipv4.ping_group_range", "/proc/sys/net/ipv4/ping_group_range"},
			{"kernel.unprivileged_userns_clone",
			 "/proc/sys/kernel/unprivileged_userns_clone"},
			{"kernel.apparmor_restrict_unprivileged_userns",
			 "/proc/sys/kernel/apparmor_restrict_unprivileged_userns"},
			{"kernel.yama.ptrace_scope", "/proc/sys/kernel/yama/ptrace_scope"},
			{"kernel.io_uring_disabled", "/proc/sys/kernel/io_uring_disabled"},
			{"fs.mqueue.msg_max", "/proc/sys/fs/mqueue/msg_max"},
			{"fs.mqueue.msgsize_max", "/proc/sys/fs/mqueue/msgsize_max"},
		};

		for (size_t i = 0; i < ARRAY_SIZE(ctl); i++) {
			const char *v = line_of(ctl[i][1]);

			fact(ctl[i][0], "%s", *v ? v : "(absent)");
		}
	}

	section("mounts that change outcomes");
	{
		FILE *f = fopen("/proc/self/mounts", "re");
		char line[1024], dev[256], mnt[512], type[64], opts[512];

		buf[0] = '\0';
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "%255s %511s %63s %511s", dev, mnt, type, opts) == 4 &&
			    cg_has(opts, "nosuid") &&
			    (strcmp(mnt, "/") == 0 || strcmp(mnt, "/tmp") == 0 ||
			     strcmp(mnt, "/home") == 0 || strcmp(mnt, "/root") == 0 ||
			     strcmp(mnt, "/work") == 0 || strcmp(mnt, "/var/tmp") == 0 ||
			     strcmp(mnt, "/dev/shm") == 0))
				snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
					 buf[0] ? " " : "", mnt);
		if (f)
			fclose(f);
		fact("nosuid mounts", "%s (file capabilities and setuid bits are ignored there)",
		     buf[0] ? buf : "none of / /tmp /home /root /var/tmp /dev/shm");
	}

	section("tools");
	{
		static const char *const tools[] = {"bats",
						    "strace",
						    "stress-ng",
						    "busybox",
						    "ip",
						    "setcap",
						    "getcap",
						    "capsh",
						    "pscap",
						    "filecap",
						    "captest",
						    "getfattr",
						    "curl",
						    "docker",
						    "qemu-system-x86_64",
						    "apparmor_parser",
						    "aa-exec",
						    "sestatus"};

		buf[0] = '\0';
		for (size_t i = 0; i < ARRAY_SIZE(tools); i++)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s%s",
				 i ? " " : "", on_path(tools[i]) ? "+" : "-", tools[i]);
		fact("tools (+ present, - missing)", "%s", buf);
	}
}

static void report_features(void)
{
	section("features (doctor --check NAME)");
	for (size_t i = 0; i < ARRAY_SIZE(features); i++) {
		const struct feature *f = probe(&features[i]);

		if (json) {
			char key[64];

			snprintf(key, sizeof(key), "feature %s", f->name);
			fact(key, "%s: %s", f->ok ? "yes" : "no", f->why);
		} else {
			printf("feature: %-21s %s%-3s%s %s\n", f->name,
			       f->ok ? term_green(stdout) : term_red(stdout), f->ok ? "yes" : "no",
			       term_reset(stdout), f->why);
		}
	}
}

static void report_labs(void)
{
	section("labs on this machine");
	for (size_t i = 0; i < ARRAY_SIZE(lab_table); i++) {
		char needs[256], missing[512] = "", key[64];
		char *save = NULL;

		snprintf(needs, sizeof(needs), "%s", lab_table[i].needs);
		for (char *w = strtok_r(needs, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			const struct feature *f = probe(feature(w));

			if (!f->ok)
				snprintf(missing + strlen(missing),
					 sizeof(missing) - strlen(missing), "%s%s (%s)",
					 missing[0] ? "; " : "", w, f->why);
		}
		snprintf(key, sizeof(key), "lab %s", lab_table[i].lab);
		if (json)
			fact(key, "%s", missing[0] ? missing : "can run");
		else if (!missing[0])
			printf("lab: %-16s %scan run%s    %s\n", lab_table[i].lab,
			       term_green(stdout), term_reset(stdout), lab_table[i].shows);
		else
			printf("lab: %-16s %swill skip%s: %s\n", lab_table[i].lab, term_red(stdout),
			       term_reset(stdout), missing);
	}
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [--json] [--check FEATURE] [--features]\n"
		"What can this machine demonstrate? Reads the kernel and prints key: value facts,\n"
		"one line per feature the labs need, and which labs can run here.\n\n"
		"  -c, --check FEATURE  exit 0 if FEATURE is available, 1 if not (reason on "
		"stdout),\n"
		"                       2 if FEATURE is not a keyword (see --features)\n"
		"  -f, --features       list the feature keywords and the kernel that added each\n"
		"  -j, --json           print the facts as JSON\n"
		"  -h, --help           this help\n"
		"Features also accept tool:NAME (an executable on PATH).\n",
		progname);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"check", required_argument, NULL, 'c'},
					     {"features", no_argument, NULL, 'f'},
					     {"json", no_argument, NULL, 'j'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *check = NULL;
	bool list = false;
	int c;

	prog_init(argv[0]);
	while ((c = getopt_long(argc, argv, "c:fjh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			check = optarg;
			break;
		case 'f':
			list = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);

	if (check) {
		struct feature tool = FEATURE("tool", "-", p_tool, NULL);
		struct feature *f = feature(check);

		if (strncmp(check, "tool:", 5) == 0 && check[5]) {
			tool.arg = check + 5;
			f = &tool;
		}
		if (!f) {
			printf("unknown feature '%s' (doctor --features lists them)\n", check);
			return EXIT_USAGE;
		}
		probe(f);
		printf("%s\n", f->why);
		return f->ok ? EXIT_OK : EXIT_FAIL;
	}
	if (list) {
		for (size_t i = 0; i < ARRAY_SIZE(features); i++)
			printf("%-21s since %s\n", features[i].name, features[i].since);
		printf("%-21s an executable on PATH\n", "tool:NAME");
		return EXIT_OK;
	}
	if (json)
		printf("{\n  \"facts\": {");
	facts();
	report_features();
	report_labs();
	if (json)
		printf("\n  }\n}\n");
	else
		printf("\nReasons name what is missing; LAB_GUIDE.md, chapter \"Getting started\", "
		       "explains each.\n");
	return EXIT_OK;
}
