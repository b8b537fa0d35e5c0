/* doctor-bpf.c - what an eBPF tracer needs, asked of the kernel (see doctor-bpf.h).
 * No libbpf: raw bpf(2) calls load a program of two instructions (r0 = 0; exit) as a raw
 * tracepoint program and attach it, in a forked child: the program and its link are file
 * descriptors, so the kernel detaches and frees them when the child exits, a moment later. */
#define _GNU_SOURCE
#include "doctor-bpf.h"
#include "cseclab.h"
#include "doctor-read.h"
#include "doctor-probes.h"
#include "kconfig.h"

#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/* One attempt, made in the child: 0 when the step worked, else its errno (in memory shared with
 * doctor: the kernel's ENOTSUPP, 524, would not fit an exit status), -1 when not tried. */
struct bpf_try {
	const char *tracepoint; /* attach there after the load (NULL: load only) */
	int load, attach;
};

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int try_bpf(void *arg)
{
	struct bpf_try *t = arg;
	struct bpf_insn prog[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0}, /* r0 = 0 */
		{.code = BPF_JMP | BPF_EXIT}, /* return r0 */
	};
	union bpf_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT; /* a tracing type: CAP_PERFMON's (5.8) */
	a.insns = (__u64)(unsigned long)prog;
	a.insn_cnt = ARRAY_SIZE(prog);
	a.license = (__u64)(unsigned long)"GPL";
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	t->load = fd < 0 ? errno : 0;
	if (fd < 0 || !t->tracepoint)
		return 0;
	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = (__u64)(unsigned long)t->tracepoint;
	a.raw_tracepoint.prog_fd = (__u32)fd;
	t->attach = sys_bpf(BPF_RAW_TRACEPOINT_OPEN, &a) < 0 ? errno : 0;
	return 0; /* exiting closes the link and the program: detached at once */
}

/* Load the program (and attach it to TRACEPOINT, if not NULL) in a child; what it found. */
static struct bpf_try attempt(const char *tracepoint)
{
	struct bpf_try t = {tracepoint, -1, -1}, *shared;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		      0);
	if (shared == MAP_FAILED)
		return t;
	*shared = t;
	if (in_child(try_bpf, shared) == 0)
		t = *shared;
	munmap(shared, sizeof(*shared));
	return t;
}

/* "bpf": may this process load a tracing program? screcord's first step, and its first exit 77
 * (EPERM). Without CAP_BPF, kernel.unprivileged_bpf_disabled=0 lets anyone load a socket filter
 * or a cgroup skb program, never a tracing one; 1 and 2 let no one without CAP_BPF use bpf(2). */
bool p_bpf(const struct feature *f, char *why, size_t len)
{
	struct bpf_try t = attempt(NULL);
	const char *knob = line_of("/proc/sys/kernel/unprivileged_bpf_disabled");

	(void)f;
	if (!*knob)
		knob = "absent";
	switch (t.load) {
	case 0:
		return WHY("bpf(BPF_PROG_LOAD) loads a raw tracepoint program "
			   "(kernel.unprivileged_bpf_disabled=%s)",
			   knob);
	case EPERM:
		return NOT("bpf(BPF_PROG_LOAD) of a tracing program: %s: needs CAP_BPF and "
			   "CAP_PERFMON (Linux 5.8), or CAP_SYS_ADMIN "
			   "(kernel.unprivileged_bpf_disabled=%s: %s)",
			   strerror(t.load), knob,
			   strcmp(knob, "0") == 0 ? "without CAP_BPF, socket filters only"
						  : "no bpf(2) at all without CAP_BPF");
	case ENOSYS:
		return NOT("no bpf(2) system call: a kernel without CONFIG_BPF_SYSCALL (here: %s)",
			   kconfig("CONFIG_BPF_SYSCALL"));
	case EINVAL:
		return NOT("bpf(BPF_PROG_LOAD): %s: no raw tracepoint programs in this kernel "
			   "(Linux 4.17 with CONFIG_BPF_EVENTS; here: %s)",
			   strerror(t.load), kconfig("CONFIG_BPF_EVENTS"));
	case -1:
		return NOT("could not probe (the child that calls bpf(2) died)");
	default:
		return NOT("bpf(BPF_PROG_LOAD): %s", strerror(t.load));
	}
}

/* "btf": the kernel's own type information, which CO-RE programs are relocated against when
 * libbpf loads them. screcord's other exit 77 is its absence, tested as screcord does. */
bool p_btf(const struct feature *f, char *why, size_t len)
{
	struct stat st;

	(void)f;
	if (access(VMLINUX_BTF, R_OK) == 0 && stat(VMLINUX_BTF, &st) == 0)
		return WHY("%s is readable (%lld bytes): the kernel's types, for CO-RE",
			   VMLINUX_BTF, (long long)st.st_size);
	if (errno == ENOENT)
		return NOT("no %s: a kernel without CONFIG_DEBUG_INFO_BTF (here: %s; Linux 5.4+ "
			   "exports it there)",
			   VMLINUX_BTF, kconfig("CONFIG_DEBUG_INFO_BTF"));
	return NOT("%s: %s", VMLINUX_BTF, strerror(errno));
}

/* "raw-tracepoint": the loaded program attaches to the raw tracepoint F->arg (sys_enter, which
 * every system call passes on its way in), and is detached at once. */
bool p_raw_tracepoint(const struct feature *f, char *why, size_t len)
{
	struct feature *bpf = feature("bpf");
	struct bpf_try t;

	if (!probe(bpf)->ok)
		return NOT("no program to attach (bpf: %s)", bpf->why);
	t = attempt(f->arg);
	if (t.attach == 0)
		return WHY("bpf(BPF_RAW_TRACEPOINT_OPEN) attaches a program to %s", f->arg);
	if (t.attach == ENOENT)
		return NOT("the kernel has no raw tracepoint %s (syscall tracepoints: "
			   "CONFIG_HAVE_SYSCALL_TRACEPOINTS=%s)",
			   f->arg, kconfig("CONFIG_HAVE_SYSCALL_TRACEPOINTS"));
	if (t.attach == -1)
		return NOT("could not probe (the load failed in the child: %s)",
			   t.load > 0 ? strerror(t.load) : "it died");
	return NOT("bpf(BPF_RAW_TRACEPOINT_OPEN) %s: %s", f->arg, strerror(t.attach));
}
