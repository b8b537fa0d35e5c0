/* devcg.c - the devices controller: a device node can be created but not opened.
 *
 * Mechanism: the devices cgroup decides which device numbers a task may open (v1 devices.deny
 * "c 1:3 rw"; v2 has no device files, only a BPF_PROG_TYPE_CGROUP_DEVICE program on the group).
 * What it does: creates cseclab-devcg denying read and write (not mknod) of char 1:3
 * (/dev/null); a child in it, root with CAP_MKNOD, makes its own node on a private tmpfs and
 * opens it. --no-rule is the control run: the same open succeeds.
 * Outcome: exit 0 with "mknod: ok" and "open: Operation not permitted" (EPERM): why a
 * container's root cannot use a disk it makes a node for.
 * Needs: root and the devices controller (v2: bpf(2)).
 * Read next: Documentation/admin-guide/cgroup-v1/devices.rst, bpf(2), mknod(2).
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/bpf.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define CGNAME	"cseclab-devcg"
#define MAJOR_N 1
#define MINOR_N 3 /* /dev/null: harmless to open, present on every system */

static struct cg dev_cg;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--no-rule] [-v]\n"
		"In a cgroup that denies device 1:3 (/dev/null), mknod a node for it and open "
		"it.\n\n"
		"      --no-rule   the control run: the same cgroup without the deny rule\n"
		"  -v, --verbose   narrate every cgroup file written\n"
		"  -h, --help      this help\n\n"
		"Exit: 0 the outcome expected (EPERM with the rule, success without), 1 not,\n"
		"2 usage, 77 cannot run here.\n",
		progname);
}

/* One eBPF instruction, written out: the uapi has the struct but not the kernel's macros. */
#define INSN(c, d, s, o, i)                                                                        \
	((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

/* v2: the kernel runs this program on every device access in the cgroup. ctx is
 * struct bpf_cgroup_dev_ctx { u32 access_type (access << 16 | type); u32 major; u32 minor; }.
 * Return 0 to deny (EPERM), 1 to allow. A jump's offset counts the instructions after it:
 * "allow" is instruction 13. */
static int deny_with_bpf(int cgroup_fd)
{
	struct bpf_insn prog[] = {
		INSN(BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0),		      /* r2 = access_type */
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, 3, 2, 0, 0),		      /* r3 = r2 */
		INSN(BPF_ALU64 | BPF_AND | BPF_K, 3, 0, 0, 0xffff),	      /* r3 = type */
		INSN(BPF_JMP | BPF_JNE | BPF_K, 3, 0, 9, BPF_DEVCG_DEV_CHAR), /* not char: allow */
		INSN(BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0),		      /* r4 = major */
		INSN(BPF_JMP | BPF_JNE | BPF_K, 4, 0, 7, MAJOR_N), /* other major: allow */
		INSN(BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0),	   /* r5 = minor */
		INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 5, MINOR_N), /* other minor: allow */
		INSN(BPF_ALU64 | BPF_RSH | BPF_K, 2, 0, 0, 16),	   /* r2 = access */
		INSN(BPF_ALU64 | BPF_AND | BPF_K, 2, 0, 0,
		     BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE),
		INSN(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 2, 0),   /* only mknod: allow */
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0), /* r0 = 0: deny */
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1), /* r0 = 1: allow */
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	static char log[4096];
	union bpf_attr attr;
	int prog_fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (unsigned long)prog;
	attr.insn_cnt = ARRAY_SIZE(prog);
	attr.license = (unsigned long)"GPL";
	attr.log_buf = (unsigned long)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	say("bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE, %zu instructions)", ARRAY_SIZE(prog));
	prog_fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (prog_fd < 0) {
		if (errno == EPERM || errno == ENOSYS)
			unsupported("a kernel with CONFIG_BPF_SYSCALL and CONFIG_CGROUP_BPF",
				    "bpf(BPF_PROG_LOAD) of a device program: %s", strerror(errno));
		fprintf(stderr, "%s", log);
		die("bpf BPF_PROG_LOAD");
	}
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (unsigned)cgroup_fd;
	attr.attach_bpf_fd = (unsigned)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	say("bpf(BPF_PROG_ATTACH, program fd %d, cgroup fd %d, BPF_CGROUP_DEVICE)", prog_fd,
	    cgroup_fd);
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr)) < 0)
		die("bpf BPF_PROG_ATTACH");
	close(prog_fd); /* the cgroup holds the program now; it goes with the cgroup */
	return 0;
}

