/* doctor-features.c - the keywords the tests' `requires` asks about (see doctor-features.h).
 * Each row: the keyword, the kernel that added it, the probe that decides it and the probe's
 * parameter. The probes are in doctor-probes.c (the kernel), doctor-bpf.c (eBPF tracing) and
 * doctor-host.c (this machine's set-up: LSMs, Docker, container, mounts, tools). */
#include "doctor-features.h"
#include "cseclab.h"
#include "doctor-bpf.h"
#include "doctor-host.h"
#include "doctor-output.h"
#include "doctor-probes.h"
#include "term.h"

#include <string.h>

static struct feature features[] = {
	FEATURE("root", "-", p_root, NULL),
	FEATURE("pidns", "2.6.24", p_ns, "pid"),
	FEATURE("mntns", "2.4.19", p_ns, "mnt"),
	FEATURE("utsns", "2.6.19", p_ns, "uts"),
	FEATURE("ipcns", "2.6.19", p_ns, "ipc"),
	FEATURE("netns", "2.6.29", p_ns, "net"),
	FEATURE("userns", "3.8", p_ns, "user"),
	FEATURE("cgroupns", "4.6", p_ns, "cgroup"),
	FEATURE("timens", "5.6", p_ns, "time"),
	FEATURE("unpriv-userns", "3.8", p_unpriv_userns, NULL),
	FEATURE("mqueue", "2.6.6", p_mqueue, NULL),
	FEATURE("veth", "2.6.24", p_veth, NULL),
	FEATURE("cgroup-v1", "2.6.24", p_cgroup_version, "1"),
	FEATURE("cgroup-v2", "4.5", p_cgroup_version, "2"),
	FEATURE("cgroup-cpu", "2.6.24", p_cgroup, "cpu"),
	FEATURE("cgroup-cpuset", "2.6.24", p_cgroup, "cpuset"),
	FEATURE("cgroup-pids", "4.3", p_cgroup, "pids"),
	FEATURE("cgroup-memory", "2.6.25", p_cgroup, "memory"),
	FEATURE("cgroup-devices", "2.6.26 (v2: 4.15, BPF)", p_cgroup, "devices"),
	FEATURE("cgroup-freezer", "2.6.28 (v2: 5.2)", p_cgroup, "freezer"),
	FEATURE("cgroup-kill", "5.14", p_cgroup_kill, NULL),
	FEATURE("cgroup-v2-mount", "4.5", p_cgroup_v2_mount, NULL),
	FEATURE("seccomp", "2.6.12", p_seccomp, NULL),
	FEATURE("seccomp-filter", "3.5", p_seccomp_action, NULL),
	FEATURE("seccomp-kill-process", "4.14", p_seccomp_action, "kill_process"),
	FEATURE("seccomp-kill-thread", "3.5", p_seccomp_action, "kill_thread"),
	FEATURE("seccomp-trap", "3.5", p_seccomp_action, "trap"),
	FEATURE("seccomp-errno", "3.5", p_seccomp_action, "errno"),
	FEATURE("seccomp-trace", "3.5", p_seccomp_action, "trace"),
	FEATURE("seccomp-log", "4.14", p_seccomp_action, "log"),
	FEATURE("seccomp-notify", "5.0", p_seccomp_action, "user_notif"),
	FEATURE("ia32", "-", p_ia32, NULL),
	FEATURE("io-uring", "5.1", p_io_uring, NULL),
	FEATURE("ptrace", "-", p_ptrace, NULL),
	FEATURE("kmsg", "3.5", p_kmsg, NULL),
	FEATURE("bpf", "4.17 (CAP_BPF: 5.8)", p_bpf, NULL),
	FEATURE("btf", "5.4", p_btf, NULL),
	FEATURE("raw-tracepoint", "4.17", p_raw_tracepoint, "sys_enter"),
	FEATURE("landlock", "5.13", p_landlock, "1"),
	FEATURE("landlock-net", "6.7", p_landlock, "4"),
	FEATURE("apparmor", "2.6.36", p_apparmor, NULL),
	FEATURE("selinux", "2.6", p_selinux, NULL),
	FEATURE("docker", "-", p_docker, NULL),
	FEATURE("filecaps", "2.6.24", p_filecaps, NULL),
	FEATURE("privileged-port-80", "4.11 (sysctl)", p_port80, NULL),
	FEATURE("no-container", "-", p_no_container, NULL),
};

struct feature *feature(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(features); i++)
		if (strcmp(features[i].name, name) == 0)
			return &features[i];
	return NULL;
}

const struct feature *probe(struct feature *f)
{
	if (!f->done) {
		f->ok = f->probe(f, f->why, sizeof(f->why));
		f->done = true;
	}
	return f;
}

void list_features(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(features); i++)
		printf("%-21s since %s\n", features[i].name, features[i].since);
	printf("%-21s an executable on PATH\n", "tool:NAME");
}

void report_features(void)
{
	section("features (doctor --check NAME)");
	for (size_t i = 0; i < ARRAY_SIZE(features); i++) {
		const struct feature *f = probe(&features[i]);

		if (output_json) {
			char key[64];

			snprintf(key, sizeof(key), "feature %s", f->name);
			fact(key, "%s: %s", f->ok ? "yes" : "no", f->why);
		} else {
			printf("feature: %-21s %s%-3s%s %s\n", f->name,
			       f->ok ? term_green(stdout) : term_red(stdout), f->ok ? "yes" : "no",
			       term_reset(stdout), f->why);
		}
	}
}
