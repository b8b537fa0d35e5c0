/* sender.c - send messages to a POSIX message queue by name.
 *
 * Mechanism: IPC namespaces. mq_open(3) finds a queue by name in the caller's IPC namespace
 * only: a receiver's queue in another IPC namespace does not exist for this process.
 * What it does: opens the queue (default /cseclab-demo) for writing, never creating it, and
 * sends "ID:TEXT" COUNT times; the receiver prints "message from ID: TEXT".
 * Outcome: exit 0 and "sender: sent N message(s)"; exit 1 with "mq_open /cseclab-demo: No such
 * file or directory" when no queue of that name exists in this IPC namespace, EMSGSIZE for a
 * message longer than the queue's size, EAGAIN for a full queue with --nonblock.
 * Needs: CONFIG_POSIX_MQUEUE and a receiver in the same IPC namespace (nsjoin -i -t PID sender).
 * Read next: mq_overview(7), ipc_namespaces(7), mq_send(3).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <mqueue.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_QUEUE "/cseclab-demo"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-q NAME] [-i ID] [-n COUNT] [--nonblock] TEXT\n"
		"Send TEXT to the POSIX message queue a receiver created in this IPC namespace.\n\n"
		"  -q, --queue NAME   queue name, /cseclab... (default " DEFAULT_QUEUE ")\n"
		"  -i, --id ID        who the receiver says sent it (default: this PID)\n"
		"  -n, --count COUNT  send COUNT times (default 1)\n"
		"      --nonblock     fail with EAGAIN instead of waiting when the queue is full\n"
		"  -h, --help         this help\n\n"
		"Exit status: 0 sent, 1 the queue is missing, full or the message too long, 2 "
		"usage.\n",
		progname);
}

static void check_queue_name(const char *name)
{
	if (strncmp(name, "/cseclab", 8) != 0 || strchr(name + 1, '/') || strlen(name) > NAME_MAX)
		usage_error("queue name '%s': must start with /cseclab, no other '/'", name);
}

/* The queue is not there: say which IPC namespace we looked in, since that is the lesson. */
static _Noreturn void no_queue(const char *name)
{
	char ipc[64] = "?";

	if (readlink("/proc/self/ns/ipc", ipc, sizeof(ipc) - 1) == -1)
		warn_errno("readlink /proc/self/ns/ipc");
	dief("mq_open %s: %s (no such queue in this IPC namespace, %s)", name, strerror(ENOENT),
	     ipc);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"queue", required_argument, NULL, 'q'}, {"id", required_argument, NULL, 'i'},
		{"count", required_argument, NULL, 'n'}, {"nonblock", no_argument, NULL, 'N'},
		{"help", no_argument, NULL, 'h'},	 {NULL, 0, NULL, 0},
	};
	const char *name = DEFAULT_QUEUE;
	char idbuf[24], *msg;
	const char *id = NULL;
	long count = 1, sent = 0;
	int c, oflags = O_WRONLY | O_CLOEXEC;
	struct mq_attr attr;
	size_t len;
	mqd_t q;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, ":q:i:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			name = optarg;
			break;
		case 'i':
			id = optarg;
			break;
		case 'n':
			if (parse_long(optarg, 1, 1000000, &count) == -1)
				usage_error("-n: '%s' is not a count in 1..1000000", optarg);
			break;
		case 'N':
			oflags |= O_NONBLOCK;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (optind != argc - 1)
		usage_error(optind == argc ? "missing TEXT" : "one TEXT only (quote it)");
	check_queue_name(name);
	if (!id) {
		snprintf(idbuf, sizeof(idbuf), "%ld", (long)getpid());
		id = idbuf;
	}
	if (!*id || strchr(id, ':') || strlen(id) > 32)
		usage_error("-i: '%s': 1 to 32 characters, no ':'", id);

	/* No O_CREAT: a sender must find the receiver's queue, not make its own. */
	q = mq_open(name, oflags);
	if (q == (mqd_t)-1 && errno == ENOENT)
		no_queue(name);
	if (q == (mqd_t)-1 && errno == ENOSYS)
		unsupported("enable CONFIG_POSIX_MQUEUE", "mq_open: %s", strerror(errno));
	if (q == (mqd_t)-1)
		dief("mq_open %s: %s", name, strerror(errno));
	if (mq_getattr(q, &attr) == -1)
		die("mq_getattr");

	if (asprintf(&msg, "%s:%s", id, argv[optind]) == -1)
		die("asprintf");
	len = strlen(msg);
	for (sent = 0; sent < count; sent++) {
		if (mq_send(q, msg, len, 0) == 0)
			continue;
		if (errno == EINTR) {
			sent--;
			continue;
		}
		if (errno == EMSGSIZE)
			dief("mq_send: %s: the message is %zu bytes, the queue takes at most %ld",
			     strerror(errno), len, (long)attr.mq_msgsize);
		if (errno == EAGAIN)
			dief("mq_send: %s: the queue is full (%ld messages waiting) after %ld sent",
			     strerror(errno), (long)attr.mq_maxmsg, sent);
		die("mq_send");
	}
	printf("sender: sent %ld message(s) to %s as %s\n", sent, name, id);
	free(msg);
	mq_close(q);
	return EXIT_OK;
}
