/* profile.c - compile a Docker-format seccomp profile into a libseccomp filter (profile.h).
 *
 * The format is Docker's (moby profiles/seccomp/default.json; containers-common's seccomp.json
 * and an OCI config's linux.seccomp have the same fields and "SCMP_*" names):
 *   defaultAction, defaultErrnoRet   what every syscall that no rule names gets
 *   architectures, or archMap        the other entry points the filter answers for (x86, x32)
 *   syscalls[]  names, action, errnoRet, args[] {index, value, valueTwo, op}, includes/excludes
 *   flags, listenerPath              SECCOMP_FILTER_FLAG_*, a seccomp agent's socket
 * It follows runc (libcontainer/seccomp) and Docker's loader: errnoRet defaults to EPERM; a
 * rule whose action is the default one is not added; all args of a rule must hold, but two on
 * the same argument become rules of their own (either may match); includes/excludes keep or
 * drop a rule for this machine. It is stricter where runc is silent: an unknown syscall name,
 * operator or flag, a listenerPath or SCMP_ACT_NOTIFY (no agent here) refuse the profile, and
 * an unknown key is a warning.
 * Parts: profile-json.c (type-checked reading, errors that name the place), profile-includes.c
 * (includes/excludes), profile-explain.c (what the compiled filter keeps, for one syscall).
 */
#define _GNU_SOURCE
#include "profile.h"
#include "cseclab.h"
#include "profile-explain.h"
#include "profile-includes.h"
#include "profile-json.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* One compilation (on the heap: it must survive doc_fail()'s longjmp intact). */
struct compiler {
	struct doc doc;
	scmp_filter_ctx ctx;
	uint32_t default_action;
	json_t *made; /* arrays made here ("name": "x" read as ["x"]), freed at the end */
	int rules, skipped;
	struct explain ex;
};

/* ---- actions and comparisons --------------------------------------------------------------- */

