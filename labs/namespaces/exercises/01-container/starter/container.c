/* container.c - a container in one page: new PID, UTS and mount namespaces, a hostname, a new
 * root, a fresh /proc, then CMD as PID 1. Your answer (task.md).
 *
 * Usage: container ROOTFS HOSTNAME CMD [ARG]...  (as root). CMD is a path inside ROOTFS.
 * Exit: CMD's status (128+N when signal N killed it), 1 when a step fails.
 * Today it is only a chroot jail: no namespace, no hostname, no /proc, and chroot(2) is
 * escapable. Read: clone(2), namespaces(7), sethostname(2), pivot_root(2), umount2(2), mount(2).
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

	/* TODO: the hostname. */

	/* TODO: a real new root (pivot_root), the old one detached. For now: a chroot jail. */
	if (chdir(a->rootfs))
		fail("chdir ROOTFS");
	if (chroot("."))
		fail("chroot");
	if (chdir("/"))
		fail("chdir /");

	/* TODO: a /proc of the new PID namespace. */

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
	/* TODO: the namespaces. */
	pid = clone(child, stack + STACK_SIZE, SIGCHLD, &a);
	if (pid < 0)
		fail("clone");
	if (waitpid(pid, &status, 0) < 0)
		fail("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
