/* aagen-policy.h - reading aagen's JSON policy: every value checked before it becomes a rule. */
#ifndef AAGEN_POLICY_H
#define AAGEN_POLICY_H

#include <jansson.h>
#include <stdbool.h>

#include "cseclab.h"

/* The policy's file name, for messages (set by main). */
extern const char *policy_file;

/* "aagen: FILE: MESSAGE" on stderr, exit 2: a malformed policy is the user's input error. */
__attribute__((noreturn, format(printf, 1, 2))) void bad_policy(const char *fmt, ...);

/* "net_raw", "NET_RAW" or "CAP_NET_RAW" -> AppArmor's spelling ("net_raw"); NULL if unknown. */
const char *cap_name(const char *s);
/* A profile name: 1-64 letters, digits, '_', '.', '-'. */
void check_name(const char *name);
/* An abstraction: a plain file name of /etc/apparmor.d/abstractions. */
void check_abstraction(const char *name);
/* A path of KEY: absolute with AppArmor globs, or @{VAR}/... when VARIABLES (tunables) are in. */
void check_path(const char *key, const char *path, bool variables);
/* Every key of OBJ (named WHERE in messages, "" at the top) must be in KNOWN (NULL-terminated). */
void check_keys(json_t *obj, const char *where, const char *const *known);
/* OBJ.KEY as a list of strings, a boolean (DFLT when absent), a string; NULL when absent. */
json_t *get_array(json_t *obj, const char *key);
bool get_bool(json_t *obj, const char *key, bool dflt);
const char *get_string(json_t *obj, const char *key);

#endif
