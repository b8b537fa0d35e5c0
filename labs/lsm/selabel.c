/* selabel.c - SELinux: read a security context and answer "may this process touch that file?".
 *
 * Mechanism: SELinux type enforcement and MCS: Docker runs a container as container_t with its
 * own categories; a process's high level must dominate a file's (for mcs_constrained types).
 * What it does: parses user:role:type[:level] contexts (s0:c1,c2, s0-s0:c0.c1023) and explains
 * each part; --access SUBJECT OBJECT answers type enforcement (a small model of container-selinux
 * rules) and the MCS constraint; --docker explains container_t, :z/:Z and spc_t with answers.
 * Outcome: exit 0 ("access: allowed"), 1 ("access: denied (mcs: ...)"), 2 for a malformed
 * context ("selabel: 'x:y': a context has 3 or 4 fields").
 * Needs: nothing: it is a model; the kernel's own answer needs an SELinux boot.
 * Read next: selinux(8), chcon(1), docker-run(1).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <ctype.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SENS 16   /* s0..s15, the reference policy's MLS limit */
#define MAX_CATS 1024 /* c0..c1023 */

struct level {
	int sens;
	uint64_t cats[MAX_CATS / 64];
};

struct context {
	char user[64], role[64], type[64];
	bool has_level;
	struct level low, high; /* equal for a single level */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s CONTEXT...\n"
		"  or:  %s --access SUBJECT OBJECT\n"
		"  or:  %s --docker\n"
		"Explain SELinux contexts (user:role:type:level), and whether a process context\n"
		"may read and write a file context (type enforcement, then MCS dominance).\n\n"
		"  -a, --access     SUBJECT is a process context, OBJECT a file context\n"
		"  -d, --docker     Docker's labels: container_t, categories, :z/:Z, spc_t\n"
		"  -h, --help       show this help\n\n"
		"Exit: 0 explained or allowed, 1 denied, 2 usage error or malformed context.\n"
		"Example: %s --access system_u:system_r:container_t:s0:c1,c2 "
		"system_u:object_r:container_file_t:s0:c3,c4\n",
		progname, progname, progname, progname);
}

/* A malformed context is the user's input error: exit 2 naming it. */
static _Noreturn void bad_context(const char *ctx, const char *why)
{
	fprintf(stderr, "%s: '%s': %s\n", progname, ctx, why);
	exit(EXIT_USAGE);
}

static bool cat_has(const struct level *l, int c)
{
	return l->cats[c / 64] >> (c % 64) & 1;
}

/* "cN": the number N, or -1. */
static int parse_num(const char *s, char prefix, int max)
{
	long n;

	if (s[0] != prefix || !isdigit((unsigned char)s[1]) || (s[1] == '0' && s[2]))
		return -1;
	if (parse_long(s + 1, 0, max - 1, &n) < 0)
		return -1;
	return (int)n;
}

/* One level: "s0" or "s0:c1,c5.c9" (a list of categories and ranges). */
static void parse_level(const char *ctx, char *s, struct level *l)
{
	char *cats = strchr(s, ':'), *item, *save = NULL;

	memset(l, 0, sizeof(*l));
	if (cats)
		*cats++ = '\0';
	l->sens = parse_num(s, 's', MAX_SENS);
	if (l->sens < 0)
		bad_context(ctx, "a level starts with a sensitivity s0..s15");
	if (!cats)
		return;
	if (!*cats)
		bad_context(ctx, "empty category list after ':'");
	for (item = strtok_r(cats, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *dot = strchr(item, '.');
		int lo, hi;

		if (dot)
			*dot++ = '\0';
		lo = parse_num(item, 'c', MAX_CATS);
		hi = dot ? parse_num(dot, 'c', MAX_CATS) : lo;
		if (lo < 0 || hi < 0)
			bad_context(ctx, "categories are c0..c1023, as cN or a range cN.cM");
		if (hi < lo)
			bad_context(ctx, "a category range cN.cM needs N < M");
		for (int c = lo; c <= hi; c++)
			l->cats[c / 64] |= 1ULL << (c % 64);
	}
}

static bool dominates(const struct level *a, const struct level *b)
{
	if (a->sens < b->sens)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(a->cats); i++)
		if (b->cats[i] & ~a->cats[i])
			return false;
	return true;
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
			return false;
	return true;
}

