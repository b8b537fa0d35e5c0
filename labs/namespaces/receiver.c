/* receiver.c - create a POSIX message queue and print every message sent to it.
 *
 * Mechanism: IPC namespaces. A POSIX message queue lives in the IPC namespace of the process
 * that created it: only processes in that namespace can open it by name.
 * What it does: mq_open(O_CREAT|O_EXCL) a queue (default /cseclab-demo), print a ready line
 * naming its IPC namespace, then print "message from ID: TEXT" for each message; removes the
 * queue on exit, on error and on SIGINT/SIGTERM/SIGHUP.
 * Outcome: exit 0 after COUNT messages (-n), or death by the signal that stopped it; exit 1 if
 * the queue exists already or its size exceeds fs.mqueue limits (EINVAL without CAP_SYS_RESOURCE).
 * Needs: CONFIG_POSIX_MQUEUE. Run it in a new IPC namespace with "ns -i receiver".
 * Read next: mq_overview(7), ipc_namespaces(7), mq_open(3).
 */
#define _GNU_SOURCE
#include "cleanup.h"
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
		"Usage: %s [-q NAME] [-n COUNT] [--max-messages N] [--message-size BYTES]\n"
		"Create a POSIX message queue and print each message sent to it (see sender).\n\n"
		"  -q, --queue NAME        queue name, /cseclab... (default " DEFAULT_QUEUE ")\n"
		"  -n, --count COUNT       exit after COUNT messages (default: until Ctrl-C)\n"
		"      --max-messages N    queue capacity (default 8, at most fs.mqueue.msg_max)\n"
		"      --message-size B    largest message (default 256, at most "
		"fs.mqueue.msgsize_max)\n"
		"  -v, --verbose           narrate\n"
		"  -h, --help              this help\n\n"
		"The queue is removed on exit and on SIGINT/SIGTERM/SIGHUP.\n"
		"Exit status: 0 after COUNT messages, 1 on error, 2 usage.\n",
		progname);
}

/* The suite's rule: everything it creates is named cseclab*, so cleanup can find it. */
static void check_queue_name(const char *name)
{
	if (strncmp(name, "/cseclab", 8) != 0 || strchr(name + 1, '/') || strlen(name) > NAME_MAX)
		usage_error("queue name '%s': must start with /cseclab, no other '/'", name);
}

/* Runs at exit or from the signal handler: mq_unlink is a plain system call, safe there. */
static void remove_queue(void *name)
{
	mq_unlink(name);
}

static long sysctl_limit(const char *path)
{
	long v;

	return read_long(path, &v) == 0 ? v : -1;
}

static mqd_t create_queue(const char *name, long maxmsg, long msgsize)
{
	struct mq_attr attr = {.mq_maxmsg = maxmsg, .mq_msgsize = msgsize};
	long msg_max = sysctl_limit("/proc/sys/fs/mqueue/msg_max");
	long msgsize_max = sysctl_limit("/proc/sys/fs/mqueue/msgsize_max");
	mqd_t q;

	/* O_EXCL: a queue of that name in this IPC namespace is someone else's, not ours. */
	q = mq_open(name, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
	if (q != (mqd_t)-1)
		return q;
	if (errno == EEXIST)
		dief("mq_open %s: %s (another receiver in this IPC namespace, or one that was "
		     "killed: make clean-system)",
		     name, strerror(errno));
	if (errno == EINVAL && (maxmsg > msg_max || msgsize > msgsize_max))
		dief("mq_open %s: %s: %ld messages of %ld bytes exceeds fs.mqueue.msg_max=%ld or "
		     "msgsize_max=%ld; going above needs CAP_SYS_RESOURCE",
		     name, strerror(errno), maxmsg, msgsize, msg_max, msgsize_max);
	if (errno == ENOSYS)
		unsupported("enable CONFIG_POSIX_MQUEUE", "mq_open: %s", strerror(errno));
	dief("mq_open %s: %s", name, strerror(errno));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"queue", required_argument, NULL, 'q'},
		{"count", required_argument, NULL, 'n'},
		{"max-messages", required_argument, NULL, 'M'},
		{"message-size", required_argument, NULL, 'S'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *name = DEFAULT_QUEUE;
	long count = 0, maxmsg = 8, msgsize = 256, got = 0;
	char ipc[64] = "?", *buf, *colon;
	ssize_t n;
	mqd_t q;
	int c;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, ":q:n:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			name = optarg;
			break;
		case 'n':
			if (parse_long(optarg, 1, LONG_MAX, &count) == -1)
				usage_error("-n: '%s' is not a positive count", optarg);
			break;
		case 'M':
			if (parse_long(optarg, 1, 65536, &maxmsg) == -1)
				usage_error("--max-messages: '%s' is not in 1..65536", optarg);
			break;
		case 'S':
			if (parse_long(optarg, 1, 16 * 1024 * 1024, &msgsize) == -1)
				usage_error("--message-size: '%s' is not in 1..16777216", optarg);
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	check_queue_name(name);

	q = create_queue(name, maxmsg, msgsize);
	on_cleanup(remove_queue, (void *)name);
	if (readlink("/proc/self/ns/ipc", ipc, sizeof(ipc) - 1) == -1)
		warn_errno("readlink /proc/self/ns/ipc");
	printf("receiver: queue %s ready in %s (%ld messages of %ld bytes)\n", name, ipc, maxmsg,
	       msgsize);
	printf("receiver: waiting for messages\n");
	fflush(stdout);

	buf = malloc((size_t)msgsize + 1);
	if (!buf)
		die("malloc");
	while (count == 0 || got < count) {
		n = mq_receive(q, buf, (size_t)msgsize, NULL);
		if (n == -1 && errno == EINTR)
			continue; /* SIGSTOP/SIGCONT, a debugger */
		if (n == -1)
			die("mq_receive");
		buf[n] = '\0';
		/* The sender writes "ID:TEXT". */
		colon = strchr(buf, ':');
		if (colon) {
			*colon = '\0';
			printf("message from %s: %s\n", buf, colon + 1);
		} else {
			printf("message: %s\n", buf);
		}
		fflush(stdout);
		got++;
	}
	free(buf);
	mq_close(q);
	say("received %ld messages; removing %s", got, name);
	return EXIT_OK; /* the queue is unlinked by the exit handler */
}
