/* bomb.c - the grader's fork bomb for exercise pidsmax (built by check, run as
 * cseclab-ex-bomb FIFO SECONDS by the unprivileged user). It waits for a byte on FIFO, so that
 * the grader can move it into the learner's group first, then every process forks in a loop
 * (a fork refused with EAGAIN is retried a millisecond later) until SECONDS have passed since
 * the gate opened; then every process exits. It reports nothing: the grader reads the group's
 * pids.current, pids.peak and pids.events from the kernel.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const struct timespec ms = {.tv_sec = 0, .tv_nsec = 1000000};
	double end;
	char c;
	int fd;

	if (argc != 3)
		return 2;
	fd = open(argv[1], O_RDONLY); /* blocks until the grader opens it to write */
	if (fd < 0 || read(fd, &c, 1) != 1)
		return 3;
	close(fd);
	end = now() + atof(argv[2]);
	while (now() < end)
		if (fork() < 0)
			nanosleep(&ms, NULL); /* EAGAIN: the pids controller said no */
	return 0;
}
