/* aagen-policy.c - reading aagen's JSON policy: every value checked before it becomes a rule.
 *
 * A part of aagen (aagen.c writes the profile). A policy's strings end up inside AppArmor's
 * profile language, so each one is checked first: a name or abstraction is a plain word, a
 * capability one of capabilities(7), a path absolute (or @{VAR}/ with tunables) with no comma,
 * quote, '#' or white space that would end its rule and start another. Every key is
 * type-checked, and an unknown one is an error: a typo like "capabilites" would otherwise drop
 * rules without a word. Each refusal is "aagen: FILE: ..." and exit 2.
 */
#define _GNU_SOURCE
#include "aagen-policy.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *policy_file;

/* A malformed policy is the user's input error: exit 2, naming the file and the key. */
void bad_policy(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", progname, policy_file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

/* capabilities(7) names, as AppArmor spells them (lower case, no CAP_ prefix), by number. */
static const char *const cap_names[] = {
	"chown",
	"dac_override",
	"dac_read_search",
	"fowner",
	"fsetid",
	"kill",
	"setgid",
	"setuid",
	"setpcap",
	"linux_immutable",
	"net_bind_service",
	"net_broadcast",
	"net_admin",
	"net_raw",
	"ipc_lock",
	"ipc_owner",
	"sys_module",
	"sys_rawio",
	"sys_chroot",
	"sys_ptrace",
	"sys_pacct",
	"sys_admin",
	"sys_boot",
	"sys_nice",
	"sys_resource",
	"sys_time",
	"sys_tty_config",
	"mknod",
	"lease",
	"audit_write",
	"audit_control",
	"setfcap",
	"mac_override",
	"mac_admin",
	"syslog",
	"wake_alarm",
	"block_suspend",
	"audit_read",
	"perfmon",
	"bpf",
	"checkpoint_restore",
};

/* Accept "net_raw", "NET_RAW" and "CAP_NET_RAW"; return the AppArmor spelling or NULL. */
const char *cap_name(const char *s)
{
	char low[32];
	size_t i;

	if (strncasecmp(s, "cap_", 4) == 0)
		s += 4;
	for (i = 0; i < sizeof(low) - 1 && s[i]; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[i] = '\0';
	for (i = 0; i < ARRAY_SIZE(cap_names); i++)
		if (strcmp(low, cap_names[i]) == 0)
			return cap_names[i];
	return NULL;
}

/* Profile names become part of the policy text: keep them to a plain, safe alphabet. */
void check_name(const char *name)
{
	if (!*name || strlen(name) > 64)
		bad_policy("\"name\" must be 1-64 characters");
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
			bad_policy("\"name\" '%s': only letters, digits, '_', '.', '-' are allowed",
				   name);
}

/* A path rule is an absolute path with AppArmor globs (* ** ? [] {a,b}), or one starting with
 * a variable of tunables/global (@{PROC}/...); a comma outside braces, a quote, '#' or white
 * space would end the rule early and smuggle in another one. */
void check_path(const char *key, const char *path, bool variables)
{
	const char *start = path;
	int depth = 0;

	if (strncmp(path, "@{", 2) == 0) {
		if (!variables)
			bad_policy("\"%s\": '%s' uses a variable: add \"abstractions\" (their "
				   "tunables/global defines @{PROC}, @{HOME}...)",
				   key, path);
		for (start = path + 2; isalnum((unsigned char)*start) || *start == '_'; start++)
			;
		if (start == path + 2 || *start != '}' || start[1] != '/')
			bad_policy("\"%s\": '%s': a variable is @{NAME} followed by /", key, path);
		start++;
	} else if (path[0] != '/') {
		bad_policy("\"%s\": '%s' is not an absolute path", key, path);
	}
	for (const char *p = start; *p; p++) {
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p) || strchr("\"#", *p))
			bad_policy("\"%s\": '%s' contains a space, quote, '#' or control character",
				   key, path);
		if (*p == '{')
			depth++;
		else if (*p == '}' && --depth < 0)
			break;
		else if (*p == ',' && depth == 0)
			bad_policy("\"%s\": '%s' has a ',' outside {a,b} alternatives", key, path);
	}
	if (depth != 0)
		bad_policy("\"%s\": '%s' has unbalanced braces", key, path);
}

/* Every key we read is checked for its type; an unknown key is an error, not silence (a typo
 * like "capabilites" would otherwise drop rules without a word). */
void check_keys(json_t *obj, const char *where, const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		const char *const *k = known;

		while (*k && strcmp(*k, key) != 0)
			k++;
		if (!*k)
			bad_policy("unknown key \"%s\"%s%s", key, *where ? " in " : "", where);
	}
}

json_t *get_array(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	size_t i;
	json_t *e;

	if (!v)
		return NULL;
	if (!json_is_array(v))
		bad_policy("\"%s\" must be a list", key);
	json_array_foreach(v, i, e)
	{
		if (!json_is_string(e))
			bad_policy("\"%s\": item %zu is not a string", key, i + 1);
	}
	return v;
}

bool get_bool(json_t *obj, const char *key, bool dflt)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return dflt;
	if (!json_is_boolean(v))
		bad_policy("\"%s\" must be true or false", key);
	return json_is_true(v);
}

const char *get_string(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return NULL;
	if (!json_is_string(v))
		bad_policy("\"%s\" must be a string", key);
	return json_string_value(v);
}

/* An abstraction is a file of /etc/apparmor.d/abstractions: a plain name, no path tricks. */
void check_abstraction(const char *name)
{
	if (!*name || *name == '.' || strlen(name) > 64)
		bad_policy("\"abstractions\": '%s' is not a file name of abstractions/", name);
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
			bad_policy("\"abstractions\": '%s': only letters, digits, '_', '.', '-'",
				   name);
}
