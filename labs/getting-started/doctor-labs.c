/* doctor-labs.c - which labs this machine can run (see doctor-labs.h).
 *
 * A lab can run when every feature its row lists is there. The row is the one place that says
 * what a lab needs: the lab's tests ask `requires lab:NAME`, which is `doctor --check lab:NAME`,
 * so "can run" here and "runs" there are the same answer (tests/00-doctor.bats checks that every
 * row has tests and that no test repeats a feature of its lab's row).
 */
#include "doctor-labs.h"
#include "cseclab.h"
#include "doctor-features.h"
#include "doctor-output.h"
#include "term.h"

#include <stdio.h>
#include <string.h>

/* One row per lab: its name, the feature keywords it needs (space-separated), what it shows. */
static const struct lab {
	const char *lab, *needs, *shows;
} lab_table[] = {
	{"namespaces", "root pidns mntns utsns", "ns, nsinfo, nsjoin: a child in new namespaces"},
	{"mqueue", "root ipcns mqueue", "receiver, sender: queues across IPC namespaces"},
	{"user-namespaces", "userns unpriv-userns", "ns -U: root inside, the caller outside"},
	{"netpair", "root netns veth", "two network namespaces joined by veth"},
	{"cpushares", "root cgroup-cpu cgroup-cpuset", "cpu.shares / cpu.weight split measured"},
	{"forkbomb", "root cgroup-pids", "pids.max contains a fork bomb"},
	{"memlimit", "root cgroup-memory", "memory limit and the OOM killer"},
	{"cpuquota", "root cgroup-cpu", "CPU quota changed live"},
	{"devcg", "root cgroup-devices", "the devices controller"},
	{"capabilities", "root", "capshow, capexec: the sets and what they allow"},
	{"filecaps", "root filecaps privileged-port-80", "file capabilities, execve, capcalc"},
	{"privileges", "root mntns filecaps", "stepdown, nnp, rofs"},
	{"seccomp", "seccomp seccomp-filter seccomp-kill-process",
	 "strict, filter, argfilter, seccomp-run"},
	{"seccomp-notify", "seccomp-notify", "filter --action notify"},
	{"seccomp-ia32", "root seccomp-filter seccomp-kill-process ia32 utsns",
	 "a filter without the arch check"},
	{"sctrace", "seccomp-filter seccomp-trace ptrace", "trace a program into a profile"},
	{"screcord", "root bpf btf raw-tracepoint", "record a profile with eBPF, no stop per call"},
	{"landlock", "landlock", "landlock: files"},
	{"landlock-net", "landlock-net", "landlock: TCP ports (Landlock ABI 4)"},
	{"apparmor", "root apparmor", "aagen profiles enforced"},
	{"selinux", "selinux", "SELinux labels enforced"},
	{"runtime", "root pidns mntns utsns ipcns netns",
	 "minibox: an OCI bundle run as runc runs it"},
	{"docker", "root docker", "the docker lane"},
};

/* What L lacks here: "feature (reason)" for each missing feature, "; " between them, or only the
 * first as "needs feature: reason" (FIRST). Empty when the lab can run. */
static void missing(const struct lab *l, bool first, char *out, size_t len)
{
	char needs[256];
	char *save = NULL;

	out[0] = '\0';
	snprintf(needs, sizeof(needs), "%s", l->needs);
	for (char *w = strtok_r(needs, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		struct feature *f = feature(w);
		const char *why = f ? probe(f)->why : "not a keyword of doctor: fix doctor-labs.c";
		size_t n = strlen(out);

		if (f && f->ok)
			continue;
		if (first) {
			snprintf(out, len, "needs %s: %s", w, why);
			return;
		}
		snprintf(out + n, len - n, "%s%s (%s)", n ? "; " : "", w, why);
	}
}

int check_lab(const char *name)
{
	char why[512];

	for (size_t i = 0; i < ARRAY_SIZE(lab_table); i++) {
		if (strcmp(lab_table[i].lab, name) != 0)
			continue;
		missing(&lab_table[i], true, why, sizeof(why));
		if (why[0]) {
			printf("%s\n", why);
			return EXIT_FAIL;
		}
		printf("lab %s can run (%s)\n", name, lab_table[i].needs);
		return EXIT_OK;
	}
	warnf("unknown lab '%s' (doctor --features lists them)", name);
	return EXIT_USAGE;
}

void list_labs(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(lab_table); i++) {
		char key[64];

		snprintf(key, sizeof(key), "lab:%s", lab_table[i].lab);
		printf("%-21s needs %s\n", key, lab_table[i].needs);
	}
}

void report_labs(void)
{
	section("labs on this machine");
	for (size_t i = 0; i < ARRAY_SIZE(lab_table); i++) {
		char why[512], key[64];

		missing(&lab_table[i], false, why, sizeof(why));
		snprintf(key, sizeof(key), "lab %s", lab_table[i].lab);
		if (output_json)
			fact(key, "%s", why[0] ? why : "can run");
		else if (!why[0])
			printf("lab: %-16s %scan run%s    %s\n", lab_table[i].lab,
			       term_green(stdout), term_reset(stdout), lab_table[i].shows);
		else
			printf("lab: %-16s %swill skip%s: %s\n", lab_table[i].lab, term_red(stdout),
			       term_reset(stdout), why);
	}
}
