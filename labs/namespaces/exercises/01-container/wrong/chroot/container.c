/* container.c - a container in one page: new PID, UTS and mount namespaces, a hostname, a new
 * root, a fresh /proc, then CMD as PID 1. Known-wrong: a chroot, not pivot_root.
 *
 * Usage: container ROOTFS HOSTNAME CMD [ARG]...  (as root). CMD is a path inside ROOTFS.
 * Exit: CMD's status (128+N when signal N killed it), 1 when a step fails.
 * The namespaces, the hostname and /proc are right; the root is a chroot jail, which a root
 * process can climb out of.
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

/* Runs in the child clone(2) starts. */
static int child(void *arg)
{
	struct args *a = arg;

	if (sethostname(a->hostname, strlen(a->hostname)))
		fail("sethostname");

	/* chroot only moves where "/" starts: the old tree is still mounted above it. */
	if (chdir(a->rootfs))
		fail("chdir ROOTFS");
	if (chroot("."))
		fail("chroot");
	if (chdir("/"))
		fail("chdir /");

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
