/* capcalc-rules.c - the rules of execve for capabilities, as capcalc computes them.
 *
 * A part of capcalc (capcalc-rules.h holds the model: struct proc, struct file, struct result).
 * compute() is the kernel's transformation at execve; names(), print_proc() and read_self() are
 * the small helpers that capcalc.c (the story) and capcalc-verify.c (the check) both use. This
 * part uses neither of them.
 */
#define _GNU_SOURCE
#include "capcalc-rules.h"
#include "cseclab.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

int last_cap;
bool steps;

uint64_t all_caps(void)
{
	return last_cap >= 63 ? ~0ULL : (1ULL << (last_cap + 1)) - 1;
}

const char *names(uint64_t m, char *buf, size_t len)
{
	size_t used = 0;
	char *n;
	int c;

	if (!m)
		return "none";
	if ((m & all_caps()) == all_caps())
		return "all";
	buf[0] = '\0';
	for (c = 0; c <= last_cap; c++) {
		if (!(m & (1ULL << c)))
			continue;
		n = cap_to_name(c);
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? "," : "", n + 4);
		cap_free(n);
	}
	return buf;
}

static void step(const char *what, uint64_t m)
{
	char buf[1024];

	if (steps)
		printf("  %-58s = 0x%016llx %s\n", what, (unsigned long long)m,
		       names(m, buf, sizeof(buf)));
}

/* The kernel's algorithm (security/commoncap.c, cap_bprm_creds_from_file), step by step:
 *   P'(ambient)   = (file caps, or the new euid differs from the real uid) ? 0 : P(ambient)
 *   P'(permitted) = (P(inheritable) & F(inheritable)) | (F(permitted) & P(bounding)) | P'(ambient)
 *   P'(effective) = F(effective) ? P'(permitted) : P'(ambient);  inheritable, bounding: kept
 * with the root rules (uid 0: F(p) = F(i) = all, F(e) = 1), no_new_privs (the setuid bit is
 * ignored, no gain over P(p)) and the EPERM for a capability-dumb file whose F(p) is not all
 * granted. */
struct result compute(const struct proc *old, const struct file *f)
{
	struct result r = {.p = *old};
	struct proc *new = &r.p;
	bool has_fcap = f->fp || f->fi || f->fe, effective = f->fe, setid;

	/* bprm_fill_uid (fs/exec.c): under no_new_privs the kernel never applies the setuid bit
	 * (prctl(2): "set-user-ID bits become non-functional"); the file runs as a plain one. */
	if (f->suid_root && old->nnp) {
		if (steps)
			printf("  no_new_privs: the setuid bit is ignored, euid stays %u\n",
			       (unsigned)new->euid);
	} else if (f->suid_root) {
		new->euid = 0;
	}
	/* get_file_caps: pP' = (X & fP) | (pI & fI), before the ambient set is added. */
	new->prm = (old->bnd & f->fp) | (old->inh & f->fi);
	step("P'(permitted) = (P(bounding) & F(permitted)) | (P(inh) & F(inh))", new->prm);
	if (has_fcap && effective && (f->fp & ~new->prm)) {
		if (steps)
			printf("  F(effective) set but F(permitted) not all granted: execve fails "
			       "with EPERM (capability-dumb binary)\n");
		r.exec_errno = EPERM;
		return r;
	}
	/* Root: the file's sets count as full, unless a setuid-root file with file caps is run by
	 * a non-root user (then only the file caps count). */
	if (has_fcap && new->uid != 0 && new->euid == 0) {
		if (steps)
			printf("  setuid-root file with file caps, real uid %u: root rules "
			       "skipped\n",
			       (unsigned)new->uid);
	} else if (new->euid == 0 || new->uid == 0) {
		new->prm = old->bnd | old->inh;
		step("root: F(p) = F(i) = all, so P'(permitted) = P(bounding) | P(inh)", new->prm);
		if (new->euid == 0)
			effective = true;
	}
	/* "setid" as the kernel means it: the new euid is not the real uid. A real-root caller
	 * running a setuid-root file is not setid: it keeps its ambient set. */
	setid = new->euid != old->uid;
	/* no_new_privs: nothing beyond what the process already permitted. */
	if (old->nnp && (setid || (new->prm & ~old->prm))) {
		new->euid = new->uid;
		new->prm &= old->prm;
		step("no_new_privs: euid = uid, P'(permitted) &= P(permitted)", new->prm);
	}
	if (has_fcap || setid)
		new->amb = 0;
	step("P'(ambient) = (file caps or euid' != uid) ? 0 : P(ambient)", new->amb);
	new->prm |= new->amb;
	step("P'(permitted) |= P'(ambient)", new->prm);
	new->eff = effective ? new->prm : new->amb;
	step(effective ? "P'(effective) = P'(permitted) (F(effective) set, or euid 0)"
		       : "P'(effective) = P'(ambient) (F(effective) clear)",
	     new->eff);
	step("P'(inheritable) = P(inheritable)", new->inh);
	step("P'(bounding) = P(bounding)", new->bnd);
	return r;
}

void print_proc(const char *label, const struct proc *p)
{
	printf("%s: uid=%u euid=%u inh=0x%llx prm=0x%llx eff=0x%llx bnd=0x%llx amb=0x%llx\n", label,
	       (unsigned)p->uid, (unsigned)p->euid, (unsigned long long)p->inh,
	       (unsigned long long)p->prm, (unsigned long long)p->eff, (unsigned long long)p->bnd,
	       (unsigned long long)p->amb);
}

/* This process as the kernel sees it. */
struct proc read_self(void)
{
	char st[8192], *l;
	struct proc p = {.uid = getuid(), .euid = geteuid()};

	if (read_file("/proc/self/status", st, sizeof(st)) < 0)
		die("/proc/self/status");
#define FIELD(key, dst)                                                                            \
	if ((l = strstr(st, key ":")))                                                             \
		dst = strtoull(l + strlen(key ":"), NULL, 16);
	FIELD("CapInh", p.inh)
	FIELD("CapPrm", p.prm)
	FIELD("CapEff", p.eff)
	FIELD("CapBnd", p.bnd)
	FIELD("CapAmb", p.amb)
#undef FIELD
	p.nnp = (l = strstr(st, "NoNewPrivs:")) && strtol(l + 11, NULL, 10) == 1;
	return p;
}
