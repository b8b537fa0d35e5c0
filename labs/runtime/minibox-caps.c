/* minibox-caps.c - rlimits, then user and groups, then the five capability sets.
 *
 * A part of minibox (minibox-caps.h). The order is forced by the kernel's rules
 * (capabilities(7)): raising a hard rlimit needs CAP_SYS_RESOURCE, so rlimits come while the
 * process is root with every capability. setuid(2) away from 0 empties the permitted set
 * unless PR_SET_KEEPCAPS is on, and always empties the effective set; dropping from the
 * bounding set needs CAP_SETPCAP in the effective set, so it is made effective again first.
 * capset(2) then sets inheritable, permitted and effective at once; an ambient capability must
 * be both permitted and inheritable, so ambient comes last (runc spec asks for three ambient
 * capabilities and no inheritable ones: the kernel refuses them, runc and minibox go on).
 * What execve(2) then makes of the sets: for uid 0, permitted = bounding; for another uid,
 * permitted = effective = ambient. capshow shows the result.
 */
#define _GNU_SOURCE
#include "minibox-caps.h"
#include "cseclab.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

void caps_limits(const struct mb_config *c)
{
	char call[64];

	for (int i = 0; i < c->nrlimits; i++) {
		if (setrlimit(c->rlimits[i].resource, &c->rlimits[i].lim) < 0) {
			snprintf(call, sizeof(call), "setrlimit %s", c->rlimits[i].name);
			die(call);
		}
	}
	if (c->has_oom_score_adj &&
	    write_file("/proc/self/oom_score_adj", "%d", c->oom_score_adj) < 0)
		die("write /proc/self/oom_score_adj");
}

/* capget/capset(2) without libcap: two 32-bit words per set (version 3). */
static void get_sets(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};

	if (syscall(SYS_capget, &h, d) < 0)
		die("capget");
}

static void set_sets(uint64_t inh, uint64_t prm, uint64_t eff)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	for (int w = 0; w < 2; w++) {
		d[w].inheritable = (uint32_t)(inh >> (32 * w));
		d[w].permitted = (uint32_t)(prm >> (32 * w));
		d[w].effective = (uint32_t)(eff >> (32 * w));
	}
	if (syscall(SYS_capset, &h, d) < 0)
		die("capset");
}

static int last_cap(void)
{
	long last;

	if (read_long("/proc/sys/kernel/cap_last_cap", &last) < 0)
		last = CAP_LAST_CAP;
	return (int)last;
}

void caps_apply(const struct mb_config *c)
{
	struct __user_cap_data_struct d[2];
	uint64_t prm;

	/* 1. Who the process is. setgroups first: after setuid it would need CAP_SETGID. */
	if (prctl(PR_SET_KEEPCAPS, 1) < 0)
		die("prctl PR_SET_KEEPCAPS");
	if (setgroups((size_t)c->ngroups, c->groups) < 0)
		die("setgroups");
	if (setresgid(c->gid, c->gid, c->gid) < 0)
		die("setresgid");
	if (setresuid(c->uid, c->uid, c->uid) < 0)
		die("setresuid");
	if (prctl(PR_SET_KEEPCAPS, 0) < 0)
		die("prctl PR_SET_KEEPCAPS");

	/* 2. The permitted set survived the change of uid; make it effective again. */
	get_sets(d);
	prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	set_sets(0, prm, prm);

	/* 3. Bounding: what no later execve can give back, even to a set-uid-root program. */
	for (int cap = 0; cap <= last_cap(); cap++)
		if (!(c->caps[CAP_BND] >> cap & 1) && prctl(PR_CAPBSET_DROP, cap) < 0)
			die("prctl PR_CAPBSET_DROP");

	/* 4. Inheritable, permitted, effective, in one capset(2). */
	set_sets(c->caps[CAP_INH], c->caps[CAP_PRM], c->caps[CAP_EFF]);

	/* 5. Ambient: kept across execve of a program without file capabilities. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		die("prctl PR_CAP_AMBIENT_CLEAR_ALL");
	for (int cap = 0; cap <= last_cap(); cap++) {
		if (!(c->caps[CAP_AMB] >> cap & 1))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
			if (errno != EPERM)
				die("prctl PR_CAP_AMBIENT_RAISE");
			say("caps: ambient %d refused (EPERM): it is not both permitted and "
			    "inheritable",
			    cap);
		}
	}
}
