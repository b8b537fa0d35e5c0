/* syscount.h - system calls counted per architecture, shown as a table or written as a profile.
 *
 * A part shared by sctrace (one seccomp trace stop per call) and screcord (an eBPF program
 * counting in the kernel): whatever watched the calls, both print the same `strace -c` style
 * table and write the same Docker-format allow-list, so seccomp-run -p and
 * `docker run --security-opt seccomp=` take either unchanged.
 */
#ifndef CSECLAB_SYSCOUNT_H
#define CSECLAB_SYSCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* x32 programs enter the kernel as x86_64 with this bit set in the syscall number; libseccomp
 * calls that ABI SCMP_ARCH_X32 and its numbers keep the bit (getpid is 0x40000027). */
#define X32_SYSCALL_BIT 0x40000000UL

/* Count N calls of number NR entering through ARCH (AUDIT_ARCH_*, which is also libseccomp's
 * token for it); an x86_64 number with X32_SYSCALL_BIT is counted under SCMP_ARCH_X32. The
 * first architecture counted is taken for the program's own (the table marks the others). */
void syscount_add(uint32_t arch, unsigned long nr, unsigned long n);
/* How many distinct (architecture, number) pairs were counted. */
size_t syscount_distinct(void);
/* libseccomp's name for syscall NR of ARCH, in BUF; false (and "syscall_NR") when it has none. */
bool syscount_name(uint32_t arch, long nr, char *buf, size_t len);
/* The table on stderr: "calls syscall" lines, most called first, then
 * "total: N calls, M distinct". */
void syscount_print_table(void);
/* FILE: {"defaultAction": "SCMP_ACT_ERRNO", "architectures": [...], "syscalls": [{"names":
 * [...], "action": "SCMP_ACT_ALLOW", ...}]}, the names seen; exit 1 if it cannot be written. */
void syscount_write_profile(const char *file);

#endif
