/* exercise.c - the learner's loop: list, start, check, hint, watch, reset an exercise.
 *
 * Mechanism: all of them: an exercise (labs/<topic>/exercises/NN-name/) asks for a program, a
 * profile or a capability set, and its grader (`check`) observes the kernel to decide.
 * What it does: `start` copies the starter into ~/cseclab-work/NAME, `check` grades it and
 * records the result, `list` shows progress per chapter, `hint` the next hint, `watch` grades on
 * every save (inotify), `reset` starts over, `report` makes a class's table (terminal, HTML).
 * Outcome: check exits 0 passed, 1 failed ("result: failed: ASSERTION", then the next hint),
 * 77 the grader cannot run here. Parts: exercise-catalog.c, exercise-grade.c, exercise-report.c.
 * Needs: what each exercise's task.md says (often root).
 * Read next: inotify(7), the chapter "Exercises" of LAB_GUIDE.md.
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "exercise-catalog.h"
#include "exercise-grade.h"
#include "exercise-report.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct catalog cat;
static struct state st;
static const char *student;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-w DIR] [--student NAME] COMMAND [ARG]...\n"
		"Exercises: write a program, a profile, a capability set; the kernel grades it.\n\n"
		"  list                 every exercise, chapter by chapter, with your progress\n"
		"  start NAME           copy NAME's starter to WORK/NAME and show the task\n"
		"  task NAME            show NAME's task again\n"
		"  check [--json] [--all] [NAME]\n"
		"                       grade NAME (default: the exercise of the current folder,\n"
		"                       else the last one started); --all: every one started;\n"
		"                       --json: the result in machine form (for report)\n"
		"  hint NAME [N]        the next hint (or hint N)\n"
		"  watch NAME           grade again on every save (Ctrl-C stops)\n"
		"  reset NAME           start over (your files move to WORK/NAME.bak)\n"
		"  report [--html FILE] RESULT.json...\n"
		"                       a class table from the students' check --json results\n\n"
		"  -w, --work DIR       the work folder (default $CSECLAB_WORK, else "
		"~/cseclab-work)\n"
		"  -s, --student NAME   the name in --json results (default $CSECLAB_STUDENT, "
		"else\n"
		"                       your user name)\n"
		"  -h, --help           this help\n\n"
		"Exit status: check: 0 passed, 1 failed, 77 cannot run here; 2 usage; 1 errors.\n",
		progname);
}

static const struct exercise *find_ex(const char *name)
{
	const struct exercise *ex = catalog_find(&cat, name);

	if (!ex)
		usage_error("no exercise named '%s' (exercise list shows them)", name);
	return ex;
}

static void ex_workdir(const struct exercise *ex, char *out, size_t len)
{
	snprintf(out, len, "%.3000s/%s", st.work, ex->name);
}

static void save_state(void)
{
	if (mkdir(st.work, 0755) && errno != EEXIST)
		die("mkdir work folder");
	if (state_save(&st))
		exit(EXIT_FAIL);
}

static void show_file(const char *dir, const char *file)
{
	char path[PATH_MAX + 32], buf[16384];

	snprintf(path, sizeof(path), "%.3000s/%s", dir, file);
	if (read_file(path, buf, sizeof(buf)) < 0)
		die(path);
	fputs(buf, stdout);
}

/* ---- list ---------------------------------------------------------------------------------- */

static int cmd_list(void)
{
	const char *chapter = NULL;
	int passed = 0, failed = 0, started = 0;

	for (int i = 0; i < cat.n; i++) {
		const struct exercise *ex = &cat.ex[i];
		const struct progress *p = state_get(&st, ex->name, false);
		const char *what = p && *p->status ? p->status : "-";

		if (chapter != ex->chapter) {
			int n = 0, ok = 0;

			for (int j = i; j < cat.n && cat.ex[j].chapter == ex->chapter; j++) {
				const struct progress *q = state_get(&st, cat.ex[j].name, false);

				n++;
				ok += q && !strcmp(q->status, "passed");
			}
			printf("%s%s (%d of %d passed)\n", chapter ? "\n" : "", ex->chapter, ok, n);
		}
		chapter = ex->chapter;
		printf("  %-18s %-11s %s\n", ex->name, what, ex->title);
		if (!strcmp(what, "failed"))
			printf("  %-18s %-11s last failure: %s\n", "", "", p->detail);
		passed += !strcmp(what, "passed");
		failed += !strcmp(what, "failed");
		started += strcmp(what, "-") && strcmp(what, "passed") && strcmp(what, "failed");
	}
	printf("\nprogress: %d of %d passed, %d failed, %d started, %d not started (work folder: "
	       "%s)\n",
	       passed, cat.n, failed, started, cat.n - passed - failed - started, st.work);
	return EXIT_OK;
}

/* ---- start, task, reset ----------------------------------------------------------------------- */

static void copy_starter(const struct exercise *ex, const char *dir)
{
	char starter[PATH_MAX + 16];

	snprintf(starter, sizeof(starter), "%s/starter", ex->dir);
	if (mkdir(st.work, 0755) && errno != EEXIST)
		die("mkdir work folder");
	if (copy_tree(starter, dir))
		die("copy the starter");
}

