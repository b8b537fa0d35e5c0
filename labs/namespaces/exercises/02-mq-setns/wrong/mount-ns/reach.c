/* reach.c - send a message to a POSIX queue in another process's IPC namespace. Known-wrong:
 * joins the mount namespace: POSIX queues belong to the IPC namespace.
 *
 * Usage: reach PID QUEUE TEXT  (as root). Joins the IPC namespace of PID with setns(2), opens
 * QUEUE there (it must exist: no O_CREAT) and sends TEXT. Exit: 0 sent, 1 a step failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fail(const char *call)
{
	fprintf(stderr, "reach: %s: %s\n", call, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	char path[64];
	mqd_t q;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: reach PID QUEUE TEXT\n");
		return 2;
	}
	/* A namespace is a file under /proc/PID/ns/: open it, then join it. */
	snprintf(path, sizeof(path), "/proc/%s/ns/mnt", argv[1]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(path);
	if (setns(fd, CLONE_NEWNS))
		return fail("setns");
	close(fd);
	/* mq_open looks the name up in the IPC namespace we are in now: the receiver's. */
	q = mq_open(argv[2], O_WRONLY);
	if (q == (mqd_t)-1)
		return fail("mq_open");
	if (mq_send(q, argv[3], strlen(argv[3]), 0))
		return fail("mq_send");
	mq_close(q);
	return 0;
}
