/* filter-notify.c - filter's notify part: a supervisor process answers the child's close(2).
 *
 * Mechanism: SECCOMP_RET_USER_NOTIF (Linux 5.0). Loading a filter with a notify rule creates a
 * listener fd; the process that reads it receives the call (pid, number, arguments) and answers
 * in the kernel's place: a return value, an errno, or "let it run".
 * What it does: forks; the child loads filter 1 (close -> notify), passes the listener over a
 * Unix socket (SCM_RIGHTS) and runs filter.c's steps under the lab's filter; this process reads
 * the one notification and answers 4242, a value close(2) never returns, without running close.
 * Outcome: "close: returned 4242 (not a kernel answer: the supervisor's)", exit 0.
 * Needs: Linux 5.0+ and libseccomp 2.5+ (exit 77 otherwise). Run: filter --action notify.
 * Read next: seccomp_unotify(2), seccomp_notify_receive(3), unix(7) SCM_RIGHTS.
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "filter-notify.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOTIFY_ANSWER 4242 /* what the supervisor makes close(2) return */

static int child_sock = -1; /* the child's end of the socket to the supervisor */

/* SCM_RIGHTS: the kernel installs a copy of FD in the receiving process. */
static void send_fd(int sock, int fd)
{
	char byte = 'L';
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *cm;

	memset(&u, 0, sizeof(u));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) < 0)
		die("sendmsg");
}

static int recv_fd(int sock)
{
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *cm;
	int fd;
	ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);

	if (n < 0)
		die("recvmsg");
	cm = CMSG_FIRSTHDR(&msg);
	if (n == 0 || !cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* ---- the child: filter 1 and its listener ----------------------------------------------- */

void notify_first_filter(void)
{
	/* The listener exists only once its filter is loaded, and the lab's filter forbids
	 * sendmsg: so the notify rule goes in a first filter of its own, the listener is passed
	 * to the supervisor, and only then does filter.c load the lab's filter on top. (Were
	 * both to say notify, the newest filter's result would count, and it has no listener:
	 * close would fail with ENOSYS. So the lab's filter allows close.) */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int rc, listener;

	if (!ctx)
		dief("seccomp_init failed");
	rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(close), 0);
	if (rc < 0)
		dief("seccomp_rule_add close: %s", strerror(-rc));
	rc = seccomp_load(ctx);
	if (rc < 0) {
		errno = -rc;
		die("seccomp_load (first filter)");
	}
	/* Loading a filter with a notify rule created the listener: an fd whose reader answers
	 * in place of the kernel. The context is not released: that would close the listener,
	 * and close is now the supervisor's to answer. */
	listener = seccomp_notify_fd(ctx);
	if (listener < 0)
		dief("seccomp_notify_fd: %s", strerror(-listener));
	say("passing the listener fd %d to the supervisor with SCM_RIGHTS", listener);
	send_fd(child_sock, listener);
	printf("seccomp: filter 1 loaded: close -> notify; listener fd passed to the supervisor\n");
}

/* ---- the supervisor --------------------------------------------------------------------- */

int notify_supervise(int (*steps)(void))
{
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	int sv[2], listener, status, rc;
	pid_t pid;

	/* libseccomp probes the kernel's features lazily: do it now, before the fork, so that
	 * the child's load asks for a listener (SECCOMP_FILTER_FLAG_NEW_LISTENER). API level 5
	 * is notify itself (Linux 5.0); 6 adds notify with TSYNC (5.7), which the lab does not use. */
	if (seccomp_api_get() < 5)
		unsupported("needs Linux 5.0+ and libseccomp 2.5+",
			    "seccomp user notification (SECCOMP_RET_USER_NOTIF) is missing");

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(sv[0]);
		child_sock = sv[1];
		exit(steps());
	}
	close(sv[1]);
	listener = recv_fd(sv[0]);
	if (listener < 0)
		dief("supervisor: the child sent no listener fd");
	printf("supervisor: got listener fd %d from pid %d\n", listener, (int)pid);

	if (seccomp_notify_alloc(&req, &resp) < 0)
		dief("seccomp_notify_alloc failed");
	/* One notification: the child's close. */
	rc = seccomp_notify_receive(listener, req);
	if (rc < 0) {
		errno = -rc;
		die("seccomp_notify_receive");
	}
	printf("supervisor: pid %d asks for syscall %d (close is %d) with fd %llu\n", req->pid,
	       req->data.nr, SYS_close, (unsigned long long)req->data.args[0]);
	/* Answer in place of the kernel: close is not run, it "returns" our value. */
	resp->id = req->id;
	resp->val = NOTIFY_ANSWER;
	resp->error = 0;
	resp->flags = 0;
	rc = seccomp_notify_respond(listener, resp);
	if (rc < 0) {
		errno = -rc;
		die("seccomp_notify_respond");
	}
	printf("supervisor: answered %d without running close\n", NOTIFY_ANSWER);
	seccomp_notify_free(req, resp);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return status;
}
