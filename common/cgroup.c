/* cgroup.c - cgroup layout discovery (see cgroup.h). */
#define _GNU_SOURCE
#include "cgroup.h"
#include "cseclab.h"

#include <stdio.h>
#include <string.h>

bool cg_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name)) != NULL) {
		bool start = p == list || p[-1] == ' ' || p[-1] == ',';
		bool end = p[n] == '\0' || p[n] == ' ' || p[n] == ',' || p[n] == '\n';

		if (start && end)
			return true;
		p += n;
	}
	return false;
}

/* A v1 mount's super options ("rw,cpu,cpuacct") name its controllers; keep only those. */
static void v1_controllers(const char *superopts, char *out, size_t len)
{
	static const char *const known[] = {
		"cpu",	 "cpuacct",    "cpuset",   "memory",  "devices", "freezer", "net_cls",
		"blkio", "perf_event", "net_prio", "hugetlb", "pids",	 "rdma",    "misc"};

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
		if (!cg_has(superopts, known[i]))
			continue;
		if (out[0])
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, known[i], len - strlen(out) - 1);
	}
}

int cg_mounts(struct cg_mount *out, int max)
{
	char line[4096], buf[256];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		/* id parent maj:min root mountpoint opts [optional...] - fstype source superopts */
		char mnt[PATH_MAX], fstype[64], superopts[1024];
		char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		if (sscanf(dash + 3, "%63s %*s %1023s", fstype, superopts) != 2)
			continue;
		if (strcmp(fstype, "cgroup") == 0) {
			out[n].version = CG_V1;
			v1_controllers(superopts, out[n].controllers, sizeof(out[n].controllers));
		} else if (strcmp(fstype, "cgroup2") == 0) {
			char path[PATH_MAX + 32];

			out[n].version = CG_V2;
			snprintf(path, sizeof(path), "%s/cgroup.controllers", mnt);
			if (read_file(path, buf, sizeof(buf)) < 0)
				buf[0] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			snprintf(out[n].controllers, sizeof(out[n].controllers), "%s", buf);
		} else {
			continue;
		}
		snprintf(out[n].path, sizeof(out[n].path), "%s", mnt);
		n++;
	}
	fclose(f);
	return n;
}

int cg_find(const char *controller, struct cg_mount *out)
{
	struct cg_mount m[32];
	int n = cg_mounts(m, 32);

	for (int pass = 1; pass <= 2; pass++) {
		for (int i = 0; i < n; i++) {
			if ((int)m[i].version == pass && cg_has(m[i].controllers, controller)) {
				*out = m[i];
				return 0;
			}
		}
	}
	return -1;
}
