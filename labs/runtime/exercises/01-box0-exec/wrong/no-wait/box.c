/* box.c - a container runtime of your own, level 0: fork, chroot, exec and wait; box exits
 * with CMD's status.
 *
 * KNOWN WRONG: box starts CMD and exits at once, without waiting for it.
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
#include <sys/wait.h>
#include <unistd.h>

#define STACK_SIZE (1024 * 1024)

struct box {
	char *rootfs;
	char **cmd;
};

static void fail(const char *call)
{
	fprintf(stderr, "box: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* ---- the child: clone(2) with SIGCHLD alone is fork(2) ---- */

static int child(void *arg)
{
	struct box *b = arg;

	/* A chroot jail, for now: a root process climbs out of it (chrootbreak). */
	if (chroot(b->rootfs))
		fail("chroot");
	if (chdir("/"))
		fail("chdir /");
	execv(b->cmd[0], b->cmd);
	fail("execv");
	return 1;
}

int main(int argc, char **argv)
{
	struct box b;
	char *stack;
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
	pid = clone(child, stack + STACK_SIZE, SIGCHLD, &b);
	if (pid < 0)
		fail("clone");
	return 0;
}