static void next_steps(const struct exercise *ex, const char *dir)
{
	printf("\nyour folder: %s\n"
	       "grade it:    exercise check %s   (make check EX=%s; exercise watch %s re-grades on "
	       "save)\n"
	       "stuck:       exercise hint %s\n",
	       dir, ex->name, ex->name, ex->name, ex->name);
}

static int cmd_start(const char *name, bool reset)
{
	const struct exercise *ex = find_ex(name);
	struct progress *p;
	char dir[PATH_MAX], bak[PATH_MAX + 8];

	ex_workdir(ex, dir, sizeof(dir));
	if (reset && access(dir, F_OK) == 0) {
		snprintf(bak, sizeof(bak), "%s.bak", dir);
		if (remove_tree(bak) || rename(dir, bak))
			die("move the old folder to NAME.bak");
		printf("%s: your files are in %s\n", ex->name, bak);
	}
	if (!reset && access(dir, F_OK) == 0) {
		printf("%s is already started in %s (exercise reset %s starts over)\n", ex->name,
		       dir, ex->name);
	} else {
		copy_starter(ex, dir);
		p = state_get(&st, ex->name, true);
		if (!p)
			dief("too many exercises in the state file");
		memset(p->status, 0, sizeof(p->status));
		snprintf(p->status, sizeof(p->status), "started");
		p->hints_shown = 0;
		p->hint_next = 0;
		p->when = (long long)time(NULL);
		*p->detail = '\0';
	}
	snprintf(st.current, sizeof(st.current), "%s", ex->name);
	save_state();
	if (!reset) {
		printf("\n");
		show_file(ex->dir, "task.md");
	}
	next_steps(ex, dir);
	return EXIT_OK;
}

/* ---- hint ------------------------------------------------------------------------------------ */

static int cmd_hint(const char *name, const char *nth)
{
	const struct exercise *ex = find_ex(name);
	struct progress *p = state_get(&st, ex->name, true);
	int total = hints_count(ex), n = 0;
	char title[200], *text;
	long want;

	if (!p)
		dief("too many exercises in the state file");
	if (nth) {
		if (parse_long(nth, 1, total, &want))
			usage_error("hint '%s': %s has hints 1 to %d", nth, ex->name, total);
		n = (int)want;
	} else if (p->hint_next > 0 && p->hint_next <= total &&
		   !(p->hints_shown & (1u << (p->hint_next - 1)))) {
		n = p->hint_next; /* the one the last check pointed to */
	} else {
		for (int i = 1; i <= total && !n; i++)
			if (!(p->hints_shown & (1u << (i - 1))))
				n = i;
	}
	if (!n) {
		printf("%s: no hint left (%d shown); compare with the reference answer in "
		       "%s/solution/\n",
		       ex->name, total, ex->dir);
		return EXIT_OK;
	}
	if (hint_get(ex, n, title, sizeof(title), &text))
		dief("%s/hints.md: no hint %d", ex->dir, n);
	printf("hint %d of %d: %s\n\n%s\n", n, total, title, text);
	free(text);
	if (n <= 32)
		p->hints_shown |= 1u << (n - 1);
	save_state();
	return EXIT_OK;
}

/* ---- check and watch ------------------------------------------------------------------------- */

/* The next hint to read after a failure: the grader's, else the first not shown yet. */
static int next_hint(const struct exercise *ex, const struct progress *p, int grader_hint)
{
	int total = hints_count(ex);

	if (grader_hint > 0 && grader_hint <= total)
		return grader_hint;
	for (int i = 1; i <= total; i++)
		if (!(p->hints_shown & (1u << (i - 1))))
			return i;
	return 0;
}

static int grade_one(const struct exercise *ex, bool json, json_t *all)
{
	struct progress *p = state_get(&st, ex->name, true);
	char dir[PATH_MAX];
	struct grade g;

	ex_workdir(ex, dir, sizeof(dir));
	if (access(dir, F_OK)) {
		if (json)
			warnf("%s is not started (exercise start %s)", ex->name, ex->name);
		else
			printf("%s is not started: exercise start %s\n", ex->name, ex->name);
		return EXIT_FAIL;
	}
	if (!json)
		printf("grading %s (%s)\n", ex->name, dir);
	grade_run(&cat, ex, dir, !json, &g);
	if (!p)
		dief("too many exercises in the state file");
	snprintf(p->status, sizeof(p->status), "%s", g.result);
	p->hint_next = g.status == 1 ? next_hint(ex, p, g.hint) : 0;
	p->when = g.when;
	snprintf(p->detail, sizeof(p->detail), "%s", g.status == 1 ? g.assertion : g.reason);
	save_state();
	if (json && all)
		json_array_append_new(all, grade_json(ex, &g, student));
	else if (json) {
		json_t *one = grade_json(ex, &g, student);

		json_dumpf(one, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(one);
	} else
		grade_summary(stdout, ex, &g, p->hint_next);
	fflush(stdout);
	return g.status == 2 ? EXIT_FAIL : g.status;
}

/* The exercise the learner is in: the current folder WORK/NAME[/...], else the last started. */
static const char *current_exercise(void)
{
	static char name[EX_NAME_MAX];
	char cwd[PATH_MAX];
	size_t len = strlen(st.work);

	if (getcwd(cwd, sizeof(cwd)) && strncmp(cwd, st.work, len) == 0 && cwd[len] == '/') {
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(cwd + len + 1, "/"),
			 cwd + len + 1);
		if (catalog_find(&cat, name))
			return name;
	}
	if (!*st.current)
		usage_error("which exercise? exercise check NAME (exercise list shows them)");
	return st.current;
}

