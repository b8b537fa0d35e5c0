/* lsmlist.c - the active LSMs from securityfs or lsm_list_modules(2) (see lsmlist.h). */
#define _GNU_SOURCE
#include "lsmlist.h"
#include "cseclab.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_lsm_list_modules
#define __NR_lsm_list_modules 461 /* Linux 6.8; the same on every architecture but alpha */
#endif

/* The LSM_ID_* numbers of <linux/lsm.h> (6.8+): fixed kernel ABI. */
static const struct {
	uint64_t id;
	const char *name;
} lsm_ids[] = {
	{100, "capability"}, {101, "selinux"}, {102, "smack"},	  {103, "tomoyo"},
	{104, "apparmor"},   {105, "yama"},    {106, "loadpin"},  {107, "safesetid"},
	{108, "lockdown"},   {109, "bpf"},     {110, "landlock"}, {111, "ima"},
	{112, "evm"},	     {113, "ipe"},
};

/* securityfs: one line, the modules in initialisation order. */
int lsm_list_securityfs(char *buf, size_t len)
{
	if (read_file(LSM_LIST_SECURITYFS, buf, len) < 0)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* lsm_list_modules(2): an array of LSM_ID_* numbers, in the same order. */
int lsm_list_syscall(char *buf, size_t len)
{
	uint64_t ids[32];
	uint32_t size = sizeof(ids);
	long n = syscall(__NR_lsm_list_modules, ids, &size, 0);

	if (n < 0)
		return -1;
	buf[0] = '\0';
	for (long i = 0; i < n; i++) {
		const char *name = "unknown";

		for (size_t j = 0; j < ARRAY_SIZE(lsm_ids); j++)
			if (lsm_ids[j].id == ids[i])
				name = lsm_ids[j].name;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? "," : "", name);
	}
	return 0;
}
