/* exercise-report.c - merge students' results into a class table (see the header).
 * A part of bin/exercise (labs/getting-started/exercise.c). Rows are students, columns the
 * exercises in course order (plus any the results name that this checkout does not have); a
 * cell is the student's latest result for that exercise: passed, failed (with the assertion),
 * cannot run, or not tried.
 */
#define _GNU_SOURCE
#include "exercise-report.h"
#include "cseclab.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STUDENTS 512

struct cell {
	const char *result; /* NULL: not tried */
	char assertion[300];
	char kernel_said[300];
	char when[32];
};

struct table {
	char students[MAX_STUDENTS][64];
	int nstudents;
	char names[EX_MAX][EX_NAME_MAX];
	const char *chapters[EX_MAX];
	int nnames;
	struct cell *cells; /* [student * EX_MAX + exercise] */
};

static int student_index(struct table *t, const char *s)
{
	for (int i = 0; i < t->nstudents; i++)
		if (strcmp(t->students[i], s) == 0)
			return i;
	if (t->nstudents == MAX_STUDENTS)
		return -1;
	snprintf(t->students[t->nstudents], sizeof(t->students[0]), "%s", s);
	return t->nstudents++;
}

static int exercise_index(struct table *t, const char *name)
{
	for (int i = 0; i < t->nnames; i++)
		if (strcmp(t->names[i], name) == 0)
			return i;
	if (t->nnames == EX_MAX)
		return -1;
	snprintf(t->names[t->nnames], sizeof(t->names[0]), "%s", name);
	t->chapters[t->nnames] = "(not in this checkout)";
	return t->nnames++;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* One result object into the table; the latest result of a student for an exercise wins. */
static int add_result(struct table *t, json_t *o, const char *file)
{
	const char *result = str(o, "result"), *when = str(o, "when");
	static const char *const results[] = {"passed", "failed", "cannot-run", "error"};
	int s, e;
	struct cell *c;

	if (!json_is_object(o) || !*str(o, "student") || !*str(o, "exercise")) {
		warnf("%s: a result without \"student\" and \"exercise\"", file);
		return -1;
	}
	s = student_index(t, str(o, "student"));
	e = exercise_index(t, str(o, "exercise"));
	if (s < 0 || e < 0) {
		warnf("%s: too many students or exercises", file);
		return -1;
	}
	c = &t->cells[s * EX_MAX + e];
	if (c->result && strcmp(c->when, when) > 0)
		return 0;
	c->result = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(results); i++)
		if (strcmp(result, results[i]) == 0)
			c->result = results[i];
	if (!c->result) {
		warnf("%s: unknown result \"%s\"", file, result);
		return -1;
	}
	snprintf(c->assertion, sizeof(c->assertion), "%s", str(o, "assertion"));
	snprintf(c->kernel_said, sizeof(c->kernel_said), "%s", str(o, "kernel_said"));
	snprintf(c->when, sizeof(c->when), "%s", when);
	return 0;
}

/* A file: one JSON value after another (an object or an array of objects each). */
static int read_results(struct table *t, const char *file)
{
	json_error_t err;
	size_t off = 0, len;
	char *text;
	FILE *f = fopen(file, "re");

	if (!f) {
		warn_errno(file);
		return 1;
	}
	text = calloc(1, 1 << 22);
	len = text ? fread(text, 1, (1 << 22) - 1, f) : 0;
	fclose(f);
	if (!text)
		die("calloc");
	for (;;) {
		json_t *v, *o;
		size_t i;

		off += strspn(text + off, " \t\r\n");
		if (off >= len)
			break;
		v = json_loads(text + off, JSON_DISABLE_EOF_CHECK, &err);
		if (!v) {
			warnf("%s: line %d: %s", file, err.line, err.text);
			free(text);
			return 2;
		}
		off += err.position;
		if (json_is_array(v)) {
			json_array_foreach(v, i, o) if (add_result(t, o, file)) goto bad;
		} else if (add_result(t, v, file)) {
			goto bad;
		}
		json_decref(v);
		continue;
	bad:
		json_decref(v);
		free(text);
		return 2;
	}
	free(text);
	return 0;
}

static void html_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

static int write_html(const struct table *t, const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f) {
		warn_errno(path);
		return 1;
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<title>cseclab: class report</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}\n"
	      "th,td{border:1px solid #bbb;padding:.3em .5em;vertical-align:top;font-size:90%}\n"
	      "th.ex{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}\n"
	      "td.passed{background:#c8f0c8}td.failed{background:#f6c8c8}\n"
	      "td.cannot-run,td.error{background:#f0e0b0}td.none{color:#999;text-align:center}\n"
	      "small{display:block;color:#444;max-width:16em}\n"
	      "</style></head><body>\n<h1>cseclab: class report</h1>\n",
	      f);
	fprintf(f,
		"<p>%d students, %d exercises. A cell is the student's latest result: "
		"passed, failed (the assertion the kernel refused; hover for what it said), "
		"cannot run, or not tried.</p>\n<table>\n<tr><th>chapter</th>",
		t->nstudents, t->nnames);
	for (int e = 0; e < t->nnames; e++) {
		fputs("<th>", f);
		html_escape(f, t->chapters[e]);
		fputs("</th>", f);
	}
	fputs("</tr>\n<tr><th>student</th>", f);
	for (int e = 0; e < t->nnames; e++) {
		fputs("<th class=\"ex\">", f);
		html_escape(f, t->names[e]);
		fputs("</th>", f);
	}
	fputs("<th>passed</th></tr>\n", f);
	for (int s = 0; s < t->nstudents; s++) {
		int passed = 0;

		fputs("<tr><th>", f);
		html_escape(f, t->students[s]);
		fputs("</th>", f);
		for (int e = 0; e < t->nnames; e++) {
			const struct cell *c = &t->cells[s * EX_MAX + e];

			if (!c->result) {
				fputs("<td class=\"none\">-</td>", f);
				continue;
			}
			passed += strcmp(c->result, "passed") == 0;
			fprintf(f, "<td class=\"%s\" title=\"", c->result);
			html_escape(f, *c->kernel_said ? c->kernel_said : c->when);
			fprintf(f, "\">%s", c->result);
			if (*c->assertion) {
				fputs("<small>", f);
				html_escape(f, c->assertion);
				fputs("</small>", f);
			}
			fputs("</td>", f);
		}
		fprintf(f, "<td>%d / %d</td></tr>\n", passed, t->nnames);
	}
	fputs("</table>\n</body></html>\n", f);
	if (fclose(f)) {
		warn_errno(path);
		return 1;
	}
	return 0;
}