static int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
					     {"all", no_argument, NULL, 'a'},
					     {NULL, 0, NULL, 0}};
	bool json = false, all = false;
	int c, rc = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'a':
			all = true;
			break;
		default:
			bad_option(c, argv);
		}
	}
	if (optind + 1 < argc || (all && optind < argc))
		usage_error("check takes one NAME at most (or --all)");
	if (!all)
		return grade_one(find_ex(optind < argc ? argv[optind] : current_exercise()), json,
				 NULL);

	json_t *results = json ? json_array() : NULL;
	int graded = 0;

	for (int i = 0; i < cat.n; i++) {
		const struct progress *p = state_get(&st, cat.ex[i].name, false);

		if (!p || !*p->status)
			continue;
		if (!json && graded)
			printf("\n");
		if (grade_one(&cat.ex[i], json, results) != EXIT_OK)
			rc = EXIT_FAIL;
		graded++;
	}
	if (json) {
		json_dumpf(results, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(results);
	} else if (!graded) {
		printf("no exercise started yet (exercise list, exercise start NAME)\n");
	}
	return rc;
}

static int watch_once(void *arg)
{
	return grade_one(arg, false, NULL);
}

static int cmd_watch(const char *name)
{
	const struct exercise *ex = find_ex(name);
	char dir[PATH_MAX];

	ex_workdir(ex, dir, sizeof(dir));
	if (access(dir, F_OK)) {
		printf("%s is not started: exercise start %s\n", ex->name, ex->name);
		return EXIT_FAIL;
	}
	snprintf(st.current, sizeof(st.current), "%s", ex->name);
	grade_watch(dir, watch_once, (void *)ex);
	return EXIT_OK;
}

/* ---- main ------------------------------------------------------------------------------------ */

static void need_args(int argc, int want, const char *cmd, const char *what)
{
	if (argc - 1 < want)
		usage_error("%s needs %s", cmd, what);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"work", required_argument, NULL, 'w'},
					     {"student", required_argument, NULL, 's'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	char work[PATH_MAX], real[PATH_MAX], given[PATH_MAX];
	const char *cmd;
	struct passwd *pw;
	int c;

	prog_init(argv[0]);
	opterr = 0;
	work_default(work, sizeof(work));
	student = getenv("CSECLAB_STUDENT");
	while ((c = getopt_long(argc, argv, "+:w:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			snprintf(work, sizeof(work), "%s", optarg);
			break;
		case 's':
			student = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			bad_option(c, argv);
		}
	}
	if (optind >= argc)
		usage_error("no command (list, start, check, hint, watch, reset, report)");
	if (!student || !*student) {
		pw = getpwuid(getuid());
		student = pw ? pw->pw_name : "unknown";
	}
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	if (catalog_load(&cat))
		return EXIT_FAIL;
	/* Absolute, so that a grader run from elsewhere finds the hand-in. */
	snprintf(given, sizeof(given), "%s", work);
	if (realpath(given, real))
		snprintf(work, sizeof(work), "%s", real);
	else if (given[0] != '/' && getcwd(real, sizeof(real)))
		snprintf(work, sizeof(work), "%.2000s/%.2000s", real, given);
	if (state_load(&st, work))
		return EXIT_FAIL;

	if (!strcmp(cmd, "list"))
		return cmd_list();
	if (!strcmp(cmd, "start") || !strcmp(cmd, "reset")) {
		need_args(argc, 1, cmd, "an exercise NAME");
		return cmd_start(argv[1], !strcmp(cmd, "reset"));
	}
	if (!strcmp(cmd, "task")) {
		need_args(argc, 1, cmd, "an exercise NAME");
		show_file(find_ex(argv[1])->dir, "task.md");
		return EXIT_OK;
	}
	if (!strcmp(cmd, "check"))
		return cmd_check(argc, argv);
	if (!strcmp(cmd, "hint")) {
		need_args(argc, 1, cmd, "an exercise NAME");
		return cmd_hint(argv[1], argc > 2 ? argv[2] : NULL);
	}
	if (!strcmp(cmd, "watch")) {
		need_args(argc, 1, cmd, "an exercise NAME");
		return cmd_watch(argv[1]);
	}
	if (!strcmp(cmd, "report"))
		return cmd_report(&cat, argc, argv);
	usage_error("unknown command '%s'", cmd);
}
