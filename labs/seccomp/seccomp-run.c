/* seccomp-run - load a Docker-format seccomp profile by hand, then run a command under it.
 *
 * Mechanism: seccomp filter mode (seccomp(2)). The profile is Docker's JSON (defaultAction,
 * archMap, syscalls with args and includes/excludes), read with jansson and compiled to BPF
 * with libseccomp, following Docker's rules: a rule's caps are checked against this process's
 * bounding set, its arches against the native arch, its minKernel against uname. Its "flags"
 * LOG and SPEC_ALLOW are passed to seccomp(2); what it cannot honour is refused (exit 2).
 * Does: builds the filter, forks; the child sets no_new_privs, loads the filter, execs CMD.
 * Outcome: CMD's own exit status; what the profile refuses fails inside CMD (EPERM by default).
 *   `--explain clone3` with Docker's default prints "verdict: errno 38 (ENOSYS)"; an execve the
 *   profile refuses gives "seccomp-run: execve CMD: Operation not permitted", exit 1; a malformed
 *   profile gives "seccomp-run: FILE: syscalls[3].action: ...", exit 2, and CMD never runs.
 * Needs: CONFIG_SECCOMP_FILTER, libseccomp, jansson; no privilege (--no-nnp needs CAP_SYS_ADMIN).
 * Read next: seccomp(2), seccomp_rule_add(3), Docker's docs "Seccomp security profiles".
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *profile_path = "profile"; /* for messages; set by --profile */
static bool have_profile;
static const char *explain_name; /* --explain SYSCALL */
static int explain_nr;
static char native_arch[16]; /* Docker's name for it: "amd64", "arm64"... */
static uint32_t default_action;
/* Not static: the fuzz harness (tests/fuzz/seccomp_profile.c) releases them after each input. */
scmp_filter_ctx ctx;
json_t *profile_root;
/* Where bad() goes after its message: exit 2, or (fuzzing) back to the harness. */
void (*bad_exit)(void);

/* A profile mistake: "seccomp-run: FILE: PLACE: MESSAGE", exit 2, before anything runs. */
static _Noreturn void bad(const char *place, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static _Noreturn void bad(const char *place, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: %s: ", progname, profile_path, place);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (bad_exit)
		bad_exit();
	exit(EXIT_USAGE);
}

/* ---- reading the JSON: every value is type-checked, and errors name where it is ---------- */

static const char *type_word(json_type t)
{
	static const char *const names[] = {
		[JSON_OBJECT] = "an object",   [JSON_ARRAY] = "an array",
		[JSON_STRING] = "a string",    [JSON_INTEGER] = "an integer",
		[JSON_REAL] = "a real number", [JSON_TRUE] = "true",
		[JSON_FALSE] = "false",	       [JSON_NULL] = "null",
	};
	return names[t];
}

static const char *type_name(const json_t *v)
{
	return v ? type_word(json_typeof(v)) : "nothing";
}

/* An absent list reads as an empty one (one shared empty array, never modified). */
static json_t *or_empty(json_t *array)
{
	static json_t *empty;

	if (!empty)
		empty = json_array();
	return array ? array : empty;
}

/* OBJ.KEY if present and not null (Docker treats null as absent), checked to be of TYPE. */
static json_t *member(json_t *obj, const char *key, json_type type, const char *place)
{
	json_t *v = json_object_get(obj, key);
	char where[128];

	if (!v || json_is_null(v))
		return NULL;
	if (json_typeof(v) != type) {
		snprintf(where, sizeof(where), "%s%s%s", place, *place ? "." : "", key);
		bad(where, "expected %s, found %s", type_word(type), type_name(v));
	}
	return v;
}

static uint64_t unsigned_member(json_t *obj, const char *key, const char *place, uint64_t max)
{
	json_t *v = member(obj, key, JSON_INTEGER, place);
	char where[128];

	snprintf(where, sizeof(where), "%s.%s", place, key);
	if (v && (json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max))
		bad(where, "%" JSON_INTEGER_FORMAT " is out of range 0..%" PRIu64,
		    json_integer_value(v), max);
	return v ? (uint64_t)json_integer_value(v) : 0;
}

/* Warn about keys the format does not have: a typo there would otherwise be silently ignored. */
static void check_keys(json_t *obj, const char *place, const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		size_t i;
		for (i = 0; known[i] && strcmp(known[i], key); i++)
			;
		if (!known[i])
			warnf("%s: %s%s%s: unknown key, ignored", profile_path, place,
			      *place ? "." : "", key);
	}
}