static void parse_context(const char *text, struct context *c)
{
	char buf[512], *f[4], *p = buf;
	int n = 0;

	if (strlen(text) >= sizeof(buf))
		bad_context(text, "too long");
	strcpy(buf, text);
	memset(c, 0, sizeof(*c));
	/* user, role and type never hold ':'; everything after the third ':' is the level. */
	while (n < 3 && (f[n] = strsep(&p, ":")))
		n++;
	if (n < 3 || !f[2])
		bad_context(text, "a context has 3 or 4 fields: user:role:type[:level]");
	f[3] = p;
	if (!valid_name(f[0]) || !valid_name(f[1]) || !valid_name(f[2]))
		bad_context(text, "user, role and type are non-empty names ([A-Za-z0-9_.-])");
	if (strlen(f[0]) >= sizeof(c->user) || strlen(f[1]) >= sizeof(c->role) ||
	    strlen(f[2]) >= sizeof(c->type))
		bad_context(text, "a name is too long");
	strcpy(c->user, f[0]);
	strcpy(c->role, f[1]);
	strcpy(c->type, f[2]);
	if (!f[3])
		return;
	c->has_level = true;
	/* A range "low-high"; a single level is both. */
	char *dash = strchr(f[3], '-');

	if (dash)
		*dash++ = '\0';
	parse_level(text, f[3], &c->low);
	c->high = c->low;
	if (dash)
		parse_level(text, dash, &c->high);
	if (!dominates(&c->high, &c->low))
		bad_context(text, "in a range low-high, high must dominate low");
}

/* The categories of a level as "c1,c2" ("c0.c1023" style for runs), or "none". */
static void format_cats(const struct level *l, char *out, size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	for (int c = 0; c < MAX_CATS; c++) {
		int end = c;

		if (!cat_has(l, c))
			continue;
		while (end + 1 < MAX_CATS && cat_has(l, end + 1))
			end++;
		if (end > c + 1)
			n += (size_t)snprintf(out + n, len - n, "%sc%d.c%d", n ? "," : "", c, end);
		else if (end == c + 1)
			n += (size_t)snprintf(out + n, len - n, "%sc%d,c%d", n ? "," : "", c, end);
		else
			n += (size_t)snprintf(out + n, len - n, "%sc%d", n ? "," : "", c);
		if (n >= len)
			break;
		c = end;
	}
	if (!out[0])
		snprintf(out, len, "none");
}

/* A level as SELinux writes it: "s0" or "s0:c1,c2". */
static void format_level(const struct level *l, char *out, size_t len)
{
	char cats[4096];

	format_cats(l, cats, sizeof(cats));
	if (strcmp(cats, "none") == 0)
		snprintf(out, len, "s%d", l->sens);
	else
		snprintf(out, len, "s%d:%s", l->sens, cats);
}

static int count_cats(const struct level *l)
{
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(l->cats); i++)
		n += __builtin_popcountll(l->cats[i]);
	return n;
}

/* Types the course and Docker use, and what they mean. */
static const struct {
	const char *type, *what;
} types[] = {
	{"container_t", "Docker/Podman container processes (the old name is svirt_lxc_net_t)"},
	{"svirt_lxc_net_t", "old name of container_t (RHEL 7's docker)"},
	{"container_file_t",
	 "container content: images, :z/:Z volumes (old: svirt_sandbox_file_t)"},
	{"svirt_sandbox_file_t", "old name of container_file_t"},
	{"container_share_t", "read-only content shared by every container (image layers)"},
	{"spc_t",
	 "super privileged container: --privileged, --pid host, label=disable; unconfined"},
	{"unconfined_t", "a login shell's domain in the targeted policy: not confined by TE"},
	{"kernel_t", "the kernel, and every process started before a policy was loaded"},
	{"container_runtime_t", "dockerd, containerd, runc: unconfined, as in container-selinux"},
	{"user_home_t", "files in a user's home directory"},
	{"auditd_t", "the audit daemon's domain, the course's example"},
	{"auditd_log_t", "the audit log files (/var/log/audit)"},
	{"etc_t", "configuration files under /etc"},
};

