/* syscount.c - system calls counted per architecture, shown as a table or written as a profile.
 *
 * A part of sctrace and screcord (see syscount.h): the counting, the `strace -c` style table and
 * the Docker-format profile, the same whichever way the calls were watched.
 */
#define _GNU_SOURCE
#include "syscount.h"
#include "cseclab.h"

#include <jansson.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

/* One row per (architecture, syscall number) seen: a few hundred at most, so a plain array.
 * Numbers are kept whole: ARM's private calls (0x0f0001...) and x32's are far above 1024. */
struct call {
	uint32_t arch; /* AUDIT_ARCH_*, which is also libseccomp's token for it, or SCMP_ARCH_X32 */
	long nr;
	unsigned long count;
};
static struct call *calls;
static size_t ncalls, cap_calls;

void syscount_add(uint32_t arch, unsigned long nr, unsigned long n)
{
	if (arch == AUDIT_ARCH_X86_64 && (nr & X32_SYSCALL_BIT))
		arch = SCMP_ARCH_X32;
	for (size_t i = 0; i < ncalls; i++) {
		if (calls[i].arch == arch && calls[i].nr == (long)nr) {
			calls[i].count += n;
			return;
		}
	}
	if (ncalls == cap_calls) {
		cap_calls = cap_calls ? 2 * cap_calls : 256;
		calls = realloc(calls, cap_calls * sizeof(*calls));
		if (!calls)
			die("realloc");
	}
	calls[ncalls++] = (struct call){arch, (long)nr, n};
}

bool syscount_name(uint32_t arch, long nr, char *buf, size_t len)
{
	char *name = seccomp_syscall_resolve_num_arch(arch, (int)nr);

	/* libseccomp returns a malloc'd copy. */
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "syscall_%ld", nr);
	free(name);
	return name != NULL;
}

size_t syscount_distinct(void)
{
	return ncalls;
}

/* ---- output: the strace -c style table, and the profile ------------------------------- */

struct row {
	unsigned long calls;
	uint32_t arch;
	long nr;
	bool named; /* libseccomp has a name for it: only those can go into a profile */
	char name[32];
};

static int by_calls(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->name, ((const struct row *)b)->name);
}

/* One named row per (architecture, number) counted, ncalls of them; the caller frees them. */
static struct row *collect(void)
{
	struct row *rows = calloc(ncalls + 1, sizeof(*rows));

	if (!rows)
		die("calloc");
	for (size_t i = 0; i < ncalls; i++) {
		rows[i] = (struct row){calls[i].count, calls[i].arch, calls[i].nr, false, ""};
		rows[i].named = syscount_name(calls[i].arch, calls[i].nr, rows[i].name,
					      sizeof(rows[i].name));
	}
	return rows;
}

/* The profile's name for an architecture token, or NULL for one this table does not know
 * (every architecture of libseccomp 2.5 is here; a newer kernel may bring another). */
static const char *arch_name(uint32_t arch)
{
	static const struct {
		uint32_t arch;
		const char *name;
	} names[] = {
		{SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64"},
		{SCMP_ARCH_X86, "SCMP_ARCH_X86"},
		{SCMP_ARCH_X32, "SCMP_ARCH_X32"},
		{SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64"},
		{SCMP_ARCH_ARM, "SCMP_ARCH_ARM"},
		{SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE"},
		{SCMP_ARCH_PPC64, "SCMP_ARCH_PPC64"},
		{SCMP_ARCH_PPC, "SCMP_ARCH_PPC"},
		{SCMP_ARCH_S390X, "SCMP_ARCH_S390X"},
		{SCMP_ARCH_S390, "SCMP_ARCH_S390"},
		{SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64"},
		{SCMP_ARCH_MIPS, "SCMP_ARCH_MIPS"},
		{SCMP_ARCH_MIPS64, "SCMP_ARCH_MIPS64"},
		{SCMP_ARCH_MIPS64N32, "SCMP_ARCH_MIPS64N32"},
		{SCMP_ARCH_MIPSEL, "SCMP_ARCH_MIPSEL"},
		{SCMP_ARCH_MIPSEL64, "SCMP_ARCH_MIPSEL64"},
		{SCMP_ARCH_MIPSEL64N32, "SCMP_ARCH_MIPSEL64N32"},
		{SCMP_ARCH_PARISC, "SCMP_ARCH_PARISC"},
		{SCMP_ARCH_PARISC64, "SCMP_ARCH_PARISC64"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].arch == arch)
			return names[i].name;
	return NULL;
}

void syscount_print_table(void)
{
	struct row *rows = collect();
	size_t n = ncalls;
	unsigned long total = 0;

	qsort(rows, n, sizeof(*rows), by_calls);
	fprintf(stderr, "%10s  %s\n", "calls", "syscall");
	for (size_t i = 0; i < n; i++) {
		const char *arch = arch_name(rows[i].arch);

		/* The first architecture seen is the program's own; others are marked. */
		if (rows[i].arch == calls[0].arch)
			fprintf(stderr, "%10lu  %s\n", rows[i].calls, rows[i].name);
		else if (arch)
			fprintf(stderr, "%10lu  %s (%s)\n", rows[i].calls, rows[i].name, arch);
		else
			fprintf(stderr, "%10lu  %s (arch %#x)\n", rows[i].calls, rows[i].name,
				rows[i].arch);
		total += rows[i].calls;
	}
	fprintf(stderr, "total: %lu calls, %zu distinct\n", total, n);
	free(rows);
}

/* The smallest profile that lets this run through: the names seen, allowed; the rest EPERM.
 * Only the architectures seen are listed: any other entry point is killed (bad arch). What
 * the format cannot say (an architecture or a number without a name) is left out, with a
 * warning, and the rest is still written: CMD's exit status is the recorder's either way. */
void syscount_write_profile(const char *file)
{
	json_t *names = json_array(), *arches = json_array();
	struct row *rows = collect();
	size_t n = ncalls;
	const char *last = "";
	char comment[128];

	qsort(rows, n, sizeof(*rows), by_name);
	for (size_t i = 0; i < n; i++) {
		const char *arch = arch_name(rows[i].arch);

		if (!arch)
			continue; /* warned about below, once per architecture */
		if (!rows[i].named) {
			warnf("%s (%s): libseccomp has no name for it; left out of %s",
			      rows[i].name, arch, file);
			continue;
		}
		if (strcmp(rows[i].name, last) != 0)
			json_array_append_new(names, json_string(rows[i].name));
		last = rows[i].name;
	}
	for (size_t i = 0; i < ncalls; i++) {
		bool first = true;

		for (size_t j = 0; j < i; j++)
			first = first && calls[j].arch != calls[i].arch;
		if (!first)
			continue;
		if (arch_name(calls[i].arch))
			json_array_append_new(arches, json_string(arch_name(calls[i].arch)));
		else
			warnf("architecture %#x: no SCMP_ARCH_ name known; its calls are left out "
			      "of %s",
			      calls[i].arch, file);
	}
	snprintf(comment, sizeof(comment), "generated by %s from one run; allow only what was seen",
		 progname);
	json_t *profile = json_pack("{s:s, s:o, s:[{s:o, s:s, s:s}]}", "defaultAction",
				    "SCMP_ACT_ERRNO", "architectures", arches, "syscalls", "names",
				    names, "action", "SCMP_ACT_ALLOW", "comment", comment);
	if (json_dump_file(profile, file, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
		dief("%s: cannot write the profile", file);
	json_decref(profile);
	free(rows);
	say("%s: %zu syscalls allowed", file, n);
}
