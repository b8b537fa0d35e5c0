/* profile-includes.h - Docker's includes/excludes: does a profile's rule count on this machine? */
#ifndef PROFILE_INCLUDES_H
#define PROFILE_INCLUDES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "profile-json.h"

/* This machine's architecture as profiles name it in "arches" (Go's names: "amd64", "arm64"). */
const char *native_arch(void);
/* Whether RULE (at PLACE) counts here: its "excludes" then "includes" checked against this
 * process's bounding set, native_arch() and kernel version. When not, WHY says which condition
 * dropped it ("includes.caps: CAP_SYS_ADMIN is not in the bounding set"). */
bool rule_counts_here(struct doc *d, json_t *rule, const char *place, char *why, size_t len);

#endif
