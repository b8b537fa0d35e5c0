/* minibox.c - a small container runtime: runs an OCI bundle as runc does, one part per stage.
 *
 * Mechanism: the labs composed: namespaces and ID maps, mounts and pivot_root, cgroups,
 * rlimits, capabilities, no_new_privs and seccomp, in the order the kernel requires.
 * What it does: `run -b DIR ID` checks DIR/config.json, clones the container into its cgroup,
 * forwards signals, waits, tears down; `spec` writes a config.json. Parts: minibox-config.c,
 * -config-linux, -config-read, -ns, -cgroup, -devices, -mounts, -caps, -seccomp, -spec, -timing.
 * Outcome: the container's exit status (137 after an OOM kill); a bad bundle: exit 2 and
 * "minibox: config.json: PLACE: why", before anything starts.
 * Needs: root; Linux 5.6 (openat2, time namespaces).
 * Read next: the OCI runtime-spec's config.md, clone(2), pivot_root(2).
 */
#define _GNU_SOURCE
#include "cleanup.h"
#include "cseclab.h"
#include "minibox-caps.h"
#include "minibox-cgroup.h"
#include "minibox-config.h"
#include "minibox-mounts.h"
#include "minibox-ns.h"
#include "minibox-seccomp.h"
#include "minibox-spec.h"
#include "minibox-timing.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s run [-b DIR] [--timings] [-v] ID\n"
		"       %s spec [-b DIR]\n"
		"Run the OCI bundle DIR (default: the current directory) as container ID, as\n"
		"`runc run` does; or write a starter DIR/config.json, as `runc spec` does.\n\n"
		"  -b, --bundle DIR  the bundle: config.json and the root filesystem it names\n"
		"  -t, --timings     after the run, the cost of each stage on stderr\n"
		"  -v, --verbose     narrate each step\n"
		"  -h, --help        this help\n\n"
		"Exit status: the container's (128+N if signal N killed it), 2 for a bad bundle "
		"or\n"
		"usage (nothing started), 127 if the program cannot be run, 1 for a runtime "
		"error,\n"
		"77 if this machine cannot run containers (not root).\n",
		progname, progname);
}

/* "minibox: config.json: PLACE: MESSAGE", and the suite's exit status for it. */
static _Noreturn void bad_bundle(const struct profile_error *err)
{
	fprintf(stderr, "%s: config.json: %s%s%s\n", progname, err->where,
		err->where[0] ? ": " : "", err->msg);
	exit(err->status ? err->status : EXIT_USAGE);
}

/* process.args[0] as execve(2) will find it in the container: a path, or a name looked up in
 * the PATH of process.env. Resolved inside root.path (openat2 RESOLVE_IN_ROOT: the rootfs's
 * absolute symlinks point into it), before anything starts, so that a typo is a bad bundle. */
static void find_program(const struct mb_config *c, char *out, size_t len)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT};
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	const char *arg = c->args[0];
	struct profile_error err = {EXIT_USAGE, "process.args[0]", ""};
	int root = open(c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	bool found = false;

	for (char **e = c->env; *e; e++)
		if (!strncmp(*e, "PATH=", 5))
			path = *e + 5;
	if (strchr(arg, '/'))
		path = ""; /* a path is not looked up */
	for (const char *p = path; !found; p += strcspn(p, ":"), p += *p == ':') {
		struct stat st;

		if (!*path)
			snprintf(out, len, "%s", arg);
		else if (!*p)
			break;
		else
			snprintf(out, len, "%.*s/%s", (int)strcspn(p, ":"), p, arg);
		int fd = (int)syscall(SYS_openat2, root, out, &how, sizeof(how));
		found = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_mode & 0111;
		if (fd >= 0)
			close(fd);
		if (!*path)
			break;
	}
	close(root);
	if (found || (strchr(arg, '/') && arg[0] != '/'))
		return; /* found; or relative to process.cwd: execve will say */
	/* A program that one of the mounts brings in is not in root.path: execve will say. */
	for (int i = 0; arg[0] == '/' && i < c->nmounts; i++)
		if (!strncmp(arg, c->mounts[i].dest, strlen(c->mounts[i].dest)))
			return;
	snprintf(err.msg, sizeof(err.msg),
		 "\"%s\": no executable file of that name in root.path%s%s", arg,
		 *path ? " (PATH=" : "", *path ? path : "");
	if (*path)
		strncat(err.msg, ")", sizeof(err.msg) - strlen(err.msg) - 1);
	bad_bundle(&err);
}