/* The child, in the cgroup: a private tmpfs (device nodes work there: no nodev), mknod, open. */
static _Noreturn void try_device(void)
{
	const char *node = "/tmp/cseclab-null";
	int fd;

	if (unshare(CLONE_NEWNS) < 0)
		die("unshare CLONE_NEWNS");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("mount MS_PRIVATE");
	if (mount("cseclab-devcg", "/tmp", "tmpfs", 0, "size=64k,mode=0700") < 0)
		die("mount tmpfs");
	if (mknod(node, S_IFCHR | 0600, makedev(MAJOR_N, MINOR_N)) < 0) {
		printf("mknod: %s\n", strerror(errno));
		_exit(2);
	}
	printf("mknod: ok (%s, char %d:%d)\n", node, MAJOR_N, MINOR_N);
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("open: %s\n", strerror(errno));
		_exit(errno == EPERM ? 1 : 3);
	}
	printf("open: ok (fd %d)\n", fd);
	_exit(0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"no-rule", no_argument, NULL, 'n'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool rule = true;
	int c, status;
	char call[256];
	struct cg_mount m;
	enum cg_version version = CG_V1;
	char ctl[32] = "";
	pid_t pid, lab = getpid();

	prog_init(argv[0]);
	opterr = 0; /* bad options are ours to report, in the suite's one-line form */
	while ((c = getopt_long(argc, argv, ":vh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			rule = false;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
		default:
			bad_option(c, argv);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	require_root("to create cgroups and device nodes");
	/* v1 has a devices hierarchy; v2 has no device files, only BPF programs, and any v2
	 * controller gives us a directory to attach one to. */
	if (cg_find("devices", &m) == 0) {
		version = CG_V1;
		snprintf(ctl, sizeof(ctl), "devices");
	} else {
		struct cg_mount all[16];
		int n = cg_mounts(all, 16);

		for (int i = 0; i < n && !ctl[0]; i++) {
			if (all[i].version == CG_V2 && all[i].controllers[0]) {
				version = CG_V2;
				snprintf(ctl, sizeof(ctl), "%.*s",
					 (int)strcspn(all[i].controllers, " "), all[i].controllers);
			}
		}
		if (!ctl[0])
			unsupported("a kernel with the devices cgroup (v1) or cgroup v2 with BPF",
				    "no devices cgroup controller and no usable cgroup v2");
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (cg_create(&dev_cg, NULL, CGNAME, ctl, call) < 0)
		die(call);
	for (int i = 0; i < dev_cg.ndirs; i++)
		say("mkdir %s", dev_cg.dir[i].path);
	printf("cgroup: v%d %s\n", version, dev_cg.dir[0].path);
	if (rule && version == CG_V1) {
		/* A new cgroup starts with its parent's list ("a *:* rwm"); take away r and w. */
		say("echo 'c %d:%d rw' > %s/devices.deny", MAJOR_N, MINOR_N, dev_cg.dir[0].path);
		if (cg_write(&dev_cg, "devices", "devices.deny", "c %d:%d rw", MAJOR_N, MINOR_N) <
		    0)
			die("write devices.deny");
		printf("devices.deny: c %d:%d rw\n", MAJOR_N, MINOR_N);
	} else if (rule) {
		int fd = open(dev_cg.dir[0].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd < 0)
			die("open cgroup directory");
		deny_with_bpf(fd);
		close(fd);
		printf("bpf: BPF_CGROUP_DEVICE program attached (deny c %d:%d rw)\n", MAJOR_N,
		       MINOR_N);
	} else {
		printf("rule: none (control run)\n");
	}

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != lab)
			_exit(4);
		raise(SIGSTOP); /* until the lab has moved us in */
		try_device();
	}
	if (waitpid(pid, &status, WUNTRACED) != pid)
		die("waitpid");
	for (int i = 0; i < dev_cg.ndirs; i++)
		say("echo %d > %s/cgroup.procs", (int)pid, dev_cg.dir[i].path);
	if (cg_attach(&dev_cg, pid, call) < 0)
		die(call);
	kill(pid, SIGCONT);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status))
		dief("child died of signal %d", WTERMSIG(status));
	switch (WEXITSTATUS(status)) {
	case 1:
		printf("result: %s\n",
		       rule ? "blocked: the node exists, the cgroup denies opening it"
			    : "UNEXPECTED: open denied without a rule");
		return rule ? EXIT_OK : EXIT_FAIL;
	case 0:
		printf("result: %s\n", rule ? "UNEXPECTED: open allowed despite the rule"
					    : "allowed: without the rule the same open works");
		return rule ? EXIT_FAIL : EXIT_OK;
	default:
		printf("result: the child failed before the open (exit %d)\n", WEXITSTATUS(status));
		return EXIT_FAIL;
	}
}