static void print_table(const struct table *t)
{
	static const char *const marks[][2] = {
		{"passed", "ok"}, {"failed", "F"}, {"cannot-run", "?"}, {"error", "E"}};
	int w = 7;

	for (int s = 0; s < t->nstudents; s++)
		if ((int)strlen(t->students[s]) > w)
			w = (int)strlen(t->students[s]);
	printf("class report: %d students, %d exercises (ok passed, F failed, ? cannot run here, "
	       "E grader error, . not tried)\n\n%-*s",
	       t->nstudents, t->nnames, w, "student");
	for (int e = 0; e < t->nnames; e++)
		printf(" %3d", e + 1);
	printf("  passed\n");
	for (int s = 0; s < t->nstudents; s++) {
		int passed = 0;

		printf("%-*s", w, t->students[s]);
		for (int e = 0; e < t->nnames; e++) {
			const struct cell *c = &t->cells[s * EX_MAX + e];
			const char *m = ".";

			for (size_t k = 0; c->result && k < ARRAY_SIZE(marks); k++)
				if (strcmp(c->result, marks[k][0]) == 0)
					m = marks[k][1];
			passed += c->result && strcmp(c->result, "passed") == 0;
			printf(" %3s", m);
		}
		printf("  %d/%d\n", passed, t->nnames);
	}
	printf("\nexercises:\n");
	for (int e = 0; e < t->nnames; e++)
		printf(" %3d %s (%s)\n", e + 1, t->names[e], t->chapters[e]);
	printf("\nfailed:\n");
	for (int s = 0; s < t->nstudents; s++)
		for (int e = 0; e < t->nnames; e++) {
			const struct cell *c = &t->cells[s * EX_MAX + e];

			if (c->result && strcmp(c->result, "failed") == 0)
				printf("  %s %s: %s (kernel said: %s)\n", t->students[s],
				       t->names[e], c->assertion, c->kernel_said);
		}
}

static int by_student(const void *a, const void *b)
{
	return strcmp(a, b);
}

int report(const struct catalog *c, char *const files[], int nfiles, const char *html)
{
	struct table *t = calloc(1, sizeof(*t));
	int rc = 0;

	if (!t || !(t->cells = calloc(MAX_STUDENTS * EX_MAX, sizeof(struct cell))))
		die("calloc");
	for (int e = 0; e < c->n; e++) {
		exercise_index(t, c->ex[e].name);
		t->chapters[e] = c->ex[e].chapter;
	}
	for (int i = 0; i < nfiles && rc == 0; i++)
		rc = read_results(t, files[i]);
	if (rc == 0) {
		/* Rows by student name: sort the names, and move the rows with them. */
		struct table *sorted = calloc(1, sizeof(*sorted));

		if (!sorted ||
		    !(sorted->cells = calloc(MAX_STUDENTS * EX_MAX, sizeof(struct cell))))
			die("calloc");
		memcpy(sorted->names, t->names, sizeof(t->names));
		memcpy(sorted->chapters, t->chapters, sizeof(t->chapters));
		sorted->nnames = t->nnames;
		memcpy(sorted->students, t->students, sizeof(t->students));
		sorted->nstudents = t->nstudents;
		qsort(sorted->students, (size_t)t->nstudents, sizeof(t->students[0]), by_student);
		for (int s = 0; s < t->nstudents; s++)
			memcpy(&sorted->cells[student_index(sorted, t->students[s]) * EX_MAX],
			       &t->cells[s * EX_MAX], EX_MAX * sizeof(struct cell));
		print_table(sorted);
		if (html)
			rc = write_html(sorted, html);
		if (html && rc == 0)
			printf("\nhtml: %s\n", html);
		free(sorted->cells);
		free(sorted);
	}
	free(t->cells);
	free(t);
	return rc;
}

int cmd_report(const struct catalog *c, int argc, char **argv)
{
	static const struct option opts[] = {{"html", required_argument, NULL, 'o'},
					     {NULL, 0, NULL, 0}};
	const char *html = NULL;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
		if (opt == 'o')
			html = optarg;
		else
			bad_option(opt, argv);
	}
	if (optind >= argc)
		usage_error("report needs the students' result files (exercise check --json)");
	return report(c, argv + optind, argc - optind, html);
}