/* ---- actions, comparisons, architectures ------------------------------------------------- */

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
static uint32_t parse_action(json_t *str, json_t *errno_ret, const char *place)
{
	const char *name = json_string_value(str);
	char where[128];

	snprintf(where, sizeof(where), "%s%saction", place, *place ? "." : "");
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (strcmp(name, actions[i].name))
			continue;
		bool takes_data = actions[i].action == SCMP_ACT_ERRNO(0) ||
				  actions[i].action == SCMP_ACT_TRACE(0);
		if (errno_ret && !takes_data)
			bad(where,
			    "errnoRet is only meaningful with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
		if (!takes_data)
			return actions[i].action;
		json_int_t e = errno_ret ? json_integer_value(errno_ret) : EPERM;
		if (e < 0 || e > 4095)
			bad(where, "errnoRet %" JSON_INTEGER_FORMAT " is not an errno (0..4095)",
			    e);
		return actions[i].action | (uint32_t)e;
	}
	if (!strcmp(name, "SCMP_ACT_NOTIFY"))
		bad(where, "SCMP_ACT_NOTIFY needs a supervisor listening (seccomp_unotify(2)); "
			   "seccomp-run has none, see bin/filter --action notify");
	bad(where,
	    "unknown action \"%s\" (expected SCMP_ACT_ALLOW, _ERRNO, _KILL, "
	    "_KILL_THREAD, _KILL_PROCESS, _TRAP, _TRACE or _LOG)",
	    name);
}

/* In words, for --explain. */
static const char *describe_action(uint32_t action)
{
	static char buf[96];
	uint32_t data = action & 0xffff;

	switch (action & 0xffff0000U) {
	case SCMP_ACT_ALLOW:
		return "allow";
	case SCMP_ACT_LOG:
		return "allow and log";
	case SCMP_ACT_KILL_PROCESS:
		return "kill the process (SIGSYS)";
	case SCMP_ACT_KILL_THREAD:
		return "kill the thread (SIGSYS)";
	case SCMP_ACT_TRAP:
		return "trap (SIGSYS to a handler)";
	case SCMP_ACT_TRACE(0):
		snprintf(buf, sizeof(buf), "trace (tracer sees msg %u; without one: ENOSYS)", data);
		return buf;
	}
	snprintf(buf, sizeof(buf), "errno %u (%s)", data,
		 strerrorname_np((int)data) ? strerrorname_np((int)data) : "?");
	return buf;
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

/* includes/excludes "arches" use Go's names for the machine, not libseccomp's. */
static void find_native_arch(void)
{
	static const struct {
		uint32_t token;
		const char *docker_name;
	} names[] = {
		{SCMP_ARCH_X86_64, "amd64"},	  {SCMP_ARCH_X86, "x86"},
		{SCMP_ARCH_X32, "x32"},		  {SCMP_ARCH_AARCH64, "arm64"},
		{SCMP_ARCH_ARM, "arm"},		  {SCMP_ARCH_PPC64LE, "ppc64le"},
		{SCMP_ARCH_S390X, "s390x"},	  {SCMP_ARCH_S390, "s390"},
		{SCMP_ARCH_RISCV64, "riscv64"},	  {SCMP_ARCH_MIPS64, "mips64"},
		{SCMP_ARCH_MIPSEL64, "mipsel64"}, {SCMP_ARCH_PPC64, "ppc64"},
	};
	uint32_t native = seccomp_arch_native();

	snprintf(native_arch, sizeof(native_arch), "unknown");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].token == native)
			snprintf(native_arch, sizeof(native_arch), "%s", names[i].docker_name);
}

