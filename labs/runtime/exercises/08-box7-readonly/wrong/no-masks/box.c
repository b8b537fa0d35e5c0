/* box.c - a container runtime of your own, level 7: namespaces, pivot_root, /proc and /dev, a
 * cgroup, Docker's capabilities, no_new_privs and seccomp, a read-only root and masked paths.
 *
 *
 * KNOWN WRONG: read-only root and /proc/sys, but nothing is masked.
 *
 * Usage: box ROOTFS CMD [ARG]...  (as root). CMD is a path inside ROOTFS.
 * Exit: CMD's status (128+N when signal N killed it), 1 when a step fails, 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_SIZE (1024 * 1024)
#define HOSTNAME   "cseclab-box"
#define PIDS_MAX   "32"
#define MEMORY_MAX "67108864" /* 64 MiB */
#define N(a)	   (sizeof(a) / sizeof((a)[0]))

struct box {
	char *rootfs;
	char **cmd;
	int sync[2]; /* closed by the parent once the child is in the cgroup */
};

static void fail(const char *call)
{
	fprintf(stderr, "box: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* ---- level 4: a cgroup cseclab-box-PID, one directory (v2) or one per controller (v1) ---- */

static char cgroups[2][64];
static int ncgroups, cgroup_v2;

static void write_file(const char *dir, const char *file, const char *value)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		fail(path);
	close(fd);
}

static void cgroup_create(void)
{
	struct statfs fs;

	if (statfs("/sys/fs/cgroup", &fs))
		fail("statfs /sys/fs/cgroup");
	cgroup_v2 = fs.f_type == CGROUP2_SUPER_MAGIC;
	if (cgroup_v2) {
		/* v2: one tree; the root hands the controllers down to its children. */
		write_file("/sys/fs/cgroup", "cgroup.subtree_control", "+pids +memory");
		snprintf(cgroups[0], sizeof(cgroups[0]), "/sys/fs/cgroup/cseclab-box-%d", getpid());
		ncgroups = 1;
	} else {
		snprintf(cgroups[0], sizeof(cgroups[0]), "/sys/fs/cgroup/pids/cseclab-box-%d",
			 getpid());
		snprintf(cgroups[1], sizeof(cgroups[1]), "/sys/fs/cgroup/memory/cseclab-box-%d",
			 getpid());
		ncgroups = 2;
	}
	for (int i = 0; i < ncgroups; i++)
		if (mkdir(cgroups[i], 0755))
			fail("mkdir cgroup");
	write_file(cgroups[0], "pids.max", PIDS_MAX);
	write_file(cgroups[ncgroups - 1], cgroup_v2 ? "memory.max" : "memory.limit_in_bytes",
		   MEMORY_MAX);
}

static void cgroup_join(pid_t pid)
{
	char value[16];

	snprintf(value, sizeof(value), "%d", pid);
	for (int i = 0; i < ncgroups; i++)
		write_file(cgroups[i], "cgroup.procs", value);
}

static void cgroup_remove(void)
{
	/* The last processes of the PID namespace may still be on their way out: retry. */
	for (int i = 0; i < ncgroups; i++)
		for (int try = 0; rmdir(cgroups[i]) && errno == EBUSY && try < 100; try++)
			usleep(10000);
}

/* ---- level 2: ROOTFS becomes / of the mount namespace; the host's tree is detached ---- */

static void enter_rootfs(const char *rootfs)
{
	/* Our mounts must not propagate back to the parent's namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		fail("mount --make-rprivate /");
	/* pivot_root wants the new root to be a mount point: bind it onto itself. */
	if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL))
		fail("mount --bind ROOTFS");
	if (chdir(rootfs))
		fail("chdir ROOTFS");
	if (mkdir(".oldroot", 0700) && errno != EEXIST)
		fail("mkdir .oldroot");
	if (syscall(SYS_pivot_root, ".", ".oldroot"))
		fail("pivot_root");
	if (chdir("/"))
		fail("chdir /");
	if (umount2("/.oldroot", MNT_DETACH))
		fail("umount2 /.oldroot");
	if (rmdir("/.oldroot"))
		fail("rmdir /.oldroot");
}

/* ---- level 3: a /proc of the new PID namespace, a /dev of six devices ---- */

static const struct {
	const char *path;
	unsigned int major, minor;
} devices[] = {{"/dev/null", 1, 3},   {"/dev/zero", 1, 5},    {"/dev/full", 1, 7},
	       {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0}};

