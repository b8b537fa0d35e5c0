/* minibox-devices.c - linux.resources.devices on cgroup v1 (files) and v2 (a BPF program).
 *
 * A part of minibox (minibox-devices.h). The rules read like v1's: "a" all, "c"/"b" char or
 * block, a major and minor ("*" any), access letters r(ead) w(rite) m(knod); a later rule wins
 * over an earlier one. runc spec's config has one rule, deny everything; runc then allows the
 * nodes it creates in /dev. v1 takes the rules as lines written to devices.deny and
 * devices.allow. v2 has no device files: the kernel asks a BPF_PROG_TYPE_CGROUP_DEVICE program
 * attached to the cgroup, at each open(2) and mknod(2) of a node, and the program answers 1
 * (allow) or 0 (deny). Here the rules become that program, the last rule checked first, as
 * runc's devicefilter and labs/cgroups/devcg.c do. Read next: bpf(2), cgroup-v1/devices.rst.
 */
#define _GNU_SOURCE
#include "minibox-devices.h"
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int devices_rules(const struct mb_config *c, struct mb_device *out, int max)
{
	/* runc 1.1's specconv.AllowedDevices (/dev/console only with a terminal). */
	static const struct mb_device runc_allows[] = {
		{true, 'c', -1, -1, "m"},    {true, 'b', -1, -1, "m"}, /* mknod of anything */
		{true, 'c', 1, 3, "rwm"},    {true, 'c', 1, 8, "rwm"}, /* null, random */
		{true, 'c', 1, 7, "rwm"},    {true, 'c', 5, 0, "rwm"}, /* full, tty */
		{true, 'c', 1, 5, "rwm"},    {true, 'c', 1, 9, "rwm"}, /* zero, urandom */
		{true, 'c', 136, -1, "rwm"}, {true, 'c', 5, 2, "rwm"}, /* pts/N, ptmx */
		{true, 'c', 10, 200, "rwm"},			       /* net/tun */
	};
	int n = 0;

	for (int i = 0; i < c->ndevices && n < max; i++)
		out[n++] = c->devices[i];
	for (size_t i = 0; i < ARRAY_SIZE(runc_allows) && n < max; i++)
		out[n++] = runc_allows[i];
	return n;
}

/* "c 1:3 rwm", "b *:* m" or "a" (every device). */
static void rule_line(const struct mb_device *r, char *buf, size_t len)
{
	char maj[24] = "*", min[24] = "*";

	if (r->type == 'a') {
		snprintf(buf, len, "a");
		return;
	}
	if (r->major >= 0)
		snprintf(maj, sizeof(maj), "%ld", r->major);
	if (r->minor >= 0)
		snprintf(min, sizeof(min), "%ld", r->minor);
	snprintf(buf, len, "%c %s:%s %s", r->type, maj, min, r->access);
}

int devices_v1(const char *dir, const struct mb_device *rules, int n, char call[256])
{
	char path[PATH_MAX], line[64];

	for (int i = 0; i < n; i++) {
		rule_line(&rules[i], line, sizeof(line));
		snprintf(path, sizeof(path), "%s/devices.%s", dir,
			 rules[i].allow ? "allow" : "deny");
		if (write_file(path, "%s", line) < 0) {
			int saved = errno;

			snprintf(call, 256, "write \"%.40s\" > %.180s", line, path);
			errno = saved;
			return -1;
		}
	}
	return 0;
}

/* ---- v2: the rules as a BPF program ------------------------------------------------------- */

