/* minibox-caps.h - the process's limits, user, groups and capability sets. */
#ifndef MINIBOX_CAPS_H
#define MINIBOX_CAPS_H

#include "minibox-config.h"

/* process.rlimits and process.oomScoreAdj, while the process is still root. Dies on error. */
void caps_limits(const struct mb_config *c);
/* process.user (groups, gid, uid) with the permitted capabilities kept across the change of
 * uid, then process.capabilities: bounding, then inheritable, permitted and effective, then
 * ambient. Dies on error. */
void caps_apply(const struct mb_config *c);

#endif
