/* doctor-probes.h - probes of what the kernel offers: namespaces, cgroups, seccomp, Landlock
 * and a few system calls. A part of doctor (doctor.c lists them all). */
#ifndef CSECLAB_DOCTOR_PROBES_H
#define CSECLAB_DOCTOR_PROBES_H

#include "doctor-features.h"

/* The namespace kinds: their name under /proc/self/ns and their clone flag. */
#define NS_KINDS 8
extern const struct ns_kind {
	const char *ns;
	int flag;
} ns_kinds[NS_KINDS];

/* Run FN(ARG) in a forked child and return its exit status (or 128+signal): probes that change
 * the process (unshare, setuid, seccomp) or hold something (a BPF program) never touch doctor. */
int in_child(int (*fn)(void *), void *arg);

/* Landlock's ABI version (1 in 5.13, 4 in 6.7 with TCP ports), or -errno. */
int landlock_abi(void);

/* The probes of doctor-features.c's table: struct feature's `probe`. */
bool p_root(const struct feature *f, char *why, size_t len);
bool p_ns(const struct feature *f, char *why, size_t len);
bool p_unpriv_userns(const struct feature *f, char *why, size_t len);
bool p_mqueue(const struct feature *f, char *why, size_t len);
bool p_veth(const struct feature *f, char *why, size_t len);
bool p_cgroup_version(const struct feature *f, char *why, size_t len);
bool p_cgroup(const struct feature *f, char *why, size_t len);
bool p_cgroup_v2_mount(const struct feature *f, char *why, size_t len);
bool p_cgroup_kill(const struct feature *f, char *why, size_t len);
bool p_seccomp(const struct feature *f, char *why, size_t len);
bool p_seccomp_action(const struct feature *f, char *why, size_t len);
bool p_ia32(const struct feature *f, char *why, size_t len);
bool p_io_uring(const struct feature *f, char *why, size_t len);
bool p_ptrace(const struct feature *f, char *why, size_t len);
bool p_kmsg(const struct feature *f, char *why, size_t len);
bool p_landlock(const struct feature *f, char *why, size_t len);

#endif
