/* profile-includes.c - Docker's includes/excludes: does a profile's rule count on this machine?
 *
 * A part of the profile compiler (profile.c). A rule of Docker's default profile may hold only
 * for some containers: {"includes": {"caps": ["CAP_SYS_ADMIN"]}} allows mount and unshare when
 * the container was given that capability, {"excludes": {"caps": [...]}} refuses clone3 unless
 * it was. Docker decides when it writes the container's filter, so each container gets only
 * the rules that count for it. Here the container is this process: caps are read from its
 * capability bounding set (what any exec can ever hold), arches compared with this machine,
 * minKernel with uname. In "includes" every condition must hold (all caps in the bounding
 * set); in "excludes" any one of them drops the rule (any cap in the set).
 */
#define _GNU_SOURCE
#include "profile-includes.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/utsname.h>

const char *native_arch(void)
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

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].token == native)
			return names[i].docker_name;
	return "unknown";
}

static bool in_bounding_set(struct doc *d, const char *cap_name, const char *place)
{
	cap_value_t cap;

	if (cap_from_name(cap_name, &cap) != 0)
		doc_bad(d, place, "unknown capability \"%s\"", cap_name);
	/* The bounding set limits what any exec can ever gain: Docker checks it, not the effective
	 * set, because it is what the container will be started with. EINVAL: the kernel does not
	 * know that capability, so it cannot be in the set. */
	return prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1;
}

static bool kernel_at_least(struct doc *d, const char *version, const char *place)
{
	static unsigned kmaj, kmin;
	unsigned maj, min;
	int end = 0;

	if (sscanf(version, "%u.%u%n", &maj, &min, &end) != 2 || version[end] != '\0')
		doc_bad(d, place, "minKernel \"%s\" is not \"<kernel>.<major>\" (such as \"4.8\")",
			version);
	if (!kmaj) {
		struct utsname u;
		if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &kmaj, &kmin) != 2)
			doc_fail(d, EXIT_FAIL, place, "uname: %s", strerror(errno));
	}
	return kmaj > maj || (kmaj == maj && kmin >= min);
}

/* One includes (INCLUDES true) or excludes object of RULE: whether the rule stays. */
static bool keeps(struct doc *d, json_t *rule, bool includes, const char *place, char *why,
		  size_t len)
{
	static const char *const keys[] = {"caps", "arches", "minKernel", NULL};
	const char *key = includes ? "includes" : "excludes", *arch = native_arch();
	char where[128], item[160];
	json_t *f, *caps, *arches, *mk;

	f = doc_member(d, rule, key, JSON_OBJECT, place);
	if (!f)
		return true;
	doc_at(where, sizeof(where), place, key);
	doc_check_keys(d, f, where, keys);
	arches = doc_list(doc_member(d, f, "arches", JSON_ARRAY, where));
	caps = doc_list(doc_member(d, f, "caps", JSON_ARRAY, where));
	mk = doc_member(d, f, "minKernel", JSON_STRING, where);

	if (doc_has(d, arches, arch, doc_at(item, sizeof(item), where, "arches")) != includes &&
	    json_array_size(arches)) {
		snprintf(why, len, "%s.arches %s %s", key, includes ? "lacks" : "has", arch);
		return false;
	}
	for (size_t i = 0; i < json_array_size(caps); i++) {
		const char *cap = doc_string(d, caps, i, doc_at(item, sizeof(item), where, "caps"));
		snprintf(item, sizeof(item), "%s.caps[%zu]", where, i);
		if (in_bounding_set(d, cap, item) != includes) {
			snprintf(why, len, "%s.caps: %s %s the bounding set", key, cap,
				 includes ? "is not in" : "is in");
			return false;
		}
	}
	if (mk && kernel_at_least(d, json_string_value(mk), where) != includes) {
		snprintf(why, len, "%s.minKernel %s: this kernel is %s", key, json_string_value(mk),
			 includes ? "older" : "as new or newer");
		return false;
	}
	return true;
}

bool rule_counts_here(struct doc *d, json_t *rule, const char *place, char *why, size_t len)
{
	return keeps(d, rule, false, place, why, len) && keeps(d, rule, true, place, why, len);
}