/* ---- includes / excludes: Docker's conditions on a rule --------------------------------- */

static bool in_bounding_set(const char *cap_name, const char *place)
{
	cap_value_t cap;

	if (cap_from_name(cap_name, &cap) != 0)
		bad(place, "unknown capability \"%s\"", cap_name);
	/* The bounding set limits what any exec can ever gain: Docker checks it, not the effective
	 * set, because it is what the container will be started with. EINVAL: the kernel does not
	 * know that capability, so it cannot be in the set. */
	return prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1;
}

static bool kernel_at_least(const char *version, const char *place)
{
	static unsigned kmaj, kmin;
	unsigned maj, min;
	int end = 0;

	if (sscanf(version, "%u.%u%n", &maj, &min, &end) != 2 || version[end] != '\0')
		bad(place, "minKernel \"%s\" is not \"<kernel>.<major>\" (such as \"4.8\")",
		    version);
	if (!kmaj) {
		struct utsname u;
		if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &kmaj, &kmin) != 2)
			die("uname");
	}
	return kmaj > maj || (kmaj == maj && kmin >= min);
}

static bool list_has(json_t *list, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v)
	{
		if (!strcmp(json_string_value(v), s))
			return true;
	}
	return false;
}

/* Checks one includes/excludes object; fills WHY with the deciding condition. In an "includes"
 * every condition must hold (all caps in the bounding set); in "excludes" any one of them is
 * enough to drop the rule (any cap in the set). Returns whether the rule stays. */
static bool filter_keeps(json_t *rule, bool includes, const char *place, char *why, size_t len)
{
	static const char *const keys[] = {"caps", "arches", "minKernel", NULL};
	const char *key = includes ? "includes" : "excludes";
	char where[128], item[160];
	json_t *f, *caps, *arches, *v, *mk;
	size_t i;

	snprintf(where, sizeof(where), "%s.%s", place, key);
	f = member(rule, key, JSON_OBJECT, place);
	if (!f)
		return true;
	check_keys(f, where, keys);
	arches = member(f, "arches", JSON_ARRAY, where);
	caps = member(f, "caps", JSON_ARRAY, where);
	mk = member(f, "minKernel", JSON_STRING, where);

	json_array_foreach(or_empty(arches), i, v)
	{
		snprintf(item, sizeof(item), "%s.arches[%zu]", where, i);
		if (!json_is_string(v))
			bad(item, "expected a string, found %s", type_name(v));
	}
	if (arches && json_array_size(arches) && list_has(arches, native_arch) != includes) {
		snprintf(why, len, "%s.arches %s %s", key, includes ? "lacks" : "has", native_arch);
		return false;
	}
	json_array_foreach(or_empty(caps), i, v)
	{
		snprintf(item, sizeof(item), "%s.caps[%zu]", where, i);
		if (!json_is_string(v))
			bad(item, "expected a string, found %s", type_name(v));
		if (in_bounding_set(json_string_value(v), item) != includes) {
			snprintf(why, len, "%s.caps: %s %s the bounding set", key,
				 json_string_value(v), includes ? "is not in" : "is in");
			return false;
		}
	}
	if (mk && kernel_at_least(json_string_value(mk), where) != includes) {
		snprintf(why, len, "%s.minKernel %s: this kernel is %s", key, json_string_value(mk),
			 includes ? "older" : "as new or newer");
		return false;
	}
	return true;
}

/* ---- one syscall rule ------------------------------------------------------------------- */

static struct {
	int rules;	  /* rules added to the filter */
	int skipped;	  /* dropped by includes/excludes */
	char always[160]; /* --explain: the unconditional rule libseccomp keeps, if any */
	char when[1024];  /* --explain: the rules with args libseccomp keeps */
} count;

