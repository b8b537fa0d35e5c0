/* minibox-config-linux.c - read config.json's linux object (minibox-config-linux.h).
 *
 * A part of minibox. The fields of config-linux.md that minibox honours: namespaces with their
 * ID maps and clock offsets, cgroupsPath, resources (memory, pids, cpu, devices), seccomp,
 * maskedPaths and readonlyPaths. Each of the others is refused when it asks for something.
 */
#define _GNU_SOURCE
#include "minibox-config-linux.h"
#include "minibox-config-read.h"

#include <ctype.h>
#include <sched.h>
#include <string.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
	const char *type;
	int flag;
} ns_types[] = {
	{"pid", CLONE_NEWPID},	     {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
	{"ipc", CLONE_NEWIPC},	     {"uts", CLONE_NEWUTS},	{"user", CLONE_NEWUSER},
	{"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

static void read_namespaces(struct doc *d, json_t *list, struct mb_config *c)
{
	char place[64];

	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *e = json_array_get(list, i);
		size_t k;

		snprintf(place, sizeof(place), "linux.namespaces[%zu]", i);
		if (!json_is_object(e))
			doc_bad(d, place, "expected an object, found %s", doc_type(e));
		json_t *type = doc_member(d, e, "type", JSON_STRING, place);
		if (!type)
			doc_bad(d, place, "type: missing");
		for (k = 0; k < ARRAY_SIZE(ns_types); k++)
			if (!strcmp(ns_types[k].type, json_string_value(type)))
				break;
		if (k == ARRAY_SIZE(ns_types))
			doc_bad(d, place, "type \"%s\": no such namespace kind",
				json_string_value(type));
		if (c->ns & ns_types[k].flag)
			doc_bad(d, place, "type \"%s\" is listed twice", ns_types[k].type);
		refuse(d, e, "path", place, "minibox creates namespaces, it joins none");
		c->ns |= ns_types[k].flag;
	}
	if (!(c->ns & CLONE_NEWNS))
		doc_bad(d, "linux.namespaces",
			"minibox needs a mount namespace (it pivots into root.path)");
}

static int read_idmap(struct doc *d, json_t *list, const char *place, struct mb_idmap *out)
{
	char where[64];
	size_t n = json_array_size(list);

	if (n > MB_MAXMAP)
		doc_bad(d, place, "more than %d lines", MB_MAXMAP);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(list, i);

		snprintf(where, sizeof(where), "%s[%zu]", place, i);
		if (!json_is_object(e) || !json_object_get(e, "containerID") ||
		    !json_object_get(e, "hostID") || !json_object_get(e, "size"))
			doc_bad(d, where, "needs containerID, hostID and size");
		out[i].inside = doc_unsigned(d, e, "containerID", where, UINT32_MAX - 1);
		out[i].outside = doc_unsigned(d, e, "hostID", where, UINT32_MAX - 1);
		out[i].count = doc_unsigned(d, e, "size", where, UINT32_MAX);
		if (!out[i].count)
			doc_bad(d, where, "size: 0 maps nothing");
	}
	return (int)n;
}

static void read_offsets(struct doc *d, json_t *offs, struct mb_config *c)
{
	static const char *const clocks[] = {"monotonic", "boottime"};
	const char *p = "linux.timeOffsets";
	char where[64];

	if (offs && !(c->ns & CLONE_NEWTIME))
		doc_bad(d, p, "needs a time namespace in linux.namespaces");
	for (int i = 0; i < 2; i++) {
		json_t *o = doc_member(d, offs, clocks[i], JSON_OBJECT, p);
		long long *out = i ? c->boot_offset : c->mono_offset;

		doc_at(where, sizeof(where), p, clocks[i]);
		json_t *s = doc_member(d, o, "secs", JSON_INTEGER, where);
		out[0] = s ? json_integer_value(s) : 0;
		out[1] = (long long)doc_unsigned(d, o, "nanosecs", where, 999999999);
	}
}

/* linux.cgroupsPath: minibox makes one cgroup, one level under the root of each hierarchy,
 * and, like everything of the suite, named cseclab*: scripts/cleanup finds what a SIGKILL
 * leaves. runc takes any path (and "slice:prefix:name" with systemd). */
static void read_cgroup_path(struct doc *d, json_t *path, struct mb_config *c, const char *id)
{
	const char *p = path ? json_string_value(path) : NULL;

	if (!p) {
		snprintf(c->cgroup, sizeof(c->cgroup), "cseclab-minibox-%s", id);
		return;
	}
	p += strspn(p, "/");
	if (strncmp(p, "cseclab", 7) || strlen(p) >= sizeof(c->cgroup))
		doc_bad(d, "linux.cgroupsPath",
			"\"%s\": minibox makes only cgroups named /cseclab*, one level deep",
			json_string_value(path));
	for (const char *s = p; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			doc_bad(d, "linux.cgroupsPath",
				"\"%s\": one level under the root, of letters, digits, '.', "
				"'_' and '-'",
				json_string_value(path));
	snprintf(c->cgroup, sizeof(c->cgroup), "%s", p);
}

/* A device rule's major or minor: absent or -1 means any ("*"). */
static long dev_number(struct doc *d, json_t *rule, const char *key, const char *place)
{
	json_t *v = doc_member(d, rule, key, JSON_INTEGER, place);
	char where[96];

	if (!v || json_integer_value(v) == -1)
		return -1;
	if (json_integer_value(v) < 0 || json_integer_value(v) > 0xfffff)
		doc_bad(d, doc_at(where, sizeof(where), place, key), "not a device number");
	return (long)json_integer_value(v);
}

static void read_devices(struct doc *d, json_t *list, struct mb_config *c)
{
	char place[64];

	if (json_array_size(list) > MB_MAX)
		doc_bad(d, "linux.resources.devices", "more than %d rules", MB_MAX);
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *e = json_array_get(list, i);
		struct mb_device *r = &c->devices[c->ndevices++];

		snprintf(place, sizeof(place), "linux.resources.devices[%zu]", i);
		if (!json_is_object(e) || !json_is_boolean(json_object_get(e, "allow")))
			doc_bad(d, place, "needs \"allow\": true or false");
		r->allow = json_is_true(json_object_get(e, "allow"));
		json_t *type = doc_member(d, e, "type", JSON_STRING, place);
		const char *t = type ? json_string_value(type) : "a";
		if (strlen(t) != 1 || !strchr("acb", t[0]))
			doc_bad(d, place, "type \"%s\": expected \"a\", \"c\" or \"b\"", t);
		r->type = t[0];
		r->major = dev_number(d, e, "major", place);
		r->minor = dev_number(d, e, "minor", place);
		json_t *acc = doc_member(d, e, "access", JSON_STRING, place);
		const char *a = acc ? json_string_value(acc) : "rwm";
		if (!*a || strlen(a) > 3 || strspn(a, "rwm") != strlen(a))
			doc_bad(d, place, "access \"%s\": letters of \"rwm\"", a);
		snprintf(r->access, sizeof(r->access), "%s", a);
	}
}

static long long signed_member(struct doc *d, json_t *obj, const char *key, const char *place)
{
	json_t *v = doc_member(d, obj, key, JSON_INTEGER, place);

	return v ? json_integer_value(v) : 0;
}

static void read_resources(struct doc *d, json_t *res, struct mb_config *c)
{
	const char *p = "linux.resources", *mp = "linux.resources.memory";
	const char *cp = "linux.resources.cpu";
	static const char *const mem_other[] = {
		"reservation",	    "swap",	    "kernel",		"kernelTCP", "swappiness",
		"disableOOMKiller", "useHierarchy", "checkBeforeUpdate"};
	static const char *const cpu_other[] = {
		"realtimeRuntime", "realtimePeriod", "cpus", "mems", "idle", "burst"};
	static const char *const res_other[] = {"blockIO", "hugepageLimits", "network", "rdma",
						"unified"};

	json_t *mem = doc_member(d, res, "memory", JSON_OBJECT, p);
	c->mem_limit = signed_member(d, mem, "limit", mp);
	for (size_t i = 0; i < ARRAY_SIZE(mem_other); i++)
		refuse(d, mem, mem_other[i], mp, "minibox sets only memory.limit");
	json_t *pids = doc_member(d, res, "pids", JSON_OBJECT, p);
	c->pids_limit = signed_member(d, pids, "limit", "linux.resources.pids");
	json_t *cpu = doc_member(d, res, "cpu", JSON_OBJECT, p);
	c->cpu_shares = (long long)doc_unsigned(d, cpu, "shares", cp, 262144);
	c->cpu_quota = signed_member(d, cpu, "quota", cp);
	c->cpu_period = (long long)doc_unsigned(d, cpu, "period", cp, 1000000);
	for (size_t i = 0; i < ARRAY_SIZE(cpu_other); i++)
		refuse(d, cpu, cpu_other[i], cp, "minibox sets only cpu shares, quota and period");
	read_devices(d, doc_list(doc_member(d, res, "devices", JSON_ARRAY, p)), c);
	for (size_t i = 0; i < ARRAY_SIZE(res_other); i++)
		refuse(d, res, res_other[i], p, "minibox sets memory, pids, cpu and devices only");
}

static int read_paths(struct doc *d, json_t *list, const char *place, const char **out)
{
	size_t n = json_array_size(list);

	if (n > MB_MAX)
		doc_bad(d, place, "more than %d paths", MB_MAX);
	for (size_t i = 0; i < n; i++) {
		out[i] = doc_string(d, list, i, place);
		if (out[i][0] != '/')
			doc_bad(d, place, "[%zu] \"%s\": not an absolute path", i, out[i]);
	}
	return (int)n;
}

void config_linux(struct doc *d, json_t *lx, struct mb_config *c, const char *id)
{
	const char *p = "linux";

	if (!lx)
		doc_bad(d, p, "missing (namespaces, at least a mount namespace)");
	read_namespaces(d, doc_list(doc_member(d, lx, "namespaces", JSON_ARRAY, p)), c);
	c->nuidmap = read_idmap(d, doc_list(doc_member(d, lx, "uidMappings", JSON_ARRAY, p)),
				"linux.uidMappings", c->uidmap);
	c->ngidmap = read_idmap(d, doc_list(doc_member(d, lx, "gidMappings", JSON_ARRAY, p)),
				"linux.gidMappings", c->gidmap);
	if ((c->ns & CLONE_NEWUSER) && (!c->nuidmap || !c->ngidmap))
		doc_bad(d, "linux.uidMappings",
			"a user namespace needs uidMappings and gidMappings");
	/* The child becomes root of its user namespace to set the container up. */
	bool uid0 = false, gid0 = false;
	for (int i = 0; i < c->nuidmap; i++)
		uid0 |= c->uidmap[i].inside == 0;
	for (int i = 0; i < c->ngidmap; i++)
		gid0 |= c->gidmap[i].inside == 0;
	if ((c->ns & CLONE_NEWUSER) && (!uid0 || !gid0))
		doc_bad(d, uid0 ? "linux.gidMappings" : "linux.uidMappings",
			"minibox needs ID 0 of the container mapped (it sets the container up as "
			"root of its user namespace)");
	if (!(c->ns & CLONE_NEWUSER) && (c->nuidmap || c->ngidmap))
		doc_bad(d, "linux.uidMappings", "ID mappings need a user namespace");
	read_offsets(d, doc_member(d, lx, "timeOffsets", JSON_OBJECT, p), c);
	read_cgroup_path(d, doc_member(d, lx, "cgroupsPath", JSON_STRING, p), c, id);
	read_resources(d, doc_member(d, lx, "resources", JSON_OBJECT, p), c);
	c->seccomp = doc_member(d, lx, "seccomp", JSON_OBJECT, p);
	c->nmasked = read_paths(d, doc_list(doc_member(d, lx, "maskedPaths", JSON_ARRAY, p)),
				"linux.maskedPaths", c->masked);
	c->nreadonly = read_paths(d, doc_list(doc_member(d, lx, "readonlyPaths", JSON_ARRAY, p)),
				  "linux.readonlyPaths", c->readonly);

	json_t *prop = doc_member(d, lx, "rootfsPropagation", JSON_STRING, p);
	if (prop && strcmp(json_string_value(prop), "private") &&
	    strcmp(json_string_value(prop), "rprivate"))
		doc_bad(d, "linux.rootfsPropagation", "\"%s\": minibox makes every mount private",
			json_string_value(prop));
	refuse(d, lx, "sysctl", p, "minibox sets no sysctl");
	refuse(d, lx, "devices", p, "minibox makes only the default device nodes");
	refuse(d, lx, "mountLabel", p, "minibox sets no SELinux label");
	refuse(d, lx, "intelRdt", p, "minibox has no Intel RDT support");
	refuse(d, lx, "personality", p, "minibox sets no personality");
	refuse(d, lx, "memoryPolicy", p, "minibox sets no NUMA memory policy");
	refuse(d, lx, "netDevices", p, "minibox moves no network device");
}
