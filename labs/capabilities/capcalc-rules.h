/* capcalc-rules.h - the model capcalc computes with: a process's capability sets, a file's, and
 * what execve makes of them. Defined in capcalc-rules.c; used by capcalc.c and capcalc-verify.c.
 */
#ifndef CAPCALC_RULES_H
#define CAPCALC_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A process: its uids, its five capability sets as bit masks, and no_new_privs. */
struct proc {
	uid_t uid, euid;
	uint64_t inh, prm, eff, bnd, amb;
	bool nnp;
};

/* The file it execs: its capabilities (F(permitted), F(inheritable), F(effective)), setuid root. */
struct file {
	uint64_t fp, fi;
	bool fe, suid_root;
};

/* What execve gives: the new process, or the errno of a refused exec. */
struct result {
	struct proc p;
	int exec_errno; /* EPERM: the kernel refuses the exec */
};

/* The highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap). */
extern int last_cap;
/* compute() prints each rule as it applies it (capcalc's own run, not --verify). */
extern bool steps;

/* Every capability this kernel knows, as a mask. */
uint64_t all_caps(void);

/* "chown,net_bind_service", "none" or "all" for the mask M, in BUF. */
const char *names(uint64_t m, char *buf, size_t len);
/* The kernel's rules at execve for the process OLD and the file F. */
struct result compute(const struct proc *old, const struct file *f);
/* This process as /proc/self/status shows it. */
struct proc read_self(void);
/* "LABEL: uid=N euid=N inh=0x.. prm=0x.. eff=0x.. bnd=0x.. amb=0x.." */
void print_proc(const char *label, const struct proc *p);

#endif