#define MAX_INSNS 1024
#define INSN(c, d, s, o, i)                                                                        \
	((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

struct prog {
	struct bpf_insn insn[MAX_INSNS];
	int n;
	int skip[4]; /* this rule's jumps to the next rule, patched once its end is known */
	int nskip;
};

static void emit(struct prog *p, struct bpf_insn insn)
{
	if (p->n < MAX_INSNS)
		p->insn[p->n++] = insn;
}

/* "if REG != IMM, go to the next rule". */
static void skip_unless(struct prog *p, int reg, int imm)
{
	p->skip[p->nskip++] = p->n;
	emit(p, INSN(BPF_JMP | BPF_JNE | BPF_K, reg, 0, 0, imm));
}

static int access_bits(const char *a)
{
	return (strchr(a, 'm') ? BPF_DEVCG_ACC_MKNOD : 0) |
	       (strchr(a, 'r') ? BPF_DEVCG_ACC_READ : 0) |
	       (strchr(a, 'w') ? BPF_DEVCG_ACC_WRITE : 0);
}

/* The program. On entry r1 points to struct bpf_cgroup_dev_ctx {u32 access_type (access <<
 * 16 | type); u32 major; u32 minor;}; r0 is the answer. */
static void build(struct prog *p, const struct mb_device *rules, int n)
{
	emit(p, INSN(BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0));	     /* r2 = access_type */
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, 3, 2, 0, 0));	     /* r3 = r2 */
	emit(p, INSN(BPF_ALU64 | BPF_AND | BPF_K, 3, 0, 0, 0xffff)); /* r3 = type */
	emit(p, INSN(BPF_ALU64 | BPF_RSH | BPF_K, 2, 0, 0, 16));     /* r2 = access asked */
	emit(p, INSN(BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0));	     /* r4 = major */
	emit(p, INSN(BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0));	     /* r5 = minor */
	for (int i = n - 1; i >= 0; i--) {
		const struct mb_device *r = &rules[i];

		p->nskip = 0;
		if (r->type != 'a')
			skip_unless(p, 3,
				    r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK);
		if (r->type != 'a' && r->major >= 0)
			skip_unless(p, 4, (int)r->major);
		if (r->type != 'a' && r->minor >= 0)
			skip_unless(p, 5, (int)r->minor);
		/* The rule decides only when it names every access asked for: r6 = r2 & ~rule. */
		emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, 6, 2, 0, 0));
		emit(p, INSN(BPF_ALU64 | BPF_AND | BPF_K, 6, 0, 0, ~access_bits(r->access) & 7));
		skip_unless(p, 6, 0);
		emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, r->allow ? 1 : 0));
		emit(p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
		for (int k = 0; k < p->nskip; k++)
			p->insn[p->skip[k]].off = (short)(p->n - p->skip[k] - 1);
	}
	/* No rule matched: v1's starting point, everything allowed. */
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1));
	emit(p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

static int failed(char call[256], const char *what, const char *dir)
{
	int saved = errno;

	snprintf(call, 256, "%s (cgroup %.200s)", what, dir);
	errno = saved;
	return -1;
}

int devices_v2(const char *dir, const struct mb_device *rules, int n, char call[256])
{
	static struct prog p;
	static char log[8192];
	union bpf_attr attr;
	int prog_fd, dir_fd, rc;

	p.n = 0;
	build(&p, rules, n);
	if (p.n >= MAX_INSNS) {
		errno = E2BIG;
		return failed(call, "build the device program", dir);
	}
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (unsigned long)p.insn;
	attr.insn_cnt = (unsigned)p.n;
	attr.license = (unsigned long)"GPL";
	attr.log_buf = (unsigned long)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	prog_fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (prog_fd < 0) {
		say("verifier: %s", log);
		return failed(call, "bpf BPF_PROG_LOAD", dir);
	}
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0) {
		close(prog_fd);
		return failed(call, "open", dir);
	}
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (unsigned)dir_fd;
	attr.attach_bpf_fd = (unsigned)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI; /* as runc: programs above it still run too */
	rc = (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr));
	if (rc < 0)
		failed(call, "bpf BPF_PROG_ATTACH", dir);
	say("devices: a BPF program of %d instructions for %d rules, attached to %s", p.n, n, dir);
	/* The cgroup holds the program now: it goes when the cgroup is removed. */
	close(dir_fd);
	close(prog_fd);
	return rc;
}
