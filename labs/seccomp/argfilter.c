/* argfilter.c - seccomp rules on system-call arguments: EQ, NE, LT, LE, GT, GE and MASKED_EQ.
 *
 * Mechanism: a seccomp filter sees the six argument registers, never memory.
 * What it does: "stdout": write(2) allowed to fd 1, refused (EPERM) to fd 2. "compare OP VALUE
 * FD...": in a child per FD, write(2) allowed only when fd OP VALUE. "clone": Docker's rule,
 * clone(2) only when (flags & 0x7E020000) == 0 (no new namespace), clone3(2) answered ENOSYS (its
 * flags sit in memory), unshare(2) with its own mask; "-- CMD" then runs CMD under that filter.
 * Outcome: "write(fd=N): allowed" or "refused, errno 1"; fork works, clone(CLONE_NEWUTS) gets
 * EPERM; -n/--no-filter is the control run.
 * Needs: CONFIG_SECCOMP_FILTER and libseccomp; root for the clone control run (new namespaces).
 * Read next: seccomp_rule_add(3), clone(2).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The namespace flags of clone(2): NEWNS 0x20000, NEWCGROUP 0x02000000, NEWUTS 0x04000000,
 * NEWIPC 0x08000000, NEWUSER 0x10000000, NEWPID 0x20000000, NEWNET 0x40000000. */
#define DOCKER_MASK 0x7E020000ULL /* 2114060288: moby's profile today */
#define COURSE_MASK 0x7C020000ULL /* 2080505856: the course's, older than cgroup namespaces */

static bool no_filter;
static bool have_mask;
static uint64_t mask_arg;
static char outbuf[BUFSIZ];

static const struct {
	const char *name;
	enum scmp_compare op;
	const char *symbol;
	const char *macro;
} ops[] = {
	{"eq", SCMP_CMP_EQ, "==", "SCMP_CMP_EQ"},
	{"ne", SCMP_CMP_NE, "!=", "SCMP_CMP_NE"},
	{"lt", SCMP_CMP_LT, "<", "SCMP_CMP_LT"},
	{"le", SCMP_CMP_LE, "<=", "SCMP_CMP_LE"},
	{"gt", SCMP_CMP_GT, ">", "SCMP_CMP_GT"},
	{"ge", SCMP_CMP_GE, ">=", "SCMP_CMP_GE"},
	{"masked_eq", SCMP_CMP_MASKED_EQ, "&", "SCMP_CMP_MASKED_EQ"},
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-n] [-v] stdout\n"
		"  or:  %s [-n] [-v] compare OP VALUE [--mask MASK] FD...\n"
		"  or:  %s [-n] [-v] [--mask docker|course|N] clone [-- CMD [ARG...]]\n"
		"Seccomp rules that look at system-call arguments.\n"
		"  stdout    write(2) allowed to fd 1 (stdout), refused to fd 2 (stderr)\n"
		"  compare   write(2) allowed only when fd OP VALUE; OP is eq, ne, lt, le, gt, ge\n"
		"            (SCMP_CMP_GE is >=, SCMP_CMP_GT is >) or masked_eq: (fd & MASK) == "
		"VALUE;\n"
		"            each FD is tried in its own child\n"
		"  clone     Docker's clone rule: allowed when (flags & MASK) == 0, where MASK is\n"
		"            docker (0x7E020000, the default) or course (0x7C020000, no\n"
		"            CLONE_NEWCGROUP); clone3 gets ENOSYS; unshare its own mask; then CMD\n"
		"  -m, --mask M      the mask of MASKED_EQ\n"
		"  -n, --no-filter   the same steps without a filter (the control run)\n"
		"  -v, --verbose     narrate on stderr\n"
		"  -h, --help        this text\n",
		progname, progname, progname);
}

static void check(int rc, const char *call)
{
	if (rc < 0) {
		errno = -rc;
		die(call);
	}
}

/* One result line: "NAME: ok" or "NAME: refused, errno N (text)". */
static void report(const char *what, long ret, int err)
{
	if (ret < 0)
		printf("%s: refused, errno %d (%s)\n", what, err, strerror(err));
	else
		printf("%s: ok\n", what);
}

/* ---- stdout: write allowed to fd 1 only ------------------------------------------------- */

static int demo_stdout(void)
{
	static const char err_line[] = "stderr: this line appears only without the filter\n";
	scmp_filter_ctx ctx;
	ssize_t n;

	if (no_filter) {
		printf("seccomp: no filter (--no-filter, the control run)\n");
	} else {
		/* Docker's shape: refuse by default, allow by rule. */
		ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
		if (!ctx)
			dief("seccomp_init failed");
		check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0),
		      "rule exit_group");
		check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
				       SCMP_A0(SCMP_CMP_EQ, STDOUT_FILENO, 0)),
		      "rule write");
		check(seccomp_load(ctx), "seccomp_load");
		seccomp_release(ctx);
		printf("rule: write allowed when fd == 1 (SCMP_CMP_EQ on argument 0); "
		       "anything else: EPERM\n");
	}
	printf("stdout: this line is allowed\n");
	n = write(STDERR_FILENO, err_line, sizeof(err_line) - 1);
	report("write(fd=2)", n, errno);
	return n < 0 ? EXIT_FAIL : EXIT_OK;
}

