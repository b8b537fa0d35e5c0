/* screcord.bpf.c - the kernel half of screcord: count the system calls a process tree makes.
 *
 * Runs inside the kernel, on the raw tracepoint sys_enter that every system call of every task
 * passes on its way in (after seccomp: a call a filter refuses never gets here). It keeps
 * nothing but counters: no event leaves the kernel, so the traced program never stops.
 * Built by clang -target bpf; bpftool turns the object into screcord.skel.h for screcord.c.
 * Read next: bpf(2), bpf-helpers(7), the kernel's Documentation/bpf/libbpf/.
 */
#include "screcord.h"

#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#define X32_SYSCALL_BIT 0x40000000L /* x86_64's x32 ABI: this bit set in the number */

/* What the kernel's task_struct and thread_info are made of, as far as we read them. With
 * preserve_access_index the offsets are not fixed here: libbpf looks each field up in the
 * running kernel's BTF (/sys/kernel/btf/vmlinux) when it loads the program (CO-RE). */
struct thread_info {
	__u32 status;
} __attribute__((preserve_access_index));
struct task_struct {
	struct thread_info thread_info;
	int pid; /* the thread's id (the kernel's "pid"; user space's "tid") */
} __attribute__((preserve_access_index));
#define TS_COMPAT 0x0002 /* x86: thread_info.status while a 32-bit call (int $0x80) runs */

/* Counters, one copy per CPU: no two CPUs ever write the same memory, so no atomic operation
 * and no cache line bouncing between them; screcord adds the copies up at the end. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CLASSES *NR_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

/* Numbers beyond the array (ARM's private calls, syscall(100000)): class << 32 | number. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u64);
} rare SEC(".maps");

/* The cgroup v2 whose tasks (and its descendants') are watched: a file descriptor of its
 * directory, stored by screcord at index 0. */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} target SEC(".maps");

/* Without a cgroup v2 hierarchy: the thread ids watched, followed through fork and exit. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u8);
} tids SEC(".maps");

const volatile bool follow_tids; /* set by screcord before loading: read-only afterwards */
const volatile long execve_nr = -1;
bool armed;	 /* counting has begun: at CMD's execve, or at once with --cgroup */
bool seen;	 /* a call was counted (read before written: no cache line bouncing) */
__u64 lost;	 /* calls not counted because the rare map was full */
__u64 untracked; /* threads not followed because the tids map was full */

char LICENSE[] SEC("license") = "GPL"; /* bpf_probe_read_kernel is for GPL programs only */

static bool watched(void)
{
	if (follow_tids) {
		__u32 tid = (__u32)bpf_get_current_pid_tgid();

		return bpf_map_lookup_elem(&tids, &tid) != NULL;
	}
	return bpf_current_task_under_cgroup(&target, 0) == 1;
}

static void count(__u32 class, long nr)
{
	__u64 *n, one = 1, key;

	if (nr >= 0 && nr < NR_SLOTS) {
		__u32 slot = class * NR_SLOTS + (__u32)nr;

		n = bpf_map_lookup_elem(&counts, &slot);
		if (n)
			(*n)++; /* this CPU's copy: nothing else writes it now */
		return;
	}
	key = (__u64) class << 32 | (__u32)nr;
	n = bpf_map_lookup_elem(&rare, &key);
	if (n)
		(*n)++;
	else if (bpf_map_update_elem(&rare, &key, &one, BPF_NOEXIST) != 0)
		__sync_fetch_and_add(&lost, 1);
}

SEC("raw_tp/sys_enter")
int on_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	long nr = (long)ctx->args[1]; /* sys_enter(struct pt_regs *regs, long id) */
	__u32 class = CLASS_NATIVE;

	if (!armed || !watched())
		return 0;
#if defined(__TARGET_ARCH_x86)
	/* The number alone does not say which table it indexes: 20 is getpid through int $0x80
	 * (i386's table) and lseek through syscall (x86_64's). The kernel marks the task. */
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	if (BPF_CORE_READ(task, thread_info.status) & TS_COMPAT)
		class = CLASS_COMPAT;
	else if (nr & X32_SYSCALL_BIT)
		class = CLASS_X32, nr &= ~X32_SYSCALL_BIT;
#endif
	count(class, nr);
	if (!seen)
		seen = true;
	return 0;
}

/* CMD's execve succeeded: count from here on, starting with that execve (whose sys_enter came
 * before this point), as sctrace does from the filter it loads just before. */
SEC("raw_tp/sched_process_exec")
int on_exec(struct bpf_raw_tracepoint_args *ctx)
{
	if (armed || !watched())
		return 0;
	armed = true;
	count(CLASS_NATIVE, execve_nr);
	return 0;
}

/* Without a cgroup: a watched thread's new thread or process is watched too (this runs in the
 * parent, before the child can make a call), and an ended one is forgotten. */
SEC("raw_tp/sched_process_fork")
int on_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 tid;
	__u8 yes = 1;

	if (!watched())
		return 0;
	tid = (__u32)BPF_CORE_READ(child, pid);
	if (bpf_map_update_elem(&tids, &tid, &yes, BPF_ANY) != 0)
		__sync_fetch_and_add(&untracked, 1);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int on_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&tids, &tid);
	return 0;
}
