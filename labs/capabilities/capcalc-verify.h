/* capcalc-verify.h - capcalc --verify: the computed sets against the kernel's, case by case. */
#ifndef CAPCALC_VERIFY_H
#define CAPCALC_VERIFY_H

#include <sys/types.h>

/* Runs every case (USER is the unprivileged one) and prints "verify: N/M cases match".
 * EXIT_OK when all match, EXIT_FAIL otherwise; exits 77 when this machine cannot. */
int verify(uid_t user);

#endif
