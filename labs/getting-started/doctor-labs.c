/* doctor-labs.c - which labs this machine can run (see doctor-labs.h).
 *
 * A lab can run when every feature it needs is there. The needs of a lab are the features its
 * tests `requires`: tests/00-doctor.bats reads this table and fails when a test of a lab asks
 * for a feature its row does not list, so that "can run" here means its tests run there.
 */
#include "doctor-labs.h"
#include "cseclab.h"
#include "doctor-features.h"
#include "doctor-output.h"
#include "term.h"

#include <stdio.h>
#include <string.h>

/* One row per lab: its name, the feature keywords it needs (space-separated), what it shows. */
static const struct {
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
	{"capabilities", "root", "capshow, capexec, capcalc"},
	{"filecaps", "root filecaps privileged-port-80", "file capabilities and execve"},
	{"privileges", "root mntns", "stepdown, nnp, rofs"},
	{"seccomp", "seccomp seccomp-filter", "strict, filter, argfilter, seccomp-run"},
	{"seccomp-notify", "seccomp-notify", "filter --action notify"},
	{"seccomp-ia32", "seccomp-filter ia32", "a filter without the arch check"},
	{"sctrace", "seccomp-trace ptrace", "trace a program into a profile"},
	{"landlock", "landlock", "landlock: files and ports"},
	{"apparmor", "root apparmor", "aagen profiles enforced"},
	{"selinux", "selinux", "SELinux labels enforced"},
	{"docker", "root docker", "the docker lane"},
};

void report_labs(void)
{
	section("labs on this machine");
	for (size_t i = 0; i < ARRAY_SIZE(lab_table); i++) {
		char needs[256], missing[512] = "", key[64];
		char *save = NULL;

		snprintf(needs, sizeof(needs), "%s", lab_table[i].needs);
		for (char *w = strtok_r(needs, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			const struct feature *f = probe(feature(w));

			if (!f->ok)
				snprintf(missing + strlen(missing),
					 sizeof(missing) - strlen(missing), "%s%s (%s)",
					 missing[0] ? "; " : "", w, f->why);
		}
		snprintf(key, sizeof(key), "lab %s", lab_table[i].lab);
		if (output_json)
			fact(key, "%s", missing[0] ? missing : "can run");
		else if (!missing[0])
			printf("lab: %-16s %scan run%s    %s\n", lab_table[i].lab,
			       term_green(stdout), term_reset(stdout), lab_table[i].shows);
		else
			printf("lab: %-16s %swill skip%s: %s\n", lab_table[i].lab, term_red(stdout),
			       term_reset(stdout), missing);
	}
}