/* ---- compare: write allowed when fd OP VALUE --------------------------------------------- */

static int try_write(int fd, enum scmp_compare op, uint64_t value)
{
	int status, devnull;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		/* The child writes to /dev/null, whatever number the fd has. */
		devnull = open("/dev/null", O_WRONLY);
		if (devnull < 0 || (devnull != fd && dup2(devnull, fd) < 0))
			_exit(200);
		if (!no_filter) {
			struct scmp_arg_cmp cmp = {.arg = 0, .op = op, .datum_a = value};
			scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));

			if (op == SCMP_CMP_MASKED_EQ) {
				cmp.datum_a = mask_arg; /* libseccomp: mask first, then value */
				cmp.datum_b = value;
			}
			if (!ctx ||
			    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0) ||
			    seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, &cmp) ||
			    seccomp_load(ctx))
				_exit(201);
		}
		/* The child's exit status is the errno it got (0: allowed). */
		_exit(write(fd, "x", 1) == 1 ? 0 : errno);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) >= 200)
		dief("child for fd %d could not set up (status 0x%x)", fd, status);
	return WEXITSTATUS(status);
}

static int demo_compare(int argc, char **argv)
{
	const char *opname;
	long value, fd;
	size_t i;

	if (argc < 3)
		usage_error("compare needs OP VALUE FD...");
	opname = argv[0];
	if (!strncasecmp(opname, "SCMP_CMP_", 9))
		opname += 9;
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (!strcasecmp(opname, ops[i].name))
			break;
	if (i == ARRAY_SIZE(ops))
		usage_error("unknown operator '%s' (eq ne lt le gt ge masked_eq)", argv[0]);
	if (parse_long(argv[1], 0, 1023, &value) < 0)
		usage_error("VALUE must be a number from 0 to 1023, not '%s'", argv[1]);
	if (ops[i].op == SCMP_CMP_MASKED_EQ && !have_mask)
		usage_error("masked_eq needs --mask MASK");

	if (no_filter)
		printf("seccomp: no filter (--no-filter, the control run)\n");
	else if (ops[i].op == SCMP_CMP_MASKED_EQ)
		printf("rule: write allowed when (fd & %llu) == %ld (SCMP_CMP_MASKED_EQ); "
		       "anything else: EPERM\n",
		       (unsigned long long)mask_arg, value);
	else
		printf("rule: write allowed when fd %s %ld (%s); anything else: EPERM\n",
		       ops[i].symbol, value, ops[i].macro);

	for (int a = 2; a < argc; a++) {
		char what[32];
		int err;

		if (parse_long(argv[a], 0, 1023, &fd) < 0)
			usage_error("FD must be a number from 0 to 1023, not '%s'", argv[a]);
		err = try_write((int)fd, ops[i].op, (uint64_t)value);
		snprintf(what, sizeof(what), "write(fd=%ld)", fd);
		if (err)
			report(what, -1, err);
		else
			printf("%s: allowed\n", what);
	}
	return EXIT_OK;
}

/* ---- clone: Docker's namespace rules ------------------------------------------------------ */

static void load_clone_filter(uint64_t mask)
{
	/* unshare(2) takes the same flags, plus CLONE_NEWTIME (0x80): in clone(2) that bit is
	 * part of the exit signal, so clone's mask leaves it out; unshare's must not. */
	uint64_t unshare_mask = mask | CLONE_NEWTIME;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int allowed = 0;

	if (!ctx)
		dief("seccomp_init failed");
	/* Docker's profile is an allow-list with EPERM as the default. Here everything is on the
	 * list but the three calls that create namespaces, which get their own rules. */
	for (int nr = 0; nr < 1024; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		if (!name)
			continue;
		if (strcmp(name, "clone") && strcmp(name, "clone3") && strcmp(name, "unshare")) {
			check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0), name);
			allowed++;
		}
		free(name);
	}
	/* Docker's clone rule: flags is argument 0; allowed when no namespace bit is set. */
	check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			       SCMP_A0(SCMP_CMP_MASKED_EQ, mask, 0)),
	      "rule clone");
	/* clone3 passes its flags in a struct in memory, which a filter cannot read. EPERM
	 * would make glibc (2.34+) give up; ENOSYS makes it fall back to clone, checked above. */
	check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0), "rule clone3");
	check(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(unshare), 1,
			       SCMP_A0(SCMP_CMP_MASKED_EQ, unshare_mask, 0)),
	      "rule unshare");
	check(seccomp_load(ctx), "seccomp_load");
	seccomp_release(ctx);
	printf("rule: clone allowed when (flags & 0x%llx) == 0 (SCMP_CMP_MASKED_EQ, mask %llu)\n",
	       (unsigned long long)mask, (unsigned long long)mask);
	printf("rule: clone3 answered ENOSYS\n");
	printf("rule: unshare allowed when (flags & 0x%llx) == 0\n",
	       (unsigned long long)unshare_mask);
	printf("rule: %d other system calls allowed; anything else: EPERM\n", allowed);
}

