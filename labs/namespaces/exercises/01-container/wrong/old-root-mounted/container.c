/* container.c - a container in one page: new PID, UTS and mount namespaces, a hostname, a new
 * root by pivot_root(2), a fresh /proc, then CMD as PID 1. Known-wrong: the old root stays mounted.
 *
 * Usage: container ROOTFS HOSTNAME CMD [ARG]...  (as root). CMD is a path inside ROOTFS.
 * Exit: CMD's status (128+N when signal N killed it), 1 when a step fails.
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
#include <sys/wait.h>
#include <unistd.h>

#define STACK_SIZE (1024 * 1024)

struct args {
	char *rootfs;
	char *hostname;
	char **cmd;
};

static void fail(const char *call)
{
	fprintf(stderr, "container: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* Runs in the new namespaces: PID 1 of the new PID namespace. */
static int child(void *arg)
{
	struct args *a = arg;

	if (sethostname(a->hostname, strlen(a->hostname)))
		fail("sethostname");
	/* Our mounts must not propagate back to the parent's namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		fail("mount --make-rprivate /");
	/* pivot_root wants the new root to be a mount point: bind it onto itself. */
	if (mount(a->rootfs, a->rootfs, NULL, MS_BIND | MS_REC, NULL))
		fail("mount --bind ROOTFS");
	if (chdir(a->rootfs))
		fail("chdir ROOTFS");
	if (mkdir(".oldroot", 0700) && errno != EEXIST)
		fail("mkdir .oldroot");
	if (syscall(SYS_pivot_root, ".", ".oldroot"))
		fail("pivot_root");
	if (chdir("/"))
		fail("chdir /");
	/* (the old root stays at /.oldroot: the host's whole tree, one path away) */
	/* A proc mount shows the PID namespace of the process that mounts it: ours. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		fail("mount proc");
	execv(a->cmd[0], a->cmd);
	fail("execv");
	return 1;
}

int main(int argc, char **argv)
{
	struct args a;
	char *stack;
	int status;
	pid_t pid;

	if (argc < 4) {
		fprintf(stderr, "usage: container ROOTFS HOSTNAME CMD [ARG]...\n");
		return 2;
	}
	a.rootfs = argv[1];
	a.hostname = argv[2];
	a.cmd = argv + 3;
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED)
		fail("mmap");
	pid = clone(child, stack + STACK_SIZE, CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS | SIGCHLD,
		    &a);
	if (pid < 0)
		fail("clone");
	if (waitpid(pid, &status, 0) < 0)
		fail("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