/* The signals minibox passes on to the container's process (runc forwards them all). */
static void forwarded(sigset_t *set)
{
	static const int sigs[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGUSR1,	 SIGUSR2, SIGPIPE,
				   SIGALRM, SIGTERM, SIGCONT, SIGTSTP,	 SIGTTIN, SIGTTOU,
				   SIGURG,  SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH};

	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(set, sigs[i]);
}

/* ---- the child: becomes the container's first process -------------------------------------- */

struct child_args {
	const struct mb_config *c;
	scmp_filter_ctx filter;
	const char *program;
	int go, status; /* read one byte before starting; report to the parent */
};

static void report(int fd, char what, int err)
{
	char msg[1 + sizeof(int)] = {what};

	memcpy(msg + 1, &err, sizeof(int));
	if (write(fd, msg, what == 'x' ? 1 : sizeof(msg)) < 0) {
		/* the parent is gone: nothing to tell */
	}
}

static _Noreturn void child(const struct child_args *a)
{
	const struct mb_config *c = a->c;
	sigset_t none;
	char go;

	stage_stop(ST_CLONE); /* from the parent's clone(2) call to here */
	/* If minibox dies (SIGKILL included), the kernel kills its container. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (read(a->go, &go, 1) != 1)
		_exit(EXIT_FAIL); /* the parent died before it said go */
	/* In a new user namespace: become its root (uid 0 is mapped: the config was checked). */
	if ((c->ns & CLONE_NEWUSER) && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		die("setresuid 0 in the user namespace");
	/* Only now, inside its cgroup: the new cgroup namespace's root is that cgroup. */
	if ((c->ns & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		die("unshare CLONE_NEWCGROUP");
	if (c->ns & CLONE_NEWTIME)
		ns_enter_time(c);
	mounts_setup(c);

	stage_start(ST_FINALIZE);
	if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0)
		die("sethostname");
	if (c->domainname && setdomainname(c->domainname, strlen(c->domainname)) < 0)
		die("setdomainname");
	mounts_finalize(c);
	stage_stop(ST_FINALIZE);

	stage_start(ST_CAPS);
	caps_limits(c);
	stage_stop(ST_CAPS);
	/* Without no_new_privs, installing a filter needs CAP_SYS_ADMIN: load it now, before the
	 * privileges go (runc does the same). It then filters minibox's own last calls too. */
	if (a->filter && !c->no_new_privs) {
		stage_start(ST_SECCOMP);
		if (seccomp_apply(a->filter) < 0)
			die("seccomp_load");
		stage_stop(ST_SECCOMP);
	}
	stage_start(ST_CAPS);
	caps_apply(c);
	if (chdir(c->cwd) < 0)
		die("chdir process.cwd");
	umask(c->umask >= 0 ? (mode_t)c->umask : 022);
	if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("prctl PR_SET_NO_NEW_PRIVS");
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* setresuid cleared it */
	stage_stop(ST_CAPS);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	report(a->status, 'x', 0);
	/* With no_new_privs the filter goes last: it need not allow the set-up's calls. */
	if (a->filter && c->no_new_privs) {
		stage_start(ST_SECCOMP);
		if (seccomp_apply(a->filter) < 0) {
			report(a->status, 'S', errno);
			_exit(EXIT_FAIL);
		}
		stage_stop(ST_SECCOMP);
	}
	stage_start(ST_EXEC);
	execve(a->program, c->args, c->env);
	report(a->status, 'E', errno);
	_exit(127);
}

/* ---- the parent ---------------------------------------------------------------------------- */

/* Interrupted during the set-up: there is no container yet. Kill the child, clean up, and
 * die of the same signal, as common/cleanup.c does. */
static _Noreturn void interrupted(pid_t pid, int sig, const sigset_t *blocked)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	run_cleanups();
	signal(sig, SIG_DFL);
	raise(sig); /* pending until the unblock below */
	sigprocmask(SIG_UNBLOCK, blocked, NULL);
	exit(EXIT_FAIL); /* a signal whose default is to be ignored (SIGCONT, SIGWINCH) */
}

/* Wait for the child's exec, then for its end, forwarding signals. Returns minibox's status.
 * The child writes 'x' just before its last steps; then 'E' or 'S' and an errno if execve or
 * seccomp_load fails. End of file without 'x': the set-up failed (the child said why). */
static int supervise(pid_t pid, int status_fd, int sig_fd, const sigset_t *blocked,
		     const char *program)
{
	bool said_x = false, open_pipe = true;
	char msg = 0, failure = 0;
	int ws = 0, err;

	for (;;) {
		struct pollfd p[2] = {{sig_fd, POLLIN, 0}, {status_fd, POLLIN, 0}};
		struct signalfd_siginfo si;

		if (poll(p, open_pipe ? 2 : 1, -1) < 0 && errno != EINTR)
			die("poll");
		if (open_pipe && p[1].revents) {
			if (read(status_fd, &msg, 1) == 1) {
				said_x |= msg == 'x';
				if (msg != 'x' &&
				    read(status_fd, &err, sizeof(err)) == sizeof(err)) {
					failure = msg;
					warnf("%s %s: %s", msg == 'E' ? "exec" : "seccomp_load",
					      msg == 'E' ? program : "linux.seccomp",
					      strerror(err));
				}
				continue;
			}
			/* End of file: execve closed the pipe (O_CLOEXEC), or the child died. */
			open_pipe = false;
			if (said_x && !failure)
				stage_add(ST_EXEC, now_ms() - stage_started(ST_EXEC));
			stage_start(ST_RUN);
		}
		if (!(p[0].revents & POLLIN) || read(sig_fd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGCHLD) {
			if (waitpid(pid, &ws, WNOHANG) == pid)
				break;
		} else if (open_pipe) {
			interrupted(pid, (int)si.ssi_signo, blocked);
		} else {
			/* PID 1 of a PID namespace gets only the signals it has a handler for
			 * (pid_namespaces(7)); SIGKILL and SIGSTOP from an ancestor always. */
			say("forwarding signal %u to the container (pid %d)", si.ssi_signo, pid);
			kill(pid, (int)si.ssi_signo);
		}
	}
	stage_stop(ST_RUN);
	if (!said_x) {
		warnf("the container's set-up failed: its process never started");
		return EXIT_FAIL;
	}
	if (failure)
		return failure == 'E' ? 127 : EXIT_FAIL;
	if (WIFSIGNALED(ws)) {
		say("the container's process was killed by signal %d", WTERMSIG(ws));
		return 128 + WTERMSIG(ws);
	}
	return WEXITSTATUS(ws);
}

static int run(const char *bundle, const char *id, bool timings)
{
	static struct mb_config c;
	struct profile_error err;
	struct child_args a = {.c = &c};
	char program[PATH_MAX] = "", call[256];
	int go[2], status[2], sig_fd, cg_fd, code;
	bool joined;
	sigset_t fwd;
	pid_t pid;

	stage_start(ST_CONFIG);
	if (config_load(bundle, id, &c, &err) < 0)
		bad_bundle(&err);
	find_program(&c, program, sizeof(program));
	a.program = program;
	stage_stop(ST_CONFIG);
	stage_start(ST_SECCOMP);
	if (seccomp_prepare(&c, &a.filter, &err) < 0)
		bad_bundle(&err);
	stage_stop(ST_SECCOMP);
	require_root("a container's namespaces, mounts and cgroup");

	stage_start(ST_CGROUP);
	if (cgroup_setup(&c, &err) < 0) {
		if (err.status == EXIT_USAGE)
			bad_bundle(&err);
		dief("%s", err.msg);
	}
	stage_stop(ST_CGROUP);

	/* From here until the end, the forwarded signals and SIGCHLD are read from a signalfd. */
	forwarded(&fwd);
	sigaddset(&fwd, SIGCHLD);
	sigprocmask(SIG_BLOCK, &fwd, NULL);
	sig_fd = signalfd(-1, &fwd, SFD_CLOEXEC);
	if (sig_fd < 0 || pipe2(go, O_CLOEXEC) < 0 || pipe2(status, O_CLOEXEC) < 0)
		die("signalfd/pipe2");
	a.go = go[0];
	a.status = status[1];

	/* The namespaces; the cgroup and time namespaces come later, in the child. */
	stage_start(ST_CLONE);
	cg_fd = cgroup_v2_fd();
	pid = ns_clone(c.ns & ~(CLONE_NEWCGROUP | CLONE_NEWTIME), cg_fd, &joined);
	if (pid < 0)
		die("clone");
	if (pid == 0) {
		close(go[1]);
		close(status[0]);
		child(&a);
	}
	close(go[0]);
	close(status[1]);
	say("parent: container process %d", (int)pid);
	/* The child waits on GO while its ID maps are written and it is moved into its cgroup:
	 * it must be inside before it makes its cgroup namespace, or that namespace's root would
	 * be minibox's cgroup (and /proc/self/cgroup would read differently from runc's). */
	stage_start(ST_USERNS);
	if (c.ns & CLONE_NEWUSER) {
		ns_write_map(pid, "uid_map", c.uidmap, c.nuidmap);
		ns_write_map(pid, "gid_map", c.gidmap, c.ngidmap);
	}
	stage_stop(ST_USERNS);
	stage_start(ST_CGROUP);
	if (!joined && cgroup_join(pid, call) < 0) {
		kill(pid, SIGKILL);
		die(call);
	}
	stage_stop(ST_CGROUP);
	if (cg_fd >= 0)
		close(cg_fd);
	if (write(go[1], "g", 1) != 1)
		die("write go");
	code = supervise(pid, status[0], sig_fd, &fwd, program);

	stage_start(ST_TEARDOWN);
	run_cleanups();
	stage_stop(ST_TEARDOWN);
	if (timings)
		timing_print(stderr);
	return code;
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{"bundle", required_argument, NULL, 'b'},
		{"timings", no_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *bundle = ".", *cmd, *id;
	bool timings = false;
	int opt;

	prog_init(argv[0]);
	timing_init();
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":b:tvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			bundle = optarg;
			break;
		case 't':
			timings = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(opt, argv);
		}
	}
	cmd = optind < argc ? argv[optind++] : NULL;
	if (!cmd)
		usage_error("a command is needed: run or spec");
	if (!strcmp(cmd, "spec")) {
		if (optind < argc)
			usage_error("spec takes no argument: '%s'", argv[optind]);
		return spec_write(bundle) == 0 ? EXIT_OK : EXIT_FAIL;
	}
	if (strcmp(cmd, "run"))
		usage_error("unknown command '%s' (run or spec)", cmd);
	if (optind + 1 != argc)
		usage_error("run needs one container ID");
	id = argv[optind];
	if (!*id || strlen(id) > 64 ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		       "0123456789_.-") != strlen(id))
		usage_error("'%s': an ID is 1 to 64 letters, digits, '_', '.' or '-'", id);
	return run(bundle, id, timings);
}
