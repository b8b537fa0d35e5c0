/* doctor-bpf.h - probes of what eBPF tracing needs (screcord): the bpf(2) system call with the
 * privilege to load a tracing program, the kernel's BTF, the raw tracepoint sys_enter. A part of
 * doctor (doctor.c lists them all). */
#ifndef CSECLAB_DOCTOR_BPF_H
#define CSECLAB_DOCTOR_BPF_H

#include "doctor-features.h"

/* The probes of doctor-features.c's table: struct feature's `probe`. */
bool p_bpf(const struct feature *f, char *why, size_t len);
bool p_btf(const struct feature *f, char *why, size_t len);
bool p_raw_tracepoint(const struct feature *f, char *why, size_t len);

#endif
