/* archbypass.c - a seccomp filter that forgets the architecture check, bypassed with int $0x80.
 *
 * Mechanism: seccomp filters match system-call numbers, and numbers are per architecture:
 * unshare is 272 on x86-64 but 310 through the 32-bit entry (int $0x80), where 272 is another.
 * What it does: a hand-written filter refuses nr 272 without looking at seccomp_data.arch, then
 * unshare(CLONE_NEWUTS) is called both ways; --checked adds the arch check every real filter
 * has (libseccomp writes it for you); --no-filter is the control run.
 * Outcome: the 64-bit call gets EPERM, the 32-bit one succeeds ("uts: changed"); with --checked
 * the 32-bit call kills the process with SIGSYS (status 159).
 * Needs: root (a new UTS namespace), x86-64 with IA32 emulation (CONFIG_IA32_EMULATION).
 * Read next: seccomp(2) (the "arch" field and its caveats), syscall(2).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <getopt.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#if !defined(__x86_64__)
int main(int argc, char **argv)
{
	(void)argc;
	prog_init(argv[0]);
	unsupported("run it on x86-64", "this demo uses the x86 32-bit entry (int $0x80)");
}
#else

/* arch/x86/entry/syscalls/syscall_32.tbl: the i386 numbers. */
#define I386_NR_getpid	20
#define I386_NR_unshare 310
/* x32 calls are x86-64 calls with this bit set: a third way in, on kernels with x32. */
#define X32_SYSCALL_BIT 0x40000000

/* int $0x80 from a 64-bit process: the i386 entry, arguments in ebx, ecx... (32 bits only). */
static long int80(long nr, long arg1)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(arg1)
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static ino_t uts_inode(void)
{
	struct stat st;

	if (stat("/proc/self/ns/uts", &st) < 0)
		die("stat /proc/self/ns/uts");
	return st.st_ino;
}

/* Without IA32 emulation int $0x80 is a general protection fault: try it in a child. */
static void require_int80(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(int80(I386_NR_getpid, 0) > 0 ? 0 : 1);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		unsupported("needs CONFIG_IA32_EMULATION and no ia32_emulation=0 on the kernel "
			    "command line",
			    "the 32-bit system-call entry (int $0x80) does not work here");
}

static void load_filter(bool checked)
{
	/* What a careless hand-written filter looks like: only the number is compared. */
	struct sock_filter naive[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	/* The same, with the check that belongs first in every filter: the architecture (and
	 * the x32 bit, which would be a third numbering). */
	struct sock_filter safe[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = checked ? ARRAY_SIZE(safe) : ARRAY_SIZE(naive),
		.filter = checked ? safe : naive,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("prctl PR_SET_NO_NEW_PRIVS");
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		die("prctl PR_SET_SECCOMP");
	printf("filter: unshare (x86-64 nr %d) -> EPERM, the rest allowed; arch check: %s\n",
	       __NR_unshare, checked ? "yes (other arches and x32 killed)" : "none");
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--checked | --no-filter] [-v]\n"
		"Refuse unshare(2) with a filter that compares only the syscall number, then\n"
		"call unshare(CLONE_NEWUTS) through the 64-bit entry and through int $0x80.\n"
		"  -c, --checked     the filter checks seccomp_data.arch first (the fix)\n"
		"  -n, --no-filter   no filter (the control run)\n"
		"  -v, --verbose     narrate on stderr\n"
		"  -h, --help        this text\n",
		progname);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"checked", no_argument, NULL, 'c'},
		{"no-filter", no_argument, NULL, 'n'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static char outbuf[BUFSIZ];
	struct rlimit nocore = {0, 0};
	bool checked = false, no_filter = false;
	ino_t before, after;
	long ret;
	int c;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, ":cnvh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			checked = true;
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
	if (optind != argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (checked && no_filter)
		usage_error("--checked and --no-filter exclude each other");
	require_root("unshare(CLONE_NEWUTS) needs CAP_SYS_ADMIN");
	require_int80();
	if (setrlimit(RLIMIT_CORE, &nocore) < 0) /* --checked ends in SIGSYS */
		die("setrlimit");
	setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));

	if (no_filter)
		printf("filter: none (--no-filter, the control run)\n");
	else
		load_filter(checked);

	before = uts_inode();
	say("64-bit entry: syscall(SYS_unshare = %d, CLONE_NEWUTS)", __NR_unshare);
	ret = syscall(SYS_unshare, CLONE_NEWUTS);
	if (ret < 0)
		printf("unshare (64-bit, nr %d): refused, errno %d (%s)\n", __NR_unshare, errno,
		       strerror(errno));
	else
		printf("unshare (64-bit, nr %d): ok\n", __NR_unshare);

	say("32-bit entry: int $0x80 with eax = %d (i386 unshare), ebx = CLONE_NEWUTS",
	    I386_NR_unshare);
	ret = int80(I386_NR_unshare, CLONE_NEWUTS);
	if (ret < 0)
		printf("unshare (int $0x80, nr %d): refused, errno %ld (%s)\n", I386_NR_unshare,
		       -ret, strerror((int)-ret));
	else
		printf("unshare (int $0x80, nr %d): ok\n", I386_NR_unshare);

	after = uts_inode();
	if (after != before)
		printf("uts: changed (inode %llu -> %llu): the process is in a new UTS namespace\n",
		       (unsigned long long)before, (unsigned long long)after);
	else
		printf("uts: unchanged (inode %llu)\n", (unsigned long long)before);
	return EXIT_OK;
}
#endif
