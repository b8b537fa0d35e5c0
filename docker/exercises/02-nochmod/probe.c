/* probe.c - the grader's probe for exercise nochmod (built by check, bind-mounted into a
 * cseclab/labs container run with the learner's seccomp profile, and once with
 * seccomp=unconfined as a control). It makes a file in /tmp, tries each way to change its
 * mode, then does the ordinary work every program does, and prints one line per try:
 * "NAME: ok" or "NAME: ERRNO" (the kernel's errno by name). Under a profile that kills, it
 * dies inside the call instead, and the container's exit status says SIGSYS.
 *   chmod  chmod(2)   fchmod  fchmod(2)   fchmodat  fchmodat(2) (what coreutils' chmod calls)
 *   work   open, write, read, stat, fork and wait: the rest still works
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FILE_PATH "/tmp/cseclab-ex-probe"

static void report(const char *name, int rc)
{
	if (rc < 0)
		printf("%s: %s\n", name, strerrorname_np(errno));
	else
		printf("%s: ok\n", name);
}

/* Ordinary work: write a file, read it back, stat it, fork a child and reap it. */
static int work(void)
{
	char buf[8];
	struct stat st;
	int fd, status;
	pid_t pid;

	fd = open(FILE_PATH ".w", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, "cseclab", 7) != 7 || pread(fd, buf, 7, 0) != 7 ||
	    fstat(fd, &st) < 0)
		return -1;
	close(fd);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return 0;
}

int main(void)
{
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(FILE_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		printf("probe: open %s: %s\n", FILE_PATH, strerrorname_np(errno));
		return 1;
	}
	printf("probe: start\n");
	report("work", work());
	report("chmod", chmod(FILE_PATH, 0600));
	report("fchmod", fchmod(fd, 0600));
	report("fchmodat", fchmodat(AT_FDCWD, FILE_PATH, 0600, 0));
	printf("probe: done\n");
	return 0;
}