/* A raw clone(2) with FLAGS, like fork: the child exits at once. */
static void try_clone(const char *what, unsigned long flags)
{
	long ret = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0UL);
	int err = errno;

	if (ret == 0)
		_exit(0);
	if (ret > 0)
		waitpid((pid_t)ret, NULL, 0);
	report(what, ret, err);
}

static void *thread_fn(void *arg)
{
	return arg;
}

static int demo_clone(char **cmd)
{
	uint64_t mask = have_mask ? mask_arg : DOCKER_MASK;
	struct clone_args ca = {.exit_signal = SIGCHLD};
	pthread_t t;
	pid_t pid;
	long ret;
	int rc, err;

	if (no_filter)
		printf("seccomp: no filter (--no-filter, the control run)\n");
	else
		load_clone_filter(mask);

	/* With a command: run it under the filter (the filter survives execve). */
	if (cmd && cmd[0]) {
		printf("exec: %s\n", cmd[0]);
		fflush(stdout);
		execvp(cmd[0], cmd);
		die("execvp");
	}

	/* glibc's fork() is clone(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD). */
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(0);
	err = errno;
	if (pid > 0)
		waitpid(pid, NULL, 0);
	report("fork", pid, err);

	try_clone("clone(CLONE_NEWUTS)", CLONE_NEWUTS);
	try_clone("clone(CLONE_NEWPID)", CLONE_NEWPID);
	try_clone("clone(CLONE_NEWCGROUP)", CLONE_NEWCGROUP);

	ret = syscall(SYS_clone3, &ca, sizeof(ca));
	err = errno;
	if (ret == 0)
		_exit(0);
	if (ret > 0)
		waitpid((pid_t)ret, NULL, 0);
	report("clone3", ret, err);

	/* glibc creates threads with clone3 and falls back to clone on ENOSYS. */
	rc = pthread_create(&t, NULL, thread_fn, NULL);
	if (rc == 0)
		pthread_join(t, NULL);
	report("pthread_create", rc ? -1 : 0, rc);

	ret = unshare(CLONE_NEWUTS);
	report("unshare(CLONE_NEWUTS)", ret, errno);
	ret = unshare(CLONE_NEWTIME);
	report("unshare(CLONE_NEWTIME)", ret, errno);
	ret = unshare(CLONE_FS);
	report("unshare(CLONE_FS)", ret, errno);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"mask", required_argument, NULL, 'm'},
		{"no-filter", no_argument, NULL, 'n'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *mode;
	char **cmd = NULL;
	char *end;
	int c;

	prog_init(argv[0]);
	/* "+": stop at the first non-option, so FD lists and CMD keep their own options. */
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, "+:m:nvh", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			have_mask = true;
			if (!strcmp(optarg, "docker")) {
				mask_arg = DOCKER_MASK;
				break;
			}
			if (!strcmp(optarg, "course")) {
				mask_arg = COURSE_MASK;
				break;
			}
			errno = 0;
			mask_arg = strtoull(optarg, &end, 0);
			if (errno || *end || end == optarg)
				usage_error("--mask: '%s' is not docker, course or a number",
					    optarg);
			break;
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
	if (optind >= argc)
		usage_error("which demo: stdout, compare or clone?");
	mode = argv[optind++];
	setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));

	if (!strcmp(mode, "stdout")) {
		if (optind != argc)
			usage_error("stdout takes no arguments");
		return demo_stdout();
	}
	if (!strcmp(mode, "compare")) {
		/* "--mask" may also follow the operator and value. */
		for (int i = optind; i + 1 < argc; i++) {
			if (strcmp(argv[i], "--mask") && strcmp(argv[i], "-m"))
				continue;
			have_mask = true;
			errno = 0;
			mask_arg = strtoull(argv[i + 1], &end, 0);
			if (errno || *end || end == argv[i + 1])
				usage_error("--mask: '%s' is not a number", argv[i + 1]);
			memmove(&argv[i], &argv[i + 2], (size_t)(argc - i - 2) * sizeof(char *));
			argc -= 2;
			break;
		}
		return demo_compare(argc - optind, argv + optind);
	}
	if (!strcmp(mode, "clone")) {
		if (optind < argc && !strcmp(argv[optind], "--"))
			optind++;
		if (optind < argc)
			cmd = argv + optind;
		return demo_clone(cmd);
	}
	usage_error("unknown demo '%s' (stdout, compare, clone)", mode);
}
