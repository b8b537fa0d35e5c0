/* minibox-config.c - read config.json: the top level, process, root, hostname and mounts.
 *
 * A part of minibox (minibox-config.h); linux.* is minibox-config-linux.c, and the small readers
 * both use (refuse(), get_bool(), string_list()) are minibox-config-read.c. The reading itself
 * (type checks, "expected an array, found a string" at "process.args") is the seccomp profile
 * compiler's (labs/seccomp/profile-json.h): one JSON reader for the suite's two OCI documents.
 * Unknown keys are ignored, as the runtime-spec asks; a known one minibox cannot honour is
 * refused, with the place and the reason.
 */
#define _GNU_SOURCE
#include "minibox-config.h"
#include "minibox-config-linux.h"
#include "minibox-config-read.h"
#include "profile-json.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>

int cap_bit(const char *name)
{
	cap_value_t v;

	if (cap_from_name(name, &v) != 0 || v >= (cap_value_t)cap_max_bits())
		return -1;
	return (int)v;
}

static void read_caps(struct doc *d, json_t *caps, struct mb_config *c)
{
	static const char *const sets[CAP_NSETS] = {"bounding", "effective", "inheritable",
						    "permitted", "ambient"};
	char place[64];

	for (int s = 0; s < CAP_NSETS; s++) {
		snprintf(place, sizeof(place), "process.capabilities.%s", sets[s]);
		json_t *list =
			doc_list(doc_member(d, caps, sets[s], JSON_ARRAY, "process.capabilities"));
		for (size_t i = 0; i < json_array_size(list); i++) {
			const char *name = doc_string(d, list, i, place);
			int bit = cap_bit(name);

			/* runc 1.1 warns and drops an unknown name; a set that silently lacks a
			 * capability is a container that differs from its config. */
			if (bit < 0)
				doc_bad(d, place, "\"%s\": no such capability on this kernel",
					name);
			c->caps[s] |= 1ULL << bit;
		}
	}
}

