/* doctor-labs.c - which labs this machine can run (see doctor-labs.h).
 *
 * A lab can run when every feature its row lists is there. A row lists what the lab's tests
 * `requires`: tests/00-doctor.bats names the tests of each lab (LAB_TESTS) and fails when one
 * of them asks for a feature its row here does not list, so "can run" means those tests run.
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
	{"memlimit", "root cgroup-memory kmsg", "memory limit and the OOM killer"},
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
	{"landlock", "landlock", "landlock: files"},
	{"landlock-net", "landlock-net", "landlock: TCP ports (Landlock ABI 4)"},
	{"apparmor", "root apparmor", "aagen profiles enforced"},
	{"selinux", "selinux", "SELinux labels enforced"},
	{"runtime", "root pidns mntns utsns ipcns netns cgroupns userns timens cgroup-memory kmsg",
	 "minibox: an OCI bundle run as runc runs it"},
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