static void mount_proc_dev(void)
{
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		fail("mount proc");
	if (mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k"))
		fail("mount tmpfs /dev");
	for (size_t i = 0; i < N(devices); i++)
		if (mknod(devices[i].path, S_IFCHR | 0666,
			  makedev(devices[i].major, devices[i].minor)))
			fail("mknod");
}

/* ---- level 7: a read-only root, masked and read-only paths (Docker's lists, in part) ---- */

static const char *const read_only[] = {"/proc/sys", "/proc/sysrq-trigger", "/proc/irq",
					"/proc/bus"};

static void lock_paths(void)
{
	for (size_t i = 0; i < N(read_only); i++) {
		if (mount(read_only[i], read_only[i], NULL, MS_BIND | MS_REC, NULL)) {
			if (errno == ENOENT)
				continue;
			fail("mount --bind PATH PATH");
		}
		if (mount(NULL, read_only[i], NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL))
			fail("mount -o remount,bind,ro PATH");
	}
	if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL))
		fail("mount -o remount,bind,ro /");
}

/* ---- level 5: Docker's 14 capabilities; nothing inheritable, nothing ambient ---- */

static const int docker_caps[] = {
	CAP_CHOWN,	CAP_DAC_OVERRIDE, CAP_FOWNER,	   CAP_FSETID,		 CAP_KILL,
	CAP_SETGID,	CAP_SETUID,	  CAP_SETPCAP,	   CAP_NET_BIND_SERVICE, CAP_NET_RAW,
	CAP_SYS_CHROOT, CAP_MKNOD,	  CAP_AUDIT_WRITE, CAP_SETFCAP};

static void drop_caps(void)
{
	struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	unsigned long long keep = 0;

	for (size_t i = 0; i < N(docker_caps); i++)
		keep |= 1ULL << docker_caps[i];
	/* The bounding set caps what execve gives root: drop every other capability from it. */
	for (unsigned long c = 0; prctl(PR_CAPBSET_READ, c, 0, 0, 0) >= 0; c++)
		if (!(keep & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0))
			fail("prctl PR_CAPBSET_DROP");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0))
		fail("prctl PR_CAP_AMBIENT_CLEAR_ALL");
	memset(data, 0, sizeof(data));
	data[0].permitted = data[0].effective = (unsigned int)keep;
	data[1].permitted = data[1].effective = (unsigned int)(keep >> 32);
	if (syscall(SYS_capset, &head, data))
		fail("capset");
}

/* ---- level 6: no_new_privs, then a seccomp filter, the last step before execve ---- */

static void load_seccomp(void)
{
	static const int denied[] = {SCMP_SYS(mount), SCMP_SYS(umount2), SCMP_SYS(ptrace),
				     SCMP_SYS(unshare)};
	scmp_filter_ctx ctx;
	int rc;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		fail("prctl PR_SET_NO_NEW_PRIVS");
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		errno = ENOMEM;
		fail("seccomp_init");
	}
	for (size_t i = 0; i < N(denied); i++) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0);
		if (rc) {
			errno = -rc;
			fail("seccomp_rule_add");
		}
	}
	rc = seccomp_load(ctx);
	if (rc) {
		errno = -rc;
		fail("seccomp_load");
	}
	seccomp_release(ctx);
}

/* ---- the container's first process: PID 1 of the new PID namespace ---- */

static int child(void *arg)
{
	struct box *b = arg;
	char c;

	/* Wait until the parent has put us in the cgroup: end of file on the pipe. */
	close(b->sync[1]);
	if (read(b->sync[0], &c, 1) < 0)
		fail("read sync pipe");
	close(b->sync[0]);
	if (sethostname(HOSTNAME, strlen(HOSTNAME)))
		fail("sethostname");
	enter_rootfs(b->rootfs);
	mount_proc_dev();
	lock_paths();
	drop_caps();
	load_seccomp();
	execv(b->cmd[0], b->cmd);
	fail("execv");
	return 1;
}

int main(int argc, char **argv)
{
	struct box b;
	char *stack;
	int status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: box ROOTFS CMD [ARG]...\n");
		return 2;
	}
	b.rootfs = argv[1];
	b.cmd = argv + 2;
	cgroup_create();
	if (pipe(b.sync))
		fail("pipe");
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED)
		fail("mmap");
	pid = clone(child, stack + STACK_SIZE,
		    CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET |
			    SIGCHLD,
		    &b);
	if (pid < 0)
		fail("clone");
	close(b.sync[0]);
	cgroup_join(pid);
	close(b.sync[1]); /* the child goes on */
	if (waitpid(pid, &status, 0) < 0)
		fail("waitpid");
	cgroup_remove();
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