static void parse_args(json_t *args, const char *place, struct scmp_arg_cmp *conds, size_t *n,
		       char *text, size_t len)
{
	static const char *const keys[] = {"index", "value", "valueTwo", "op", NULL};
	char where[128];
	size_t i;
	json_t *a;

	*n = 0;
	text[0] = '\0';
	if (json_array_size(args) > 6)
		bad(place, "args: %zu conditions, a syscall has at most 6 arguments",
		    json_array_size(args));
	json_array_foreach(args, i, a)
	{
		snprintf(where, sizeof(where), "%s.args[%zu]", place, i);
		if (!json_is_object(a))
			bad(where, "expected an object, found %s", type_name(a));
		check_keys(a, where, keys);
		json_t *op = member(a, "op", JSON_STRING, where);
		if (!json_object_get(a, "index") || !op)
			bad(where, "needs \"index\" and \"op\"");
		unsigned idx = (unsigned)unsigned_member(a, "index", where, 5);
		uint64_t value = unsigned_member(a, "value", where, UINT64_MAX);
		uint64_t two = unsigned_member(a, "valueTwo", where, UINT64_MAX);
		size_t k;
		for (k = 0; k < ARRAY_SIZE(ops) && strcmp(ops[k].name, json_string_value(op)); k++)
			;
		if (k == ARRAY_SIZE(ops))
			bad(strcat(where, ".op"),
			    "unknown operator \"%s\" (expected SCMP_CMP_NE, _LT, _LE, "
			    "_EQ, _GE, _GT or _MASKED_EQ)",
			    json_string_value(op));
		/* MASKED_EQ: (arg & value) == valueTwo. The others compare arg with value. */
		conds[*n] = (struct scmp_arg_cmp){idx, ops[k].op, value, two};
		size_t used = strlen(text);
		if (ops[k].op == SCMP_CMP_MASKED_EQ)
			snprintf(text + used, len - used, "%sarg%u & %#" PRIx64 " == %#" PRIx64,
				 used ? " && " : "", idx, value, two);
		else
			snprintf(text + used, len - used, "%sarg%u %s %#" PRIx64,
				 used ? " && " : "", idx, ops[k].symbol, value);
		(*n)++;
	}
}

/* libseccomp rejects a rule whose action is the default one (EACCES); runc skips it too. */
static void add_rule(const char *place, const char *name, int nr, uint32_t action,
		     const struct scmp_arg_cmp *conds, size_t n)
{
	bool same_index = false;
	int rc;

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			same_index |= conds[i].arg == conds[j].arg;
	if (action == default_action)
		return;
	if (!same_index) {
		/* All conditions in one rule: the action applies when every one of them holds. */
		rc = seccomp_rule_add_array(ctx, action, nr, (unsigned)n, conds);
	} else {
		/* Two conditions on the same argument: runc turns each into its own rule, so
		 * any one of them matching is enough. We follow runc. */
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = seccomp_rule_add_array(ctx, action, nr, 1, &conds[i]);
	}
	if (rc < 0)
		bad(place, "seccomp_rule_add(%s): %s%s", name, strerror(-rc),
		    rc == -EEXIST ? " (an earlier rule with the same conditions gives it a "
				    "different action)"
				  : "");
	count.rules++;
}

/* --explain: what the compiled filter keeps of this rule. libseccomp 2.5 (checked against its
 * PFC output) does not refuse rules that disagree about one syscall: the first unconditional
 * rule wins and later rules for that syscall, with or without args, are silently dropped; an
 * unconditional rule also wipes the conditional ones added before it. Only two rules with the
 * very same conditions and different actions are refused (EEXIST). */
