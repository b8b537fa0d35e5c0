/* doctor-output.c - "key: value" lines or one JSON object (see doctor-output.h). */
#include "doctor-output.h"
#include "term.h"

#include <stdarg.h>
#include <stdio.h>

bool output_json;
static int nfacts;

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

void fact(const char *key, const char *fmt, ...)
{
	char val[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (output_json) {
		printf("%s\n    ", nfacts++ ? "," : "");
		json_str(key);
		printf(": ");
		json_str(val);
	} else {
		printf("%s: %s\n", key, val);
	}
}

void section(const char *title)
{
	if (!output_json)
		printf("\n%s# %s%s\n", term_bold(stdout), title, term_reset(stdout));
}

void report_begin(void)
{
	if (output_json)
		printf("{\n  \"facts\": {");
}

void report_end(void)
{
	if (output_json)
		printf("\n  }\n}\n");
	else
		printf("\nReasons name what is missing; LAB_GUIDE.md, chapter \"Getting started\", "
		       "explains each.\n");
}