static const char *type_meaning(const char *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (strcmp(types[i].type, t) == 0)
			return types[i].what;
	return NULL;
}

static void explain(const char *text)
{
	struct context c;
	char cats[4096];
	const char *m;

	parse_context(text, &c);
	printf("context: %s\n", text);
	printf("user: %s (an SELinux user, not a Linux one; '_u' by convention)\n", c.user);
	printf("role: %s (%s)\n", c.role,
	       strcmp(c.role, "object_r") == 0 ? "the role every file carries"
					       : "the domains a process of this user may enter");
	m = type_meaning(c.type);
	printf("type: %s (%s)\n", c.type,
	       m ? m
		 : "the type: allow rules name a source type, a target type, a class, permissions");
	if (!c.has_level) {
		printf("level: none (a policy without MLS/MCS, or the level was left out)\n");
		return;
	}
	printf("sensitivity: s%d%s\n", c.low.sens,
	       c.high.sens != c.low.sens ? " (low)" : " (MCS policies use only s0)");
	format_cats(&c.high, cats, sizeof(cats));
	printf("categories: %s (%d)\n", cats, count_cats(&c.high));
	if (memcmp(&c.low, &c.high, sizeof(c.low)) != 0) {
		char lo[4200], hi[4200];

		format_level(&c.low, lo, sizeof(lo));
		format_level(&c.high, hi, sizeof(hi));
		printf("range: low %s, high %s (access is checked against the high level)\n", lo,
		       hi);
	}
}

/* Domains with the policy's unconfined attribute (container-selinux and labs/lsm/mcs.cil). */
static bool unconfined(const char *type)
{
	static const char *const names[] = {"spc_t", "unconfined_t", "kernel_t",
					    "container_runtime_t"};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(names[i], type) == 0)
			return true;
	return false;
}

/* The MCS constraint names an attribute, mcs_constrained_type in container-selinux
 * (mcs_constrained in labs/lsm/mcs.cil): container_t (svirt_lxc_net_t is its old name) has it.
 * Any other domain, confined or not, is not bound by categories at all. */
static bool mcs_constrained(const char *type)
{
	return strcmp(type, "container_t") == 0 || strcmp(type, "svirt_lxc_net_t") == 0;
}

/* A model of the container-selinux rules for the types above, for file read/write.
 * Returns 1 allowed, 0 denied, -1 unknown to the model (ask sesearch). */
static int te_allows(const char *subj, const char *obj, const char **why)
{
	static const struct {
		const char *s, *o;
		bool allow;
		const char *why;
	} rules[] = {
		{"container_t", "container_file_t", true,
		 "container_t may read and write container_file_t"},
		{"container_t", "svirt_sandbox_file_t", true, "the old name of container_file_t"},
		{"container_t", "container_share_t", true,
		 "shared content is readable by containers"},
		{"container_t", "user_home_t", false,
		 "no allow rule: a container never reads home files"},
		{"container_t", "etc_t", false,
		 "no allow rule for host /etc (give it a volume with :z)"},
		{"container_t", "auditd_log_t", false, "no allow rule for the audit log"},
		{"auditd_t", "auditd_log_t", true, "auditd_t manages its log files (refpolicy)"},
	};

	/* Unconfined domains are allowed everything by the policy's unconfined attribute. */
	if (unconfined(subj)) {
		*why = "an unconfined domain: type enforcement allows it everything";
		return 1;
	}
	if (strcmp(subj, "svirt_lxc_net_t") == 0)
		subj = "container_t";
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (strcmp(rules[i].s, subj) == 0 && strcmp(rules[i].o, obj) == 0) {
			*why = rules[i].why;
			return rules[i].allow;
		}
	*why = "not in this model: ask the real policy (sesearch -A -s SUBJ -t OBJ -c file)";
	return -1;
}