static void explain_rule(const char *place, uint32_t action, size_t n, const char *argtext,
			 bool keep, const char *why)
{
	const char *what = describe_action(action);
	size_t used = strlen(count.when);

	printf("%s: %s%s%s: ", place, what, n ? " when " : "", argtext);
	if (!keep) {
		printf("skipped, %s\n", why);
	} else if (action == default_action) {
		printf("not added, it is the default action\n");
	} else if (count.always[0]) {
		printf("dropped by libseccomp: the unconditional rule %s decides\n", count.always);
	} else if (!n) {
		printf("applies%s\n", count.when[0] ? "; libseccomp drops the conditional rules "
						      "added before it"
						    : "");
		snprintf(count.always, sizeof(count.always), "%s (%s)", what, place);
		count.when[0] = '\0';
	} else {
		printf("applies\n");
		snprintf(count.when + used, sizeof(count.when) - used, "%s when %s (%s); ", what,
			 argtext, place);
	}
}

static void parse_syscall(json_t *rule, size_t index)
{
	static const char *const keys[] = {"name",    "names",	  "action",   "errnoRet", "args",
					   "comment", "includes", "excludes", NULL};
	char place[64], where[96], why[160], argtext[512];
	struct scmp_arg_cmp conds[6];
	json_t *names, *name, *act, *args, *v;
	size_t i, n;

	snprintf(place, sizeof(place), "syscalls[%zu]", index);
	if (!json_is_object(rule))
		bad(place, "expected an object, found %s", type_name(rule));
	check_keys(rule, place, keys);
	name = member(rule, "name", JSON_STRING, place);
	names = member(rule, "names", JSON_ARRAY, place);
	if (name && names)
		bad(place, "has both \"name\" and \"names\": use one");
	if (!name && !names)
		bad(place, "names: missing (the syscalls this rule is about)");
	act = member(rule, "action", JSON_STRING, place);
	if (!act)
		bad(place, "action: missing");
	uint32_t action = parse_action(act, member(rule, "errnoRet", JSON_INTEGER, place), place);
	args = member(rule, "args", JSON_ARRAY, place);
	parse_args(or_empty(args), place, conds, &n, argtext, sizeof(argtext));

	/* "name": "x" is short for "names": ["x"]; the list then belongs to the document. */
	if (name)
		json_object_set_new(rule, "names", json_pack("[O]", name));
	json_t *list = json_object_get(rule, "names");
	/* Resolve every name first, so that a typo is reported whether or not the rule applies. */
	json_array_foreach(list, i, v)
	{
		snprintf(where, sizeof(where), "%s.names[%zu]", place, i);
		if (!json_is_string(v))
			bad(where, "expected a string, found %s", type_name(v));
		if (seccomp_syscall_resolve_name(json_string_value(v)) == __NR_SCMP_ERROR)
			bad(where,
			    "unknown syscall \"%s\" (a typo, or newer than this libseccomp "
			    "%u.%u: runc would skip it silently)",
			    json_string_value(v), seccomp_version()->major,
			    seccomp_version()->minor);
	}
	bool keep = filter_keeps(rule, false, place, why, sizeof(why)) &&
		    filter_keeps(rule, true, place, why, sizeof(why));
	bool about_explained = explain_name && list_has(list, explain_name);

	if (about_explained)
		explain_rule(place, action, n, argtext, keep, why);
	if (!keep) {
		say("%s skipped: %s", place, why);
		count.skipped++;
	} else {
		json_array_foreach(list, i, v)
		{
			snprintf(where, sizeof(where), "%s.names[%zu]", place, i);
			add_rule(where, json_string_value(v),
				 seccomp_syscall_resolve_name(json_string_value(v)), action, conds,
				 n);
		}
	}
}

/* ---- the whole profile ----------------------------------------------------------------- */

/* One architecture the filter must also answer for; others are killed (libseccomp's bad-arch
 * action), so a 32-bit entry point cannot bypass rules written for the 64-bit one. */
static void add_arch(json_t *name, const char *where)
{
	uint32_t token;
	int rc;

	if (!json_is_string(name))
		bad(where, "expected a string, found %s", type_name(name));
	token = parse_arch(json_string_value(name));
	if (!token)
		bad(where, "unknown architecture \"%s\"", json_string_value(name));
	rc = seccomp_arch_add(ctx, token);
	if (rc < 0 && rc != -EEXIST)
		bad(where, "seccomp_arch_add(%s): %s", json_string_value(name), strerror(-rc));
	say("architecture %s added", json_string_value(name));
}

