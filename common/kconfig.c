/* kconfig.c - the running kernel's build options (see kconfig.h). */
#define _GNU_SOURCE
#include "kconfig.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static char *text; /* the whole configuration, or NULL */
static char source[PATH_MAX];

static void load(void)
{
	static bool loaded;
	struct utsname u;
	char chunk[65536];
	size_t cap = 0, len = 0, n;
	bool piped = false;
	FILE *f;

	if (loaded)
		return;
	loaded = true;
	uname(&u);
	snprintf(source, sizeof(source), "/boot/config-%s", u.release);
	f = fopen(source, "re");
	if (!f && access("/proc/config.gz", R_OK) == 0) {
		snprintf(source, sizeof(source), "/proc/config.gz");
		f = popen("gzip -dc /proc/config.gz 2>/dev/null", "re");
		piped = true;
	}
	if (!f)
		return;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			char *p = realloc(text, cap = (len + n + 1) * 2);

			if (!p)
				break;
			text = p;
		}
		memcpy(text + len, chunk, n);
		len += n;
		text[len] = '\0';
	}
	if (piped)
		pclose(f);
	else
		fclose(f);
	if (len == 0) {
		free(text);
		text = NULL;
	}
}

const char *kconfig(const char *name)
{
	size_t n = strlen(name);
	const char *p;

	load();
	if (!text)
		return "unknown";
	/* "NAME=value" at the start of a line; "# NAME is not set" means n. */
	for (p = text; (p = strstr(p, name)) != NULL; p += n) {
		if ((p != text && p[-1] != '\n') || p[n] != '=')
			continue;
		return p[n + 1] == 'y' ? "y" : p[n + 1] == 'm' ? "m" : "n";
	}
	return "n";
}

const char *kconfig_source(void)
{
	load();
	return text ? source : NULL;
}