static void read_rlimits(struct doc *d, json_t *list, struct mb_config *c)
{
	static const struct {
		const char *name;
		int resource;
	} kinds[] = {
		{"RLIMIT_AS", RLIMIT_AS},
		{"RLIMIT_CORE", RLIMIT_CORE},
		{"RLIMIT_CPU", RLIMIT_CPU},
		{"RLIMIT_DATA", RLIMIT_DATA},
		{"RLIMIT_FSIZE", RLIMIT_FSIZE},
		{"RLIMIT_LOCKS", RLIMIT_LOCKS},
		{"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
		{"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
		{"RLIMIT_NICE", RLIMIT_NICE},
		{"RLIMIT_NOFILE", RLIMIT_NOFILE},
		{"RLIMIT_NPROC", RLIMIT_NPROC},
		{"RLIMIT_RSS", RLIMIT_RSS},
		{"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
		{"RLIMIT_RTTIME", RLIMIT_RTTIME},
		{"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
		{"RLIMIT_STACK", RLIMIT_STACK},
	};
	char place[64];

	if (json_array_size(list) > MB_MAX)
		doc_bad(d, "process.rlimits", "more than %d entries", MB_MAX);
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *r = json_array_get(list, i);
		size_t k;

		snprintf(place, sizeof(place), "process.rlimits[%zu]", i);
		if (!json_is_object(r))
			doc_bad(d, place, "expected an object, found %s", doc_type(r));
		json_t *type = doc_member(d, r, "type", JSON_STRING, place);
		if (!type)
			doc_bad(d, place, "needs \"type\", \"soft\" and \"hard\"");
		for (k = 0; k < ARRAY_SIZE(kinds); k++)
			if (!strcmp(kinds[k].name, json_string_value(type)))
				break;
		if (k == ARRAY_SIZE(kinds))
			doc_bad(d, place, "type \"%s\": no such resource (setrlimit(2))",
				json_string_value(type));
		c->rlimits[i].resource = kinds[k].resource;
		c->rlimits[i].name = kinds[k].name;
		c->rlimits[i].lim.rlim_cur = doc_unsigned(d, r, "soft", place, UINT64_MAX);
		c->rlimits[i].lim.rlim_max = doc_unsigned(d, r, "hard", place, UINT64_MAX);
		if (c->rlimits[i].lim.rlim_cur > c->rlimits[i].lim.rlim_max)
			doc_bad(d, place, "soft %llu is above hard %llu (setrlimit(2): EINVAL)",
				(unsigned long long)c->rlimits[i].lim.rlim_cur,
				(unsigned long long)c->rlimits[i].lim.rlim_max);
		c->nrlimits++;
	}
}

static void read_user(struct doc *d, json_t *user, struct mb_config *c)
{
	const char *p = "process.user";

	if (!user)
		doc_bad(d, p, "missing (uid and gid of the container's process)");
	if (!json_object_get(user, "uid") || !json_object_get(user, "gid"))
		doc_bad(d, p, "needs \"uid\" and \"gid\"");
	c->uid = (uid_t)doc_unsigned(d, user, "uid", p, UINT32_MAX - 1);
	c->gid = (gid_t)doc_unsigned(d, user, "gid", p, UINT32_MAX - 1);
	json_t *groups = doc_list(doc_member(d, user, "additionalGids", JSON_ARRAY, p));
	if (json_array_size(groups) > MB_MAX)
		doc_bad(d, "process.user.additionalGids", "more than %d groups", MB_MAX);
	for (size_t i = 0; i < json_array_size(groups); i++) {
		json_t *g = json_array_get(groups, i);

		if (!json_is_integer(g) || json_integer_value(g) < 0 ||
		    json_integer_value(g) >= UINT32_MAX)
			doc_bad(d, "process.user.additionalGids", "[%zu]: expected a gid", i);
		c->groups[c->ngroups++] = (gid_t)json_integer_value(g);
	}
	c->umask =
		json_object_get(user, "umask") ? (long)doc_unsigned(d, user, "umask", p, 0777) : -1;
}

static void read_process(struct doc *d, json_t *proc, struct mb_config *c)
{
	const char *p = "process";

	if (!proc)
		doc_bad(d, p, "missing (what to run: args, env, cwd, user)");
	if (get_bool(d, proc, "terminal", p))
		doc_bad(d, "process.terminal",
			"true needs a pseudo-terminal, which minibox does not make: set it to "
			"false "
			"(the container then uses minibox's stdin, stdout and stderr)");
	json_t *args = doc_member(d, proc, "args", JSON_ARRAY, p);
	if (!json_array_size(args))
		doc_bad(d, "process.args", "missing or empty (the command to run)");
	string_list(d, args, "process.args", &c->args);
	string_list(d, doc_list(doc_member(d, proc, "env", JSON_ARRAY, p)), "process.env", &c->env);
	json_t *cwd = doc_member(d, proc, "cwd", JSON_STRING, p);
	if (!cwd || json_string_value(cwd)[0] != '/')
		doc_bad(d, "process.cwd", "missing or not an absolute path");
	c->cwd = json_string_value(cwd);
	read_user(d, doc_member(d, proc, "user", JSON_OBJECT, p), c);
	read_caps(d, doc_member(d, proc, "capabilities", JSON_OBJECT, p), c);
	c->no_new_privs = get_bool(d, proc, "noNewPrivileges", p);
	read_rlimits(d, doc_list(doc_member(d, proc, "rlimits", JSON_ARRAY, p)), c);
	json_t *oom = doc_member(d, proc, "oomScoreAdj", JSON_INTEGER, p);
	if (oom) {
		if (json_integer_value(oom) < -1000 || json_integer_value(oom) > 1000)
			doc_bad(d, "process.oomScoreAdj", "out of range -1000..1000");
		c->has_oom_score_adj = true;
		c->oom_score_adj = (int)json_integer_value(oom);
	}
	refuse(d, proc, "apparmorProfile", p, "minibox loads no AppArmor profile");
	refuse(d, proc, "selinuxLabel", p, "minibox sets no SELinux label");
	refuse(d, proc, "scheduler", p, "minibox sets no scheduling policy");
	refuse(d, proc, "ioPriority", p, "minibox sets no I/O priority");
	refuse(d, proc, "execCPUAffinity", p, "minibox sets no CPU affinity");
}

/* ---- mounts ------------------------------------------------------------------------------- */

static const struct {
	const char *name;
	bool clear; /* the option turns the flag off ("rw", "suid"...) */
	unsigned long flag;
} mount_flags[] = {
	{"ro", false, MS_RDONLY},
	{"rw", true, MS_RDONLY},
	{"nosuid", false, MS_NOSUID},
	{"suid", true, MS_NOSUID},
	{"nodev", false, MS_NODEV},
	{"dev", true, MS_NODEV},
	{"noexec", false, MS_NOEXEC},
	{"exec", true, MS_NOEXEC},
	{"sync", false, MS_SYNCHRONOUS},
	{"async", true, MS_SYNCHRONOUS},
	{"dirsync", false, MS_DIRSYNC},
	{"remount", false, MS_REMOUNT},
	{"mand", false, MS_MANDLOCK},
	{"nomand", true, MS_MANDLOCK},
	{"atime", true, MS_NOATIME},
	{"noatime", false, MS_NOATIME},
	{"diratime", true, MS_NODIRATIME},
	{"nodiratime", false, MS_NODIRATIME},
	{"relatime", false, MS_RELATIME},
	{"norelatime", true, MS_RELATIME},
	{"strictatime", false, MS_STRICTATIME},
	{"nostrictatime", true, MS_STRICTATIME},
	{"bind", false, MS_BIND},
	{"rbind", false, MS_BIND | MS_REC},
	{"defaults", false, 0},
};

static const struct {
	const char *name;
	unsigned long flag;
} propagations[] = {
	{"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
	{"shared", MS_SHARED},	       {"rshared", MS_SHARED | MS_REC},
	{"slave", MS_SLAVE},	       {"rslave", MS_SLAVE | MS_REC},
	{"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

static void mount_option(struct doc *d, struct mb_mount *m, const char *opt, const char *place)
{
	for (size_t i = 0; i < ARRAY_SIZE(mount_flags); i++) {
		if (strcmp(opt, mount_flags[i].name))
			continue;
		if (mount_flags[i].clear) {
			m->flags &= ~mount_flags[i].flag;
			m->cleared |= mount_flags[i].flag;
		} else {
			m->flags |= mount_flags[i].flag;
			m->cleared &= ~mount_flags[i].flag;
		}
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(propagations); i++) {
		if (!strcmp(opt, propagations[i].name)) {
			m->propagation = propagations[i].flag;
			return;
		}
	}
	/* Anything else is the filesystem's own option (mode=755, size=65536k, gid=5). */
	size_t len = strlen(m->data);
	if (len + strlen(opt) + 2 > sizeof(m->data))
		doc_bad(d, place, "filesystem options longer than %zu bytes", sizeof(m->data));
	snprintf(m->data + len, sizeof(m->data) - len, "%s%s", len ? "," : "", opt);
}

/* Does PATH have a ".." component? */
static bool climbs(const char *path)
{
	for (const char *p = path; *p; p += strcspn(p, "/"), p += strspn(p, "/"))
		if (!strncmp(p, "..", 2) && (p[2] == '/' || !p[2]))
			return true;
	return false;
}

static void read_mounts(struct doc *d, json_t *list, struct mb_config *c)
{
	static const char *const types[] = {"proc",   "sysfs",	"tmpfs",   "devpts",
					    "mqueue", "cgroup", "cgroup2", "bind"};
	char place[64], oplace[80];

	if (json_array_size(list) > MB_MAX)
		doc_bad(d, "mounts", "more than %d entries", MB_MAX);
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *e = json_array_get(list, i);
		struct mb_mount *m = &c->mounts[c->nmounts++];
		size_t k;

		snprintf(place, sizeof(place), "mounts[%zu]", i);
		if (!json_is_object(e))
			doc_bad(d, place, "expected an object, found %s", doc_type(e));
		json_t *dest = doc_member(d, e, "destination", JSON_STRING, place);
		if (!dest || json_string_value(dest)[0] != '/')
			doc_bad(d, place, "destination: missing or not an absolute path");
		m->dest = json_string_value(dest);
		if (climbs(m->dest))
			doc_bad(d, place, "destination \"%s\" climbs with \"..\"", m->dest);
		json_t *opts = doc_list(doc_member(d, e, "options", JSON_ARRAY, place));
		doc_at(oplace, sizeof(oplace), place, "options");
		for (size_t j = 0; j < json_array_size(opts); j++)
			mount_option(d, m, doc_string(d, opts, j, oplace), oplace);
		json_t *type = doc_member(d, e, "type", JSON_STRING, place);
		m->type = type ? json_string_value(type) : (m->flags & MS_BIND) ? "bind" : "";
		if (m->flags & MS_BIND)
			m->type = "bind"; /* runc: a "bind" option makes it a bind mount */
		for (k = 0; k < ARRAY_SIZE(types); k++)
			if (!strcmp(types[k], m->type))
				break;
		if (k == ARRAY_SIZE(types))
			doc_bad(d, place,
				"type \"%s\": minibox mounts proc, sysfs, tmpfs, devpts, mqueue, "
				"cgroup "
				"and binds",
				m->type);
		json_t *src = doc_member(d, e, "source", JSON_STRING, place);
		m->source = src ? json_string_value(src) : m->type;
		refuse(d, e, "uidMappings", place, "minibox makes no ID-mapped mounts");
		refuse(d, e, "gidMappings", place, "minibox makes no ID-mapped mounts");
		if (strcmp(m->type, "bind"))
			continue;
		m->flags |= MS_BIND;
		/* A relative source is relative to the bundle (runtime-spec, config.md). */
		if (snprintf(m->src_path, sizeof(m->src_path), "%s%s%s",
			     m->source[0] == '/' ? "" : c->bundle, m->source[0] == '/' ? "" : "/",
			     m->source) >= (int)sizeof(m->src_path))
			doc_bad(d, place, "source path too long");
		struct stat st;
		if (stat(m->src_path, &st) < 0)
			doc_bad(d, place, "source \"%s\": %s", m->src_path, strerror(errno));
	}
}

/* ---- the document ------------------------------------------------------------------------- */

static void read_config(struct doc *d, struct mb_config *c, const char *id)
{
	json_t *root = c->doc;
	const char *p = "";

	if (!json_is_object(root))
		doc_bad(d, "top level", "expected an object, found %s", doc_type(root));
	if (!doc_member(d, root, "ociVersion", JSON_STRING, p))
		doc_bad(d, "ociVersion", "missing (the runtime-spec version the bundle follows)");
	read_process(d, doc_member(d, root, "process", JSON_OBJECT, p), c);

	json_t *r = doc_member(d, root, "root", JSON_OBJECT, p);
	json_t *path = r ? doc_member(d, r, "path", JSON_STRING, "root") : NULL;
	if (!path)
		doc_bad(d, "root.path", "missing (the container's root filesystem)");
	const char *rp = json_string_value(path);
	if (snprintf(c->rootfs, sizeof(c->rootfs), "%s%s%s", rp[0] == '/' ? "" : c->bundle,
		     rp[0] == '/' ? "" : "/", rp) >= (int)sizeof(c->rootfs))
		doc_bad(d, "root.path", "too long");
	struct stat st;
	if (stat(c->rootfs, &st) < 0)
		doc_bad(d, "root.path", "\"%s\": %s", c->rootfs, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		doc_bad(d, "root.path", "\"%s\": not a directory", c->rootfs);
	c->root_readonly = get_bool(d, r, "readonly", "root");

	json_t *h = doc_member(d, root, "hostname", JSON_STRING, p);
	c->hostname = h ? json_string_value(h) : NULL;
	json_t *dn = doc_member(d, root, "domainname", JSON_STRING, p);
	c->domainname = dn ? json_string_value(dn) : NULL;
	read_mounts(d, doc_list(doc_member(d, root, "mounts", JSON_ARRAY, p)), c);
	refuse(d, root, "hooks", p, "minibox runs no hooks");
	config_linux(d, doc_member(d, root, "linux", JSON_OBJECT, p), c, id);
	if (c->hostname && !(c->ns & CLONE_NEWUTS))
		doc_bad(d, "hostname", "needs a uts namespace in linux.namespaces");
}

int config_parse(json_t *doc, const char *bundle, const char *id, struct mb_config *c,
		 struct profile_error *err)
{
	struct doc d = {.source = "config.json", .err = err};

	memset(c, 0, sizeof(*c));
	c->doc = doc;
	snprintf(c->bundle, sizeof(c->bundle), "%s", bundle);
	if (setjmp(d.fail) == 0) {
		read_config(&d, c, id);
		return 0;
	}
	return -1;
}

int config_load(const char *bundle, const char *id, struct mb_config *c, struct profile_error *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	json_error_t jerr;
	json_t *doc;

	memset(c, 0, sizeof(*c));
	*err = (struct profile_error){EXIT_USAGE, "", ""};
	if (!realpath(bundle, dir)) {
		snprintf(err->msg, sizeof(err->msg), "bundle %s: %s", bundle, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/config.json", dir);
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		if (jerr.line > 0) /* else it could not be read: the text says why */
			snprintf(err->where, sizeof(err->where), "line %d, column %d", jerr.line,
				 jerr.column);
		snprintf(err->msg, sizeof(err->msg), "%s", jerr.text);
		return -1;
	}
	return config_parse(doc, dir, id, c, err);
}

void config_free(struct mb_config *c)
{
	free(c->args);
	free(c->env);
	json_decref(c->doc);
	memset(c, 0, sizeof(*c));
}