/* "flags": the SECCOMP_FILTER_FLAG_* of seccomp(2) the profile asks for. What libseccomp 2.5
 * can pass to the kernel is applied (newer runc does the same); the rest is refused before
 * anything runs, never ignored. */
static void apply_flags(json_t *flags)
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
		 "listener, which seccomp-run does not have"},
	};
	char where[32];
	size_t i, k;
	json_t *v;

	json_array_foreach(flags, i, v)
	{
		snprintf(where, sizeof(where), "flags[%zu]", i);
		if (!json_is_string(v))
			bad(where, "expected a string, found %s", type_name(v));
		for (k = 0; k < ARRAY_SIZE(known) && strcmp(known[k].name, json_string_value(v));
		     k++)
			;
		if (k == ARRAY_SIZE(known))
			bad(where,
			    "unknown flag \"%s\" (expected SECCOMP_FILTER_FLAG_TSYNC, _LOG, "
			    "_SPEC_ALLOW or _WAIT_KILLABLE_RECV)",
			    json_string_value(v));
		if (!known[k].attr)
			bad(where, "%s: %s", known[k].name, known[k].what);
		int rc = seccomp_attr_set(ctx, known[k].attr, 1);
		if (rc < 0)
			unsupported("a newer kernel or libseccomp",
				    "%s: %s: seccomp_attr_set: %s (libseccomp %u.%u)", where,
				    known[k].name, strerror(-rc), seccomp_version()->major,
				    seccomp_version()->minor);
		say("%s: %s: %s", where, known[k].name, known[k].what);
	}
}

/* Builds ctx from a parsed profile (the fuzz harness enters here). */
void load_profile_json(json_t *root);
void load_profile_json(json_t *root)
{
	static const char *const keys[] = {"defaultAction",    "defaultErrnoRet", "architectures",
					   "archMap",	       "syscalls",	  "listenerPath",
					   "listenerMetadata", "flags",		  NULL};
	json_t *archs, *archmap, *syscalls, *v, *s;
	char where[96];
	size_t i, j;

	if (!json_is_object(root))
		bad("top level", "expected an object, found %s", type_name(root));
	check_keys(root, "", keys);

	json_t *dact = member(root, "defaultAction", JSON_STRING, "");
	if (!dact)
		bad("defaultAction", "missing (what every syscall not listed gets)");
	default_action =
		parse_action(dact, member(root, "defaultErrnoRet", JSON_INTEGER, ""), "default");
	ctx = seccomp_init(default_action);
	if (!ctx)
		dief("seccomp_init: failed (libseccomp could not create a filter)");
	/* We set no_new_privs ourselves, in plain sight, before loading (see run()). */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* Report the kernel's own errno from seccomp_load, not libseccomp's ECANCELED. */
	seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);

	apply_flags(or_empty(member(root, "flags", JSON_ARRAY, "")));
	/* listenerPath: the unix socket of a seccomp agent that would receive the notify
	 * listener; listenerMetadata is a string for that agent. seccomp-run has no agent. */
	json_t *lpath = member(root, "listenerPath", JSON_STRING, "");
	json_t *lmeta = member(root, "listenerMetadata", JSON_STRING, "");
	if (lpath && *json_string_value(lpath))
		bad("listenerPath",
		    "\"%s\": seccomp-run has no seccomp agent to pass a listener to",
		    json_string_value(lpath));
	if (lmeta && *json_string_value(lmeta))
		warnf("%s: listenerMetadata: ignored, it is only for the agent at listenerPath",
		      profile_path);

	archs = member(root, "architectures", JSON_ARRAY, "");
	archmap = member(root, "archMap", JSON_ARRAY, "");
	if (json_array_size(or_empty(archs)) && json_array_size(or_empty(archmap)))
		bad("top level", "has both \"architectures\" and \"archMap\": use one (as Docker)");
	json_array_foreach(or_empty(archs), i, v)
	{
		snprintf(where, sizeof(where), "architectures[%zu]", i);
		add_arch(v, where);
	}
	/* archMap: only the entry for this machine counts, with its sub-architectures (x86 and
	 * x32 for x86_64). */
	json_array_foreach(or_empty(archmap), i, v)
	{
		snprintf(where, sizeof(where), "archMap[%zu]", i);
		if (!json_is_object(v))
			bad(where, "expected an object, found %s", type_name(v));
		json_t *a = member(v, "architecture", JSON_STRING, where);
		json_t *subs = member(v, "subArchitectures", JSON_ARRAY, where);
		if (!a)
			bad(where, "architecture: missing");
		if (!parse_arch(json_string_value(a)))
			bad(where, "architecture: unknown \"%s\"", json_string_value(a));
		if (parse_arch(json_string_value(a)) != seccomp_arch_native())
			continue;
		add_arch(a, where);
		json_array_foreach(or_empty(subs), j, s)
		{
			snprintf(where, sizeof(where), "archMap[%zu].subArchitectures[%zu]", i, j);
			add_arch(s, where);
		}
	}

	syscalls = member(root, "syscalls", JSON_ARRAY, "");
	for (i = 0; i < json_array_size(syscalls); i++)
		parse_syscall(json_array_get(syscalls, i), i);
	if (explain_name)
		printf("default: %s\n", describe_action(default_action));
}

