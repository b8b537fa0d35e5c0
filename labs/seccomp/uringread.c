/* uringread.c - io_uring opens and reads a file that a seccomp filter forbids to open and read.
 *
 * Mechanism: a seccomp filter sees system calls; io_uring submits operations through shared
 * memory and io_uring_enter(2), and the kernel opens and reads with no openat(2) or read(2).
 * What it does: a filter refuses open, openat, openat2, read, readv, pread64 and preadv with EPERM
 * and allows the rest (as Docker 20.10's default profile allows io_uring_setup/enter); open(2)
 * of /etc/passwd is refused, then io_uring opens and reads it. --no-filter is the control run.
 * Outcome: "open: refused, errno 1", then "io_uring read: root:x:0:0:...", exit 0.
 * Needs: Linux 5.6+ (IORING_OP_OPENAT) with io_uring enabled (kernel.io_uring_disabled = 0) and
 * libseccomp; no privilege.
 * Read next: io_uring(7), io_uring_setup(2), io_uring_enter(2).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/io_uring.h>
#include <seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PATH "/etc/passwd"

/* The two rings and the submission entries, all shared with the kernel through mmap. */
struct ring {
	int fd;
	unsigned *sq_tail, *sq_mask, *sq_array;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static void *map(int fd, size_t len, off_t off, const char *what)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, off);

	if (p == MAP_FAILED)
		die(what);
	return p;
}

static void ring_setup(struct ring *r)
{
	struct io_uring_params p;
	size_t sq_len, cq_len;
	char *sq, *cq;

	memset(&p, 0, sizeof(p));
	r->fd = (int)syscall(SYS_io_uring_setup, 4, &p);
	if (r->fd < 0) {
		if (errno == ENOSYS || errno == EPERM)
			unsupported("sysctl kernel.io_uring_disabled=0, or a kernel with "
				    "CONFIG_IO_URING",
				    "io_uring_setup: %s", strerror(errno));
		die("io_uring_setup");
	}
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	sq = map(r->fd, sq_len, IORING_OFF_SQ_RING, "mmap SQ ring");
	cq = map(r->fd, cq_len, IORING_OFF_CQ_RING, "mmap CQ ring");
	r->sqes = map(r->fd, p.sq_entries * sizeof(struct io_uring_sqe), IORING_OFF_SQES,
		      "mmap SQEs");
	r->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p.sq_off.array);
	r->cq_head = (unsigned *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
}

/* Queue one operation, let the kernel run it, return its result (a cqe's res). */
static int ring_run(struct ring *r, const struct io_uring_sqe *sqe)
{
	unsigned tail = *r->sq_tail, head;
	unsigned idx = tail & *r->sq_mask;
	int res;

	r->sqes[idx] = *sqe;
	r->sq_array[idx] = idx;
	/* Release: the kernel must see the entry before it sees the new tail. */
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		die("io_uring_enter");
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		dief("io_uring_enter returned without a completion");
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

static void load_filter(void)
{
	/* The file-reading calls a filter would naturally forbid. */
	static const char *const denied[] = {"open",  "openat",	 "openat2", "read",
					     "readv", "pread64", "preadv",  "preadv2"};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc;

	if (!ctx)
		dief("seccomp_init failed");
	for (size_t i = 0; i < ARRAY_SIZE(denied); i++) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
				      seccomp_syscall_resolve_name(denied[i]), 0);
		if (rc < 0)
			dief("seccomp_rule_add %s: %s", denied[i], strerror(-rc));
	}
	rc = seccomp_load(ctx);
	if (rc < 0)
		dief("seccomp_load: %s", strerror(-rc));
	seccomp_release(ctx);
	printf("filter: open openat openat2 read readv pread64 preadv preadv2 -> EPERM; "
	       "io_uring_setup and io_uring_enter allowed\n");
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--no-filter] [-v]\n"
		"Forbid opening and reading files with a seccomp filter, show open(2) refused,\n"
		"then open and read " PATH " through io_uring anyway.\n"
		"  -n, --no-filter   no filter (the control run)\n"
		"  -v, --verbose     narrate on stderr\n"
		"  -h, --help        this text\n",
		progname);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"no-filter", no_argument, NULL, 'n'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static char outbuf[BUFSIZ];
	struct io_uring_sqe sqe;
	struct ring r;
	char buf[256], *nl;
	bool no_filter = false;
	int c, fd, n;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, ":nvh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			no_filter = true;
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
	if (optind != argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));

	if (no_filter)
		printf("filter: none (--no-filter, the control run)\n");
	else
		load_filter();

	/* The filter at work: the ordinary way in is closed. */
	fd = open(PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("open: refused, errno %d (%s)\n", errno, strerror(errno));
	} else {
		printf("open: ok (fd %d)\n", fd);
		close(fd);
	}

	ring_setup(&r);
	say("io_uring ring fd %d: submitting IORING_OP_OPENAT", r.fd);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_OPENAT;
	sqe.fd = AT_FDCWD;
	sqe.addr = (uintptr_t)PATH;
	sqe.open_flags = O_RDONLY | O_CLOEXEC;
	fd = ring_run(&r, &sqe);
	if (fd < 0) {
		errno = -fd;
		die("io_uring IORING_OP_OPENAT");
	}
	printf("io_uring open: ok (fd %d), no openat(2) for the filter to see\n", fd);

	say("submitting IORING_OP_READ on fd %d", fd);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_READ;
	sqe.fd = fd;
	sqe.addr = (uintptr_t)buf;
	sqe.len = sizeof(buf) - 1;
	sqe.off = 0;
	n = ring_run(&r, &sqe);
	if (n < 0) {
		errno = -n;
		die("io_uring IORING_OP_READ");
	}
	buf[n] = '\0';
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	printf("io_uring read: %s\n", buf);
	return EXIT_OK;
}
