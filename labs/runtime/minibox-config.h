/* minibox-config.h - an OCI bundle's config.json, read and checked before anything starts.
 *
 * The runtime-spec (github.com/opencontainers/runtime-spec, config.md and config-linux.md) says
 * a runtime ignores properties it does not know and fails on a value it cannot honour. So every
 * known field is read here, type-checked, and either kept in struct mb_config or refused with
 * the place in the document ("linux.resources.memory.swap: ...", exit 2): the container never
 * starts on a bundle minibox would run differently from what it says.
 */
#ifndef MINIBOX_CONFIG_H
#define MINIBOX_CONFIG_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "profile.h"

#define MB_MAX	  64 /* mounts, rlimits, device rules, masked paths... of one config */
#define MB_MAXMAP 8  /* lines of a uid_map or gid_map (the kernel takes up to 340) */

enum { CAP_BND, CAP_EFF, CAP_INH, CAP_PRM, CAP_AMB, CAP_NSETS };

struct mb_mount {
	const char *dest, *type, *source;
	char src_path[PATH_MAX];   /* bind: source, relative ones resolved against the bundle */
	unsigned long flags;	   /* MS_* that the options set (MS_BIND, MS_RDONLY, ...) */
	unsigned long cleared;	   /* MS_* that the options clear (rw, suid, dev, exec...) */
	unsigned long propagation; /* MS_PRIVATE, MS_SLAVE... (| MS_REC), or 0 */
	char data[512];		   /* the rest: filesystem options ("mode=755,size=65536k") */
};

struct mb_idmap {
	unsigned long inside, outside, count;
};

struct mb_device { /* a linux.resources.devices rule */
	bool allow;
	char type;	   /* 'a' (all), 'c' or 'b' */
	long major, minor; /* -1: any ("*") */
	char access[4];	   /* letters of "rwm" */
};

struct mb_config {
	json_t *doc; /* the parsed config.json: the strings below point into it */
	char bundle[PATH_MAX], rootfs[PATH_MAX];
	bool root_readonly;

	/* process */
	char **args, **env; /* NULL-terminated */
	const char *cwd;
	uid_t uid;
	gid_t gid;
	gid_t groups[MB_MAX];
	int ngroups;
	long umask; /* -1: the runtime's default (0022) */
	uint64_t caps[CAP_NSETS];
	bool no_new_privs;
	struct {
		int resource;
		const char *name;
		struct rlimit lim;
	} rlimits[MB_MAX];
	int nrlimits;
	bool has_oom_score_adj;
	int oom_score_adj;

	const char *hostname, *domainname; /* NULL: not set */
	struct mb_mount mounts[MB_MAX];
	int nmounts;

	/* linux */
	int ns; /* the CLONE_NEW* flags of linux.namespaces, CLONE_NEWTIME included */
	struct mb_idmap uidmap[MB_MAXMAP], gidmap[MB_MAXMAP];
	int nuidmap, ngidmap;
	long long mono_offset[2], boot_offset[2]; /* timeOffsets: seconds, nanoseconds */
	char cgroup[256];			  /* the cgroup's name, one level under the root */
	/* resources: 0 is "not set", a negative value (-1) "no limit" ("max") */
	long long mem_limit, pids_limit;	     /* bytes; tasks */
	long long cpu_shares, cpu_quota, cpu_period; /* quota and period in microseconds */
	struct mb_device devices[MB_MAX];
	int ndevices;
	json_t *seccomp; /* linux.seccomp, or NULL */
	const char *masked[MB_MAX], *readonly[MB_MAX];
	int nmasked, nreadonly;
};

/* Read BUNDLE/config.json into C. 0 ok; -1 with ERR filled (where, msg, status 2). ID is the
 * container's ID (it names the default cgroup). */
int config_load(const char *bundle, const char *id, struct mb_config *c, struct profile_error *err);
/* The same for a parsed document DOC (C then owns it) of the bundle directory BUNDLE. */
int config_parse(json_t *doc, const char *bundle, const char *id, struct mb_config *c,
		 struct profile_error *err);
/* Free what C holds (the document, the lists); C may come from a failed parse. */
void config_free(struct mb_config *c);
/* The bit of capability NAME ("CAP_KILL"), or -1 when this kernel or libcap has none. */
int cap_bit(const char *name);

#endif