static void load_profile(void)
{
	json_error_t jerr;
	char where[64];

	profile_root = json_load_file(profile_path, JSON_REJECT_DUPLICATES, &jerr);
	if (!profile_root) {
		if (jerr.line < 0)
			bad("reading", "%s", jerr.text);
		snprintf(where, sizeof(where), "line %d, column %d", jerr.line, jerr.column);
		bad(where, "%s", jerr.text);
	}
	load_profile_json(profile_root);
	json_decref(profile_root);
	profile_root = NULL;
}

/* ---- running CMD under the filter ---------------------------------------------------- */

/* The child reports a failure before CMD started through a shared page, not a pipe: once the
 * filter is loaded, write() may be refused too (deny-all), but a store to memory never is. */
struct report {
	const char *call;
	int err;
};

static pid_t child;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static int run(char **cmd, bool nnp)
{
	struct report *rep =
		mmap(NULL, sizeof(*rep), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;

	if (rep == MAP_FAILED)
		die("mmap");
	fflush(NULL);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		/* CMD may be killed by a SIGSYS action: no core file for that. Only the soft limit
		 * goes to 0: CMD may raise it again up to the hard limit, which stays as it was. */
		struct rlimit core;
		if (getrlimit(RLIMIT_CORE, &core) == 0) {
			core.rlim_cur = 0;
			setrlimit(RLIMIT_CORE, &core);
		}
		/* Without no_new_privs the kernel allows a filter only with CAP_SYS_ADMIN: else a
		 * filter could fool a set-uid program it then execs. */
		if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
			*rep = (struct report){"prctl(PR_SET_NO_NEW_PRIVS)", errno};
			_exit(EXIT_FAIL);
		}
		int rc = seccomp_load(ctx);
		if (rc < 0) {
			*rep = (struct report){"seccomp_load", -rc};
			_exit(EXIT_FAIL);
		}
		/* From here every syscall goes through the filter, execve included. */
		execvp(cmd[0], cmd);
		*rep = (struct report){"execve", errno};
		/* If the profile refuses exit_group too, glibc falls back to exit, then crashes: the
		 * parent reads the report above, whatever the status. */
		_exit(127);
	}
	signal(SIGINT, forward);
	signal(SIGTERM, forward);
	signal(SIGHUP, forward);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (rep->call) {
		errno = rep->err;
		if (!strcmp(rep->call, "execve"))
			fprintf(stderr, "%s: execve %s: %s%s\n", progname, cmd[0],
				strerror(rep->err),
				rep->err == EPERM ? " (refused by the profile: CMD never ran)"
						  : "");
		else if (!strcmp(rep->call, "seccomp_load") && rep->err == EACCES)
			fprintf(stderr,
				"%s: seccomp_load: %s (without no_new_privs loading a filter "
				"needs CAP_SYS_ADMIN)\n",
				progname, strerror(rep->err));
		else
			warn_errno(rep->call);
		return EXIT_FAIL;
	}
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		fprintf(stderr, "%s: %s: killed by %s%s\n", progname, cmd[0], sigabbrev_np(sig),
			sig == SIGSYS ? " (a seccomp kill or trap action)" : "");
		return 128 + sig;
	}
	return WEXITSTATUS(status);
}

