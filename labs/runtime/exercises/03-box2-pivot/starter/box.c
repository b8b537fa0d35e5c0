/* box.c - a container runtime of your own, level 2: a new root by pivot_root(2),
 * the host's tree detached. Your answer
 * (task.md). It is level 1's answer: the TODO (level 2) comments say what to add.
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
#define HOSTNAME   "cseclab-box"

struct box {
	char *rootfs;
	char **cmd;
};

static void fail(const char *call)
{
	fprintf(stderr, "box: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* ---- the container's first process: PID 1 of the new PID namespace ---- */

static int child(void *arg)
{
	struct box *b = arg;

	if (sethostname(HOSTNAME, strlen(HOSTNAME)))
		fail("sethostname");
	/* TODO (level 2): pivot_root(2) into ROOTFS, the old root detached, instead of this
	 * chroot jail: a root process climbs out of it (chrootbreak). */
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
