/* exercise-grade.c - run an exercise's grader, read its lines, re-grade on save (see the header).
 * A part of bin/exercise (labs/getting-started/exercise.c). The grader is the exercise's `check`
 * script; its stdout lines are the verdict: "ok: A", "FAIL: A (kernel said: W)", "hint: see
 * hints.md #N", "cannot run here: R"; its exit status 0, 1 or 77 says the same in one number.
 */
#define _GNU_SOURCE
#include "exercise-grade.h"
#include "cseclab.h"
#include "term.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GRADER_TIMEOUT_MS (300 * 1000)

static void read_line(struct grade *g, char *line)
{
	const char *said = " (kernel said: ";
	char *p;

	if (strncmp(line, "ok: ", 4) == 0) {
		if (g->npassed < GRADE_OKS)
			snprintf(g->passed[g->npassed++], sizeof(g->passed[0]), "%s", line + 4);
	} else if (strncmp(line, "FAIL: ", 6) == 0 && !*g->assertion) {
		/* "FAIL: ASSERTION (kernel said: WHAT)": the last " (kernel said: " splits them. */
		p = strstr(line + 6, said);
		for (char *q = p; q; q = strstr(q + 1, said))
			p = q;
		if (p && line[strlen(line) - 1] == ')') {
			line[strlen(line) - 1] = '\0';
			snprintf(g->kernel_said, sizeof(g->kernel_said), "%s", p + strlen(said));
			*p = '\0';
		}
		snprintf(g->assertion, sizeof(g->assertion), "%s", line + 6);
	} else if (strncmp(line, "hint: see hints.md #", 20) == 0 && !g->hint) {
		g->hint = atoi(line + 20);
	} else if (strncmp(line, "cannot run here: ", 17) == 0) {
		snprintf(g->reason, sizeof(g->reason), "%s", line + 17);
	}
}

static void echo_line(const char *line)
{
	if (strncmp(line, "ok: ", 4) == 0)
		printf("%sok%s: %s\n", term_green(stdout), term_reset(stdout), line + 4);
	else if (strncmp(line, "FAIL: ", 6) == 0)
		printf("%sFAIL%s: %s\n", term_red(stdout), term_reset(stdout), line + 6);
	else
		printf("%s\n", line);
	fflush(stdout);
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Read the grader's stdout line by line until EOF or the deadline. */
static void read_grader(int fd, struct grade *g, bool echo, long long deadline)
{
	char buf[8192], *nl;
	size_t have = 0;
	ssize_t n;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long long left = deadline - now_ms();

		if (left <= 0 || poll(&p, 1, (int)(left > INT_MAX ? INT_MAX : left)) == 0) {
			snprintf(g->reason, sizeof(g->reason), "the grader ran out of time (%d s)",
				 GRADER_TIMEOUT_MS / 1000);
			return;
		}
		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		while ((nl = strchr(buf, '\n')) || have == sizeof(buf) - 1) {
			size_t len = nl ? (size_t)(nl - buf) : have;

			buf[len] = '\0';
			if (echo)
				echo_line(buf);
			read_line(g, buf);
			len += nl != NULL;
			memmove(buf, buf + len, have - len + 1);
			have -= len;
		}
	}
	if (have) {
		if (echo)
			echo_line(buf);
		read_line(g, buf);
	}
}

int grade_run(const struct catalog *c, const struct exercise *ex, const char *dir, bool echo,
	      struct grade *g)
{
	char check[PATH_MAX + 8], bindir[PATH_MAX], exe[PATH_MAX];
	int out[2], wstatus = 0;
	ssize_t n;
	pid_t pid;

	memset(g, 0, sizeof(*g));
	g->when = (long long)time(NULL);
	snprintf(check, sizeof(check), "%s/check", ex->dir);
	/* The grader uses the programs next to this one (its bin/), unless told otherwise. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	snprintf(bindir, sizeof(bindir), "%s", exe);
	if (strrchr(bindir, '/'))
		*strrchr(bindir, '/') = '\0';
	if (pipe2(out, O_CLOEXEC))
		die("pipe2");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		setenv("CSECLAB_ROOT", c->root, 1);
		if (!getenv("CSECLAB_BIN") && *bindir)
			setenv("CSECLAB_BIN", bindir, 1);
		execl(check, check, dir, (char *)NULL);
		fprintf(stderr, "%s: execl %s: %s\n", progname, check, strerror(errno));
		_exit(126);
	}
	close(out[1]);
	read_grader(out[0], g, echo, now_ms() + GRADER_TIMEOUT_MS);
	close(out[0]);
	if (*g->reason && !strncmp(g->reason, "the grader ran out", 18)) {
		kill(pid, SIGTERM); /* its EXIT trap cleans up */
		for (int i = 0; i < 50 && waitpid(pid, &wstatus, WNOHANG) == 0; i++)
			usleep(100 * 1000);
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && g->npassed && !*g->assertion)
		g->status = 0, g->result = "passed";
	else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 1 && *g->assertion)
		g->status = 1, g->result = "failed";
	else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 77)
		g->status = 77, g->result = "cannot-run";
	else {
		g->status = 2, g->result = "error";
		if (!*g->reason) {
			if (WIFSIGNALED(wstatus))
				snprintf(g->reason, sizeof(g->reason),
					 "the grader was killed by %s",
					 strsignal(WTERMSIG(wstatus)));
			else
				snprintf(g->reason, sizeof(g->reason),
					 "the grader exited %d without a verdict line",
					 WEXITSTATUS(wstatus));
		}
	}
	return g->status;
}

