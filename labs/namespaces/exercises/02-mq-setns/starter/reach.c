/* reach.c - send a message to a POSIX queue in another process's IPC namespace. Your answer
 * (task.md).
 *
 * Usage: reach PID QUEUE TEXT  (as root). Should join the IPC namespace of PID, open QUEUE
 * there (it must exist: no O_CREAT) and send TEXT. Exit: 0 sent, 1 a step failed.
 * Read: setns(2), namespaces(7), ipc_namespaces(7), mq_overview(7), mq_open(3), mq_send(3).
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
	mqd_t q;

	if (argc != 4) {
		fprintf(stderr, "usage: reach PID QUEUE TEXT\n");
		return 2;
	}

	/* TODO: join the IPC namespace of process argv[1]. */

	q = mq_open(argv[2], O_WRONLY);
	if (q == (mqd_t)-1)
		return fail("mq_open");
	if (mq_send(q, argv[3], strlen(argv[3]), 0))
		return fail("mq_send");
	mq_close(q);
	return 0;
}