static void usage(void)
{
	printf("Usage: %s --profile FILE [OPTIONS] [--] CMD [ARG...]\n"
	       "Load a Docker-format seccomp profile (JSON) and run CMD under it.\n\n"
	       "  -p, --profile FILE     the profile (Docker's default.json, "
	       "docker/profiles/*.json)\n"
	       "  -e, --explain SYSCALL  say which rules decide SYSCALL, and why; CMD is optional\n"
	       "  -d, --dump             print the compiled filter (libseccomp's PFC text)\n"
	       "      --no-nnp           do not set no_new_privs (needs CAP_SYS_ADMIN)\n"
	       "  -v, --verbose          narrate: architectures, skipped rules, each step\n"
	       "  -h, --help             this help\n\n"
	       "Rules with includes/excludes \"caps\" are kept or dropped by this process's\n"
	       "capability bounding set, as Docker does with the container's.\n"
	       "Exit: CMD's status (128+N if killed by signal N); 1 if CMD could not be started\n"
	       "(execve refused: EPERM); 2 for a usage error or a malformed profile.\n",
	       progname);
}

#ifndef FUZZ_NO_MAIN
int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"profile", required_argument, NULL, 'p'},
		{"explain", required_argument, NULL, 'e'},
		{"dump", no_argument, NULL, 'd'},
		{"no-nnp", no_argument, NULL, 'N'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	bool dump = false, nnp = true;
	int c;

	prog_init(argv[0]);
	while ((c = getopt_long(argc, argv, "+p:e:dvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			profile_path = optarg;
			have_profile = true;
			break;
		case 'e':
			explain_name = optarg;
			break;
		case 'd':
			dump = true;
			break;
		case 'N':
			nnp = false;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage();
			return EXIT_OK;
		default:
			usage_error("unknown option");
		}
	}
	if (!have_profile)
		usage_error("--profile FILE is required");
	if (optind == argc && !explain_name && !dump)
		usage_error("no command to run (or use --explain/--dump)");
	if (explain_name) {
		explain_nr = seccomp_syscall_resolve_name(explain_name);
		if (explain_nr == __NR_SCMP_ERROR)
			usage_error("--explain: unknown syscall \"%s\"", explain_name);
	}
	find_native_arch();
	if (explain_name)
		printf("syscall: %s (number %d on %s)\n", explain_name, explain_nr, native_arch);
	load_profile();
	say("%d rules added, %d skipped by includes/excludes", count.rules, count.skipped);

	if (explain_name) {
		/* The unconditional rule libseccomp kept decides alone (see explain_rule). */
		if (count.always[0])
			printf("verdict: %s\n", count.always);
		else if (count.when[0])
			printf("verdict: %sotherwise %s (default)\n", count.when,
			       describe_action(default_action));
		else
			printf("verdict: %s (default action, no rule applies)\n",
			       describe_action(default_action));
	}
	if (dump) {
		fflush(stdout);
		int rc = seccomp_export_pfc(ctx, STDOUT_FILENO);
		if (rc < 0) {
			errno = -rc;
			die("seccomp_export_pfc");
		}
	}
	if (optind == argc)
		return EXIT_OK;
	say("no_new_privs: %s", nnp ? "set" : "not set (--no-nnp)");
	return run(argv + optind, nnp);
}
#endif /* FUZZ_NO_MAIN */
