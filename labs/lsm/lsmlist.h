/* lsmlist.h - the active Linux Security Modules, in the kernel's order, read two ways.
 *
 * A part of lsminfo (the LSM lab reads the list) and of doctor (its "lsm:" fact), so that both
 * name the modules the same way.
 */
#ifndef CSECLAB_LSMLIST_H
#define CSECLAB_LSMLIST_H

#include <stddef.h>

#define LSM_LIST_SECURITYFS "/sys/kernel/security/lsm"

/* The comma-separated list securityfs shows ("lockdown,capability,landlock"), without the
 * newline, into BUF. 0, or -1 with errno set (ENOENT: securityfs is not mounted). */
int lsm_list_securityfs(char *buf, size_t len);
/* The same list from lsm_list_modules(2) (Linux 6.8+), each LSM_ID_* number turned into the
 * module's name ("unknown" for a number newer than this file). 0, or -1 with errno set
 * (ENOSYS before 6.8). */
int lsm_list_syscall(char *buf, size_t len);

#endif
