/* minibox-seccomp.h - linux.seccomp: compiled before clone, loaded in the child. */
#ifndef MINIBOX_SECCOMP_H
#define MINIBOX_SECCOMP_H

#include <seccomp.h>

#include "minibox-config.h"

/* In the parent: compile C->seccomp with the shared profile compiler. 0 ok (*CTX NULL when
 * the config has none); -1 with ERR filled (where: "linux.seccomp...", status 2 or 77). */
int seccomp_prepare(const struct mb_config *c, scmp_filter_ctx *ctx, struct profile_error *err);
/* In the child: load it. 0 ok, -1 with errno set (the kernel's: SCMP_FLTATR_API_SYSRAWRC). */
int seccomp_apply(scmp_filter_ctx ctx);

#endif
