/* probe.c - the graders' probe for the box exercises (labs/runtime/exercises/NN-boxK-*): a
 * static program that the learner's box runs as CMD (/cseclab-ex-probe in the root filesystem).
 *
 * Usage: cseclab-ex-probe [report] [wait] [exit N]   (the actions run in this order)
 *   report  try what a container must not do and write one line to the FIFO /cseclab-ex-out:
 *           "mount=E ptrace=E creat=E sysctl=E", E the errno each call got (0: it worked;
 *           sigN: the process trying it was killed by signal N)
 *   wait    block until a byte comes on the FIFO /cseclab-ex-go (the grader looks from outside)
 *   exit N  exit with status N (default 0)
 * The probe is the grader's own program: what it reports is the kernel's answer to its calls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

/* Each call runs in a child of its own, which exits with the errno the call got (0: it
 * worked): a call that a filter answers with a signal kills that child only, and a probe that
 * PTRACE_TRACEME made a tracee would stop its parent's wait. */
static int try_mount(void)
{
	if (mount("cseclab", "/tmp", "tmpfs", 0, NULL))
		return errno;
	umount2("/tmp", MNT_DETACH);
	return 0;
}

static int try_ptrace(void)
{
	return ptrace(PTRACE_TRACEME, 0, NULL, NULL) ? errno : 0;
}

static int try_creat(void)
{
	int fd = open("/cseclab-ex-w", O_WRONLY | O_CREAT | O_EXCL, 0600);

	if (fd < 0)
		return errno;
	close(fd);
	unlink("/cseclab-ex-w");
	return 0;
}

static int try_sysctl(void)
{
	int fd = open("/proc/sys/kernel/hostname", O_WRONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Appends " NAME=E" to OUT: E the child's exit status, sigN when signal N killed it. */
static void try(char *out, size_t len, const char *name, int (*call)(void))
{
	size_t n = strlen(out);
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(call());
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		snprintf(out + n, len - n, "%s=fork%d ", name, errno);
	else if (WIFSIGNALED(status))
		snprintf(out + n, len - n, "%s=sig%d ", name, WTERMSIG(status));
	else
		snprintf(out + n, len - n, "%s=%d ", name, WEXITSTATUS(status));
}

static int report(void)
{
	char out[256] = "";
	int fd;

	try(out, sizeof(out), "mount", try_mount);
	try(out, sizeof(out), "ptrace", try_ptrace);
	try(out, sizeof(out), "creat", try_creat);
	try(out, sizeof(out), "sysctl", try_sysctl);
	strcat(out, "\n");
	fd = open("/cseclab-ex-out", O_WRONLY);
	if (fd < 0 || write(fd, out, strlen(out)) < 0)
		return 3;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	char c;
	int fd;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "report") == 0) {
			if (report())
				return 3;
		} else if (strcmp(argv[i], "wait") == 0) {
			fd = open("/cseclab-ex-go", O_RDONLY);
			if (fd < 0 || read(fd, &c, 1) != 1)
				return 4;
			close(fd);
		} else if (strcmp(argv[i], "exit") == 0 && i + 1 < argc) {
			return atoi(argv[++i]);
		}
	}
	return 0;
}