static const struct {
	const char *name;
	uint32_t action; /* for ERRNO and TRACE the data (errnoRet) is added later */
} actions[] = {
	{"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD}, /* the old name: kills the calling thread */
	{"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
	{"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
	{"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
	{"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0)},
	{"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0)},
	{"SCMP_ACT_LOG", SCMP_ACT_LOG},
	{"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
};

/* The action named by STR; an ERRNO or TRACE action carries ERRNO_RET (EPERM if absent, as in
 * runc). errnoRet on another action is refused: it would be silently meaningless. */
static uint32_t parse_action(struct doc *d, json_t *str, json_t *errno_ret, const char *place)
{
	const char *name = json_string_value(str);
	char where[128];

	doc_at(where, sizeof(where), place, "action");
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (strcmp(name, actions[i].name))
			continue;
		bool takes_data = actions[i].action == SCMP_ACT_ERRNO(0) ||
				  actions[i].action == SCMP_ACT_TRACE(0);
		if (errno_ret && !takes_data)
			doc_bad(d, where,
				"errnoRet is only meaningful with SCMP_ACT_ERRNO or "
				"SCMP_ACT_TRACE");
		if (!takes_data)
			return actions[i].action;
		json_int_t e = errno_ret ? json_integer_value(errno_ret) : EPERM;
		if (e < 0 || e > 4095)
			doc_bad(d, where,
				"errnoRet %" JSON_INTEGER_FORMAT " is not an errno (0..4095)", e);
		return actions[i].action | (uint32_t)e;
	}
	if (!strcmp(name, "SCMP_ACT_NOTIFY"))
		doc_bad(d, where,
			"SCMP_ACT_NOTIFY needs a supervisor listening (seccomp_unotify(2)); "
			"%s has none, see bin/filter --action notify",
			progname);
	doc_bad(d, where,
		"unknown action \"%s\" (expected SCMP_ACT_ALLOW, _ERRNO, _KILL, "
		"_KILL_THREAD, _KILL_PROCESS, _TRAP, _TRACE or _LOG)",
		name);
}

static const struct {
	const char *name;
	enum scmp_compare op;
	const char *symbol;
} ops[] = {
	{"SCMP_CMP_NE", SCMP_CMP_NE, "!="},
	{"SCMP_CMP_LT", SCMP_CMP_LT, "<"},
	{"SCMP_CMP_LE", SCMP_CMP_LE, "<="},
	{"SCMP_CMP_EQ", SCMP_CMP_EQ, "=="},
	{"SCMP_CMP_GE", SCMP_CMP_GE, ">="},
	{"SCMP_CMP_GT", SCMP_CMP_GT, ">"},
	{"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ, "&"},
};

/* ARGS of the rule at PLACE into CONDS (*N of them) and, for --explain, TEXT. */
static void parse_args(struct doc *d, json_t *args, const char *place, struct scmp_arg_cmp *conds,
		       size_t *n, char *text, size_t len)
{
	static const char *const keys[] = {"index", "value", "valueTwo", "op", NULL};
	char where[128];
	size_t i, k;
	json_t *a;

	*n = 0;
	text[0] = '\0';
	if (json_array_size(args) > 6)
		doc_bad(d, place, "args: %zu conditions, a syscall has at most 6 arguments",
			json_array_size(args));
	json_array_foreach(args, i, a)
	{
		snprintf(where, sizeof(where), "%s.args[%zu]", place, i);
		if (!json_is_object(a))
			doc_bad(d, where, "expected an object, found %s", doc_type(a));
		doc_check_keys(d, a, where, keys);
		json_t *op = doc_member(d, a, "op", JSON_STRING, where);
		if (!json_object_get(a, "index") || !op)
			doc_bad(d, where, "needs \"index\" and \"op\"");
		unsigned idx = (unsigned)doc_unsigned(d, a, "index", where, 5);
		uint64_t value = doc_unsigned(d, a, "value", where, UINT64_MAX);
		uint64_t two = doc_unsigned(d, a, "valueTwo", where, UINT64_MAX);
		for (k = 0; k < ARRAY_SIZE(ops) && strcmp(ops[k].name, json_string_value(op)); k++)
			;
		if (k == ARRAY_SIZE(ops))
			doc_bad(d, strcat(where, ".op"),
				"unknown operator \"%s\" (expected SCMP_CMP_NE, _LT, _LE, "
				"_EQ, _GE, _GT or _MASKED_EQ)",
				json_string_value(op));
		/* MASKED_EQ: (arg & value) == valueTwo. The others compare arg with value. */
		conds[(*n)++] = (struct scmp_arg_cmp){idx, ops[k].op, value, two};
		size_t used = strlen(text);
		if (ops[k].op == SCMP_CMP_MASKED_EQ)
			snprintf(text + used, len - used, "%sarg%u & %#" PRIx64 " == %#" PRIx64,
				 used ? " && " : "", idx, value, two);
		else
			snprintf(text + used, len - used, "%sarg%u %s %#" PRIx64,
				 used ? " && " : "", idx, ops[k].symbol, value);
	}
}

/* ---- one syscall rule ------------------------------------------------------------------- */

/* libseccomp rejects a rule whose action is the default one (EACCES); runc skips it too. */
static void add_rule(struct compiler *c, const char *place, const char *name, uint32_t action,
		     const struct scmp_arg_cmp *conds, size_t n)
{
	int nr = seccomp_syscall_resolve_name(name), rc = 0;
	bool same_index = false;

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			same_index |= conds[i].arg == conds[j].arg;
	if (action == c->default_action)
		return;
	if (!same_index) {
		/* All conditions in one rule: the action applies when every one of them holds. */
		rc = seccomp_rule_add_array(c->ctx, action, nr, (unsigned)n, conds);
	} else {
		/* Two conditions on the same argument: runc turns each into its own rule, so
		 * any one of them matching is enough. We follow runc. */
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = seccomp_rule_add_array(c->ctx, action, nr, 1, &conds[i]);
	}
	if (rc < 0)
		doc_bad(&c->doc, place, "seccomp_rule_add(%s): %s%s", name, strerror(-rc),
			rc == -EEXIST ? " (an earlier rule with the same conditions gives it a "
					"different action)"
				      : "");
	c->rules++;
}

static void parse_syscall(struct compiler *c, json_t *rule, size_t index)
{
	static const char *const keys[] = {"name",    "names",	  "action",   "errnoRet", "args",
					   "comment", "includes", "excludes", NULL};
	char place[64], where[96], why[160] = "", argtext[512];
	struct doc *d = &c->doc;
	struct scmp_arg_cmp conds[6];
	json_t *names, *name, *act;
	size_t i, n;

	snprintf(place, sizeof(place), "syscalls[%zu]", index);
	if (!json_is_object(rule))
		doc_bad(d, place, "expected an object, found %s", doc_type(rule));
	doc_check_keys(d, rule, place, keys);
	name = doc_member(d, rule, "name", JSON_STRING, place);
	names = doc_member(d, rule, "names", JSON_ARRAY, place);
	if (name && names)
		doc_bad(d, place, "has both \"name\" and \"names\": use one");
	if (!name && !names)
		doc_bad(d, place, "names: missing (the syscalls this rule is about)");
	act = doc_member(d, rule, "action", JSON_STRING, place);
	if (!act)
		doc_bad(d, place, "action: missing");
	uint32_t action =
		parse_action(d, act, doc_member(d, rule, "errnoRet", JSON_INTEGER, place), place);
	parse_args(d, doc_list(doc_member(d, rule, "args", JSON_ARRAY, place)), place, conds, &n,
		   argtext, sizeof(argtext));

	/* "name": "x" is short for "names": ["x"] (a list of ours: the document stays as it is). */
	if (name) {
		names = json_pack("[O]", name);
		json_array_append_new(c->made, names);
	}
	/* Resolve every name first, so that a typo is reported whether or not the rule applies. */
	doc_at(where, sizeof(where), place, "names");
	for (i = 0; i < json_array_size(names); i++) {
		const char *s = doc_string(d, names, i, where);
		if (seccomp_syscall_resolve_name(s) == __NR_SCMP_ERROR) {
			snprintf(where, sizeof(where), "%s.names[%zu]", place, i);
			doc_bad(d, where,
				"unknown syscall \"%s\" (a typo, or newer than this libseccomp "
				"%u.%u: runc would skip it silently)",
				s, seccomp_version()->major, seccomp_version()->minor);
		}
	}
	bool keep = rule_counts_here(d, rule, place, why, sizeof(why));

	if (c->ex.out && doc_has(d, names, c->ex.name, where))
		explain_rule(&c->ex, place, action, n, argtext, keep, why);
	if (!keep) {
		say("%s skipped: %s", place, why);
		c->skipped++;
		return;
	}
	for (i = 0; i < json_array_size(names); i++) {
		snprintf(where, sizeof(where), "%s.names[%zu]", place, i);
		add_rule(c, where, json_string_value(json_array_get(names, i)), action, conds, n);
	}
}

/* ---- the whole profile ----------------------------------------------------------------- */

/* "SCMP_ARCH_X86_64" -> libseccomp's token; 0 if unknown. */
static uint32_t parse_arch(const char *name)
{
	char lower[32];
	size_t i;

	if (strncmp(name, "SCMP_ARCH_", 10))
		return 0;
	for (i = 0; name[10 + i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char)tolower((unsigned char)name[10 + i]);
	lower[i] = '\0';
	return seccomp_arch_resolve_name(lower);
}

/* One architecture the filter must also answer for; others are killed (libseccomp's bad-arch
 * action), so a 32-bit entry point cannot bypass rules written for the 64-bit one. */
static void add_arch(struct compiler *c, json_t *name, const char *where)
{
	uint32_t token;
	int rc;

	if (!json_is_string(name))
		doc_bad(&c->doc, where, "expected a string, found %s", doc_type(name));
	token = parse_arch(json_string_value(name));
	if (!token)
		doc_bad(&c->doc, where, "unknown architecture \"%s\"", json_string_value(name));
	rc = seccomp_arch_add(c->ctx, token);
	if (rc < 0 && rc != -EEXIST)
		doc_bad(&c->doc, where, "seccomp_arch_add(%s): %s", json_string_value(name),
			strerror(-rc));
	say("architecture %s added", json_string_value(name));
}

/* "architectures": every one listed; "archMap": only the entry for this machine counts, with
 * its sub-architectures (x86 and x32 for x86_64). A profile has one or the other, as Docker. */
static void add_arches(struct compiler *c, json_t *root)
{
	struct doc *d = &c->doc;
	json_t *archs = doc_list(doc_member(d, root, "architectures", JSON_ARRAY, ""));
	json_t *archmap = doc_list(doc_member(d, root, "archMap", JSON_ARRAY, ""));
	char where[96];
	size_t i, j;
	json_t *v, *s;

	if (json_array_size(archs) && json_array_size(archmap))
		doc_bad(d, "top level",
			"has both \"architectures\" and \"archMap\": use one (as Docker)");
	json_array_foreach(archs, i, v)
	{
		snprintf(where, sizeof(where), "architectures[%zu]", i);
		add_arch(c, v, where);
	}
	json_array_foreach(archmap, i, v)
	{
		snprintf(where, sizeof(where), "archMap[%zu]", i);
		if (!json_is_object(v))
			doc_bad(d, where, "expected an object, found %s", doc_type(v));
		json_t *a = doc_member(d, v, "architecture", JSON_STRING, where);
		json_t *subs = doc_member(d, v, "subArchitectures", JSON_ARRAY, where);
		if (!a)
			doc_bad(d, where, "architecture: missing");
		if (!parse_arch(json_string_value(a)))
			doc_bad(d, where, "architecture: unknown \"%s\"", json_string_value(a));
		if (parse_arch(json_string_value(a)) != seccomp_arch_native())
			continue;
		add_arch(c, a, where);
		json_array_foreach(doc_list(subs), j, s)
		{
			snprintf(where, sizeof(where), "archMap[%zu].subArchitectures[%zu]", i, j);
			add_arch(c, s, where);
		}
	}
}

/* "flags": the SECCOMP_FILTER_FLAG_* of seccomp(2) the profile asks for. What libseccomp 2.5
 * can pass to the kernel is applied (newer runc does the same); the rest is refused before
 * anything runs, never ignored. */
static void apply_flags(struct compiler *c, json_t *flags)
{
	static const struct {
		const char *name;
		enum scmp_filter_attr attr; /* 0: refused */
		const char *what;
	} known[] = {
		{"SECCOMP_FILTER_FLAG_TSYNC", SCMP_FLTATR_CTL_TSYNC,
		 "every thread gets the filter (CMD starts with one thread anyway)"},
		{"SECCOMP_FILTER_FLAG_LOG", SCMP_FLTATR_CTL_LOG,
		 "every action but allow is logged (kernel.seccomp.actions_logged)"},
		{"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SCMP_FLTATR_CTL_SSB,
		 "the kernel does not force the speculative store bypass mitigation on CMD"},
		{"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 0,
		 "not supported: libseccomp 2.5 cannot set it, and it only matters to a notify "
		 "listener"},
	};
	char where[32];
	size_t i, k;

	for (i = 0; i < json_array_size(flags); i++) {
		snprintf(where, sizeof(where), "flags[%zu]", i);
		const char *flag = doc_string(&c->doc, flags, i, "flags");
		for (k = 0; k < ARRAY_SIZE(known) && strcmp(known[k].name, flag); k++)
			;
		if (k == ARRAY_SIZE(known))
			doc_bad(&c->doc, where,
				"unknown flag \"%s\" (expected SECCOMP_FILTER_FLAG_TSYNC, _LOG, "
				"_SPEC_ALLOW or _WAIT_KILLABLE_RECV)",
				flag);
		if (!known[k].attr)
			doc_bad(&c->doc, where, "%s: %s, which %s does not have", known[k].name,
				known[k].what, progname);
		int rc = seccomp_attr_set(c->ctx, known[k].attr, 1);
		if (rc < 0)
			doc_fail(&c->doc, EXIT_UNSUPPORTED, where,
				 "%s: seccomp_attr_set: %s (libseccomp %u.%u: needs a newer kernel "
				 "or libseccomp)",
				 known[k].name, strerror(-rc), seccomp_version()->major,
				 seccomp_version()->minor);
		say("%s: %s: %s", where, known[k].name, known[k].what);
	}
}

static void compile(struct compiler *c, json_t *root, const struct profile_options *opt)
{
	static const char *const keys[] = {"defaultAction",    "defaultErrnoRet", "architectures",
					   "archMap",	       "syscalls",	  "listenerPath",
					   "listenerMetadata", "flags",		  NULL};
	struct doc *d = &c->doc;

	explain_start(&c->ex, opt->explain ? opt->explain_out : NULL, opt->explain, native_arch());
	if (!json_is_object(root))
		doc_bad(d, "top level", "expected an object, found %s", doc_type(root));
	doc_check_keys(d, root, "", keys);
	json_t *dact = doc_member(d, root, "defaultAction", JSON_STRING, "");
	if (!dact)
		doc_bad(d, "defaultAction", "missing (what every syscall not listed gets)");
	c->default_action = parse_action(
		d, dact, doc_member(d, root, "defaultErrnoRet", JSON_INTEGER, ""), "default");
	c->ex.default_action = c->default_action;
	c->ctx = seccomp_init(c->default_action);
	if (!c->ctx)
		doc_fail(d, EXIT_FAIL, "defaultAction",
			 "seccomp_init: failed (libseccomp could not create a filter)");
	/* no_new_privs is the caller's to set, in plain sight, before seccomp_load. */
	seccomp_attr_set(c->ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* Report the kernel's own errno from seccomp_load, not libseccomp's ECANCELED. */
	seccomp_attr_set(c->ctx, SCMP_FLTATR_API_SYSRAWRC, 1);

	apply_flags(c, doc_list(doc_member(d, root, "flags", JSON_ARRAY, "")));
	/* listenerPath: the unix socket of a seccomp agent that would receive the notify
	 * listener; listenerMetadata is a string for that agent. There is no agent here. */
	json_t *lpath = doc_member(d, root, "listenerPath", JSON_STRING, "");
	json_t *lmeta = doc_member(d, root, "listenerMetadata", JSON_STRING, "");
	if (lpath && *json_string_value(lpath))
		doc_bad(d, "listenerPath", "\"%s\": %s has no seccomp agent to pass a listener to",
			json_string_value(lpath), progname);
	if (lmeta && *json_string_value(lmeta))
		warnf("%s: listenerMetadata: ignored, it is only for the agent at listenerPath",
		      d->source);

	add_arches(c, root);
	json_t *syscalls = doc_list(doc_member(d, root, "syscalls", JSON_ARRAY, ""));
	for (size_t i = 0; i < json_array_size(syscalls); i++)
		parse_syscall(c, json_array_get(syscalls, i), i);
	say("%d rules added, %d skipped by includes/excludes", c->rules, c->skipped);
	explain_end(&c->ex);
}

int profile_compile(json_t *profile, const struct profile_options *opt, scmp_filter_ctx *ctx,
		    struct profile_error *err)
{
	struct compiler *c = calloc(1, sizeof(*c));

	*ctx = NULL;
	if (!c || !(c->made = json_array())) {
		*err = (struct profile_error){EXIT_FAIL, "top level", "out of memory"};
		free(c);
		return -1;
	}
	c->doc.source = opt->source;
	c->doc.err = err;
	if (setjmp(c->doc.fail) == 0) {
		compile(c, profile, opt);
		*ctx = c->ctx;
	} else if (c->ctx) {
		seccomp_release(c->ctx);
	}
	json_decref(c->made);
	free(c);
	return *ctx ? 0 : -1;
}