static int access_check(const char *subj_text, const char *obj_text)
{
	struct context s, o;
	const char *why;
	char sc[4200], oc[4200];
	int te;

	parse_context(subj_text, &s);
	parse_context(obj_text, &o);
	te = te_allows(s.type, o.type, &why);
	printf("type enforcement: %s (%s)\n", te == 1 ? "allowed" : te ? "unknown" : "denied", why);
	if (te == 0) {
		printf("access: denied (type enforcement)\n");
		return EXIT_FAIL;
	}
	if (!s.has_level || !o.has_level) {
		printf("mcs: not checked (a context has no level)\n");
	} else if (unconfined(s.type)) {
		/* unconfined_domain() also gives the MCS-exempt attributes (read/write all). */
		printf("mcs: exempt (an unconfined domain may read and write every level)\n");
	} else if (!mcs_constrained(s.type)) {
		printf("mcs: not applied (the constraint binds only mcs_constrained types such as "
		       "container_t, not %s)\n",
		       s.type);
	} else {
		/* MCS, as the policy writes it: (dom h1 h2), the process's high level must
		 * dominate the object's high level. A file's low level plays no part here. */
		format_level(&s.high, sc, sizeof(sc));
		format_level(&o.high, oc, sizeof(oc));
		if (!dominates(&s.high, &o.high)) {
			printf("mcs: denied (file %s is not within process %s)\n", oc, sc);
			printf("access: denied (mcs)\n");
			return EXIT_FAIL;
		}
		printf("mcs: allowed (process %s dominates file %s)\n", sc, oc);
	}
	printf("access: %s\n",
	       te == 1 ? "allowed" : "not refused by mcs; type enforcement unknown");
	return EXIT_OK;
}

static void docker_example(const char *what, const char *subj, const char *obj)
{
	printf("\n$ %s --access %s %s    # %s\n", progname, subj, obj, what);
	fflush(stdout);
	access_check(subj, obj);
}

static void docker(void)
{
	printf("docker: with \"selinux-enabled\": true in daemon.json (and an SELinux host):\n"
	       "docker: container processes run as system_u:system_r:container_t:s0:cX,cY\n"
	       "docker: their files are system_u:object_r:container_file_t:s0:cX,cY\n"
	       "docker: cX,cY is a pair of categories chosen at random per container (MCS):\n"
	       "docker:   same type for all, so type enforcement alone cannot keep two containers"
	       " apart; the categories do\n"
	       "docker: -v /host:/c:z relabels to container_file_t:s0 (no categories): every "
	       "container may use it\n"
	       "docker: -v /host:/c:Z relabels to container_file_t:s0:cX,cY: only this container; "
	       "the label stays after it exits\n"
	       "docker: --privileged, --pid host, --security-opt label=disable: spc_t "
	       "(unconfined)\n"
	       "docker: --security-opt label=level:s0:c100,c200 (or type:, user:, role:) sets a "
	       "part by hand\n");
	docker_example("c1 reads its own files", "system_u:system_r:container_t:s0:c1,c2",
		       "system_u:object_r:container_file_t:s0:c1,c2");
	docker_example("c1 reads c2's files", "system_u:system_r:container_t:s0:c1,c2",
		       "system_u:object_r:container_file_t:s0:c3,c4");
	docker_example("a :z volume", "system_u:system_r:container_t:s0:c1,c2",
		       "system_u:object_r:container_file_t:s0");
	docker_example("a plain -v of a home directory", "system_u:system_r:container_t:s0:c1,c2",
		       "unconfined_u:object_r:user_home_t:s0");
	docker_example("an spc_t container", "system_u:system_r:spc_t:s0",
		       "system_u:object_r:container_file_t:s0:c3,c4");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"access", no_argument, NULL, 'a'},
		{"docker", no_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool access = false, dock = false;
	int c;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, ":adh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			access = true;
			break;
		case 'd':
			dock = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (dock) {
		if (access || optind != argc)
			usage_error("--docker takes no other argument");
		docker();
		return EXIT_OK;
	}
	if (access) {
		if (argc - optind != 2)
			usage_error("--access needs SUBJECT and OBJECT contexts");
		return access_check(argv[optind], argv[optind + 1]);
	}
	if (optind == argc)
		usage_error("give a CONTEXT to explain");
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			putchar('\n');
		explain(argv[i]);
	}
	return EXIT_OK;
}
