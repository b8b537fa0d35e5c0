/* box.c - a container runtime of your own, level 3: namespaces, pivot_root, a /proc and a
 * /dev of its own.
 *
 * KNOWN WRONG: the device nodes are made in ROOTFS's /dev itself, on the host's filesystem.
 *
 * Usage: box ROOTFS CMD [ARG]...  (as root). CMD is a path inside ROOTFS.
 * Exit: CMD's status (128+N when signal N killed it), 1 when a step fails, 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define STACK_SIZE (1024 * 1024)
#define HOSTNAME   "cseclab-box"
#define N(a)	   (sizeof(a) / sizeof((a)[0]))

struct box {
	char *rootfs;
	char **cmd;
};

static void fail(const char *call)
{
	fprintf(stderr, "box: %s: %s\n", call, strerror(errno));
	exit(1);
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
	for (size_t i = 0; i < N(devices); i++)
		if (mknod(devices[i].path, S_IFCHR | 0666,
			  makedev(devices[i].major, devices[i].minor)))
			fail("mknod");
}

/* ---- the container's first process: PID 1 of the new PID namespace ---- */

static int child(void *arg)
{
	struct box *b = arg;

	if (sethostname(HOSTNAME, strlen(HOSTNAME)))
		fail("sethostname");
	enter_rootfs(b->rootfs);
	mount_proc_dev();
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
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED)
		fail("mmap");
	pid = clone(child, stack + STACK_SIZE,
		    CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET |
			    SIGCHLD,
		    &b);
	if (pid < 0)
		fail("clone");
	if (waitpid(pid, &status, 0) < 0)
		fail("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