void grade_summary(FILE *f, const struct exercise *ex, const struct grade *g, int next_hint)
{
	char title[200], *text = NULL;

	switch (g->status) {
	case 0:
		fprintf(f, "%sresult: passed%s (%d assertions hold)\n", term_green(f),
			term_reset(f), g->npassed);
		break;
	case 1:
		fprintf(f, "%sresult: failed%s: %s\n", term_red(f), term_reset(f), g->assertion);
		fprintf(f, "kernel said: %s\n", *g->kernel_said ? g->kernel_said : "(nothing)");
		if (next_hint > 0 && hint_get(ex, next_hint, title, sizeof(title), &text) == 0) {
			fprintf(f, "next hint: #%d %s (exercise hint %s)\n", next_hint, title,
				ex->name);
			free(text);
		} else {
			fprintf(f, "next hint: none left; compare with %s/solution/\n", ex->dir);
		}
		break;
	case 77:
		fprintf(f, "result: cannot run here: %s\n", g->reason);
		break;
	default:
		fprintf(f, "result: error: %s\n", g->reason);
	}
}

json_t *grade_json(const struct exercise *ex, const struct grade *g, const char *student)
{
	json_t *o = json_object(), *passed = json_array();
	char when[32], host[256] = "";
	struct tm tm;
	time_t t = (time_t)g->when;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	gethostname(host, sizeof(host) - 1);
	for (int i = 0; i < g->npassed; i++)
		json_array_append_new(passed, json_string(g->passed[i]));
	json_object_set_new(o, "format", json_string("cseclab-exercise-result/1"));
	json_object_set_new(o, "student", json_string(student));
	json_object_set_new(o, "exercise", json_string(ex->name));
	json_object_set_new(o, "chapter", json_string(ex->chapter));
	json_object_set_new(o, "result", json_string(g->result));
	json_object_set_new(o, "assertion",
			    *g->assertion ? json_string(g->assertion) : json_null());
	json_object_set_new(o, "kernel_said",
			    *g->kernel_said ? json_string(g->kernel_said) : json_null());
	json_object_set_new(o, "hint", g->hint ? json_integer(g->hint) : json_null());
	json_object_set_new(o, "reason", *g->reason ? json_string(g->reason) : json_null());
	json_object_set_new(o, "passed", passed);
	json_object_set_new(o, "when", json_string(when));
	json_object_set_new(o, "host", json_string(host));
	return o;
}

/* ---- watch: inotify on the hand-in's folder ------------------------------------------------- */

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* Editors' temporary files (.x.swp, x~, vim's 4913) are not a save. */
static bool relevant(const struct inotify_event *e)
{
	size_t len = e->len ? strlen(e->name) : 0;

	if (!len)
		return true;
	if (e->name[0] == '.' || e->name[len - 1] == '~' || strcmp(e->name, "4913") == 0)
		return false;
	return true;
}

/* True when a relevant event arrives within TIMEOUT_MS; drains what is queued. */
static bool wait_event(int fd, int timeout_ms)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd p = {.fd = fd, .events = POLLIN};
	bool any = false;
	ssize_t n;

	if (poll(&p, 1, timeout_ms) <= 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	for (char *q = buf; n > 0 && q < buf + n;) {
		const struct inotify_event *e = (const struct inotify_event *)q;

		any |= relevant(e);
		q += sizeof(*e) + e->len;
	}
	return any;
}

static void watch_tree(int fd, const char *dir, int depth)
{
	uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM;
	char sub[PATH_MAX];
	struct dirent *d;
	DIR *dp;

	if (inotify_add_watch(fd, dir, mask) < 0)
		die("inotify_add_watch");
	if (depth == 0 || !(dp = opendir(dir)))
		return;
	while ((d = readdir(dp)))
		if (d->d_type == DT_DIR && d->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%.3000s/%s", dir, d->d_name);
			watch_tree(fd, sub, depth - 1);
		}
	closedir(dp);
}

int grade_watch(const char *dir, int (*one_grade)(void *arg), void *arg)
{
	struct sigaction sa = {.sa_handler = on_stop};
	int fd, status;

	fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (fd < 0)
		die("inotify_init1");
	watch_tree(fd, dir, 3);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	status = one_grade(arg);
	while (!stop) {
		printf("-- watching %s: save a file to grade again (Ctrl-C stops)\n", dir);
		fflush(stdout);
		while (!stop && !wait_event(fd, 1000))
			;
		/* An editor saves in several steps: wait until it is quiet for 200 ms. */
		while (!stop && wait_event(fd, 200))
			;
		if (!stop)
			status = one_grade(arg);
	}
	close(fd);
	return status;
}
