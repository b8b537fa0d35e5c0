/* doctor-read.c - the small readers of /proc, /sys and $PATH that doctor's facts and probes share
 * (see doctor-read.h). A part of doctor; it uses no other part. */
#define _GNU_SOURCE
#include "doctor-read.h"
#include "cseclab.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* First line of a file, without the newline; "" when unreadable. */
const char *line_of(const char *path)
{
	static char buf[8][512];
	static int slot;
	char *b = buf[slot++ % 8];

	if (read_file(path, b, sizeof(buf[0])) < 0)
		b[0] = '\0';
	b[strcspn(b, "\n")] = '\0';
	return b;
}

bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Value of "Key:\t..." in /proc/self/status. */
const char *status_field(const char *key)
{
	static char val[256];
	char line[512];
	size_t n = strlen(key);
	FILE *f = fopen("/proc/self/status", "re");

	val[0] = '\0';
	if (!f)
		return val;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, n) == 0 && line[n] == ':') {
			char *v = line + n + 1;

			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			snprintf(val, sizeof(val), "%s", v);
			break;
		}
	}
	fclose(f);
	return val;
}

bool on_path(const char *tool)
{
	const char *path = getenv("PATH");
	char dir[PATH_MAX];

	if (!path || !*path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s/%s", (int)n, path, tool);
		if (access(dir, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}
