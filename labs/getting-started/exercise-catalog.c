/* exercise-catalog.c - the exercises of the suite and the learner's progress (see the header).
 * A part of bin/exercise (labs/getting-started/exercise.c).
 */
#define _GNU_SOURCE
#include "exercise-catalog.h"
#include "cseclab.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The chapters in course order (scripts/build-guide's), and where their exercises live. */
static const struct chapter {
	const char *dir;
	const char *title;
} chapters[] = {
	{"labs/getting-started", "Getting started"},
	{"labs/namespaces", "Namespaces"},
	{"labs/cgroups", "Cgroups"},
	{"labs/privileges", "Privileges"},
	{"labs/capabilities", "Capabilities"},
	{"labs/seccomp", "Seccomp"},
	{"labs/lsm", "LSMs"},
	{"labs/runtime", "Runtime"},
	{"docker", "Docker"},
};

static bool is_root(const char *dir)
{
	char p[PATH_MAX + 32];

	snprintf(p, sizeof(p), "%.4000s/labs/getting-started", dir);
	return access(p, F_OK) == 0;
}

static int find_root(char *root, size_t len)
{
	const char *env = getenv("CSECLAB_ROOT");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		if (!is_root(env)) {
			warnf("CSECLAB_ROOT=%s is not the cseclab folder (no labs/ in it)", env);
			return -1;
		}
		snprintf(root, len, "%s", env);
		return 0;
	}
	/* bin/exercise: the folder above bin/. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (int up = 0; up < 2; up++)
			*strrchr(exe, '/') = '\0';
		if (*exe && is_root(exe)) {
			snprintf(root, len, "%s", exe);
			return 0;
		}
	}
	if (getcwd(exe, sizeof(exe)) && is_root(exe)) {
		snprintf(root, len, "%s", exe);
		return 0;
	}
	warnf("cannot find the cseclab folder: set CSECLAB_ROOT to it");
	return -1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* NN-name: two digits, a dash, a name of letters, digits and dashes. */
static bool exercise_dirname(const char *d)
{
	if (strlen(d) < 4 || d[0] < '0' || d[0] > '9' || d[1] < '0' || d[1] > '9' || d[2] != '-')
		return false;
	return strspn(d + 3, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(d + 3) &&
	       strlen(d + 3) < EX_NAME_MAX;
}

static void read_title(struct exercise *e)
{
	char p[PATH_MAX + 16], buf[512];
	size_t k;

	snprintf(p, sizeof(p), "%s/task.md", e->dir);
	if (read_file(p, buf, sizeof(buf)) < 0 || strncmp(buf, "# ", 2) != 0) {
		snprintf(e->title, sizeof(e->title), "(no task.md)");
		return;
	}
	k = strcspn(buf + 2, "\n");
	snprintf(e->title, sizeof(e->title), "%.*s", (int)k, buf + 2);
}

int catalog_load(struct catalog *c)
{
	c->n = 0;
	if (find_root(c->root, sizeof(c->root)))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(chapters); i++) {
		char dir[PATH_MAX];
		struct dirent **list;
		int n;

		snprintf(dir, sizeof(dir), "%.3000s/%s/exercises", c->root, chapters[i].dir);
		n = scandir(dir, &list, NULL, by_name);
		if (n < 0)
			continue; /* a chapter without exercises */
		for (int j = 0; j < n; j++) {
			struct exercise *e = &c->ex[c->n];

			if (exercise_dirname(list[j]->d_name) && c->n < EX_MAX) {
				snprintf(e->name, sizeof(e->name), "%s", list[j]->d_name + 3);
				e->chapter = chapters[i].title;
				snprintf(e->dir, sizeof(e->dir), "%.*s/%s",
					 (int)(sizeof(e->dir) / 2), dir, list[j]->d_name);
				read_title(e);
				c->n++;
			}
			free(list[j]);
		}
		free(list);
	}
	return 0;
}

const struct exercise *catalog_find(const struct catalog *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->ex[i].name, name) == 0)
			return &c->ex[i];
	return NULL;
}

/* ---- hints.md: "## N. Title" sections ----------------------------------------------------- */

static char *read_all(const char *path)
{
	char *buf = malloc(65536);

	if (buf && read_file(path, buf, 65536) < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The start of hint N's heading line in TEXT, or NULL. */
static const char *hint_heading(const char *text, int n)
{
	char want[32];
	int len = snprintf(want, sizeof(want), "## %d. ", n);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, want, (size_t)len) == 0)
			return p;
	return NULL;
}

int hints_count(const struct exercise *ex)
{
	char path[PATH_MAX + 16], *text;
	int n = 0;

	snprintf(path, sizeof(path), "%s/hints.md", ex->dir);
	text = read_all(path);
	if (!text)
		return 0;
	while (hint_heading(text, n + 1))
		n++;
	free(text);
	return n;
}

int hint_get(const struct exercise *ex, int n, char *title, size_t tlen, char **out)
{
	char path[PATH_MAX + 16], *text;
	const char *h, *body, *end;
	int hl = snprintf(path, 0, "## %d. ", n);

	snprintf(path, sizeof(path), "%s/hints.md", ex->dir);
	text = read_all(path);
	if (!text)
		return -1;
	h = hint_heading(text, n);
	if (!h) {
		free(text);
		return -1;
	}
	body = h + strcspn(h, "\n");
	snprintf(title, tlen, "%.*s", (int)(body - h - hl), h + hl);
	while (*body == '\n')
		body++;
	end = strstr(body, "\n## ");
	if (!end)
		end = body + strlen(body);
	while (end > body && end[-1] == '\n')
		end--;
	*out = strndup(body, (size_t)(end - body));
	free(text);
	return *out ? 0 : -1;
}

void work_default(char *out, size_t len)
{
	const char *w = getenv("CSECLAB_WORK"), *home = getenv("HOME");
	struct passwd *pw;

	if (w && *w) {
		snprintf(out, len, "%s", w);
		return;
	}
	if (!home || !*home) {
		pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : "/tmp";
	}
	snprintf(out, len, "%s/cseclab-work", home);
}

/* ---- the learner's progress ------------------------------------------------------------------ */

#define STATE_FILE ".cseclab-exercises"

int state_load(struct state *s, const char *work)
{
	char path[PATH_MAX + 32], line[1024];
	FILE *f;

	memset(s, 0, sizeof(*s));
	snprintf(s->work, sizeof(s->work), "%s", work);
	snprintf(path, sizeof(path), "%s/" STATE_FILE, work);
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		warn_errno(path);
		return -1;
	}
	/* "current NAME", then "NAME<TAB>STATUS<TAB>SHOWN<TAB>NEXT<TAB>WHEN<TAB>DETAIL" lines. */
	while (fgets(line, sizeof(line), f)) {
		struct progress *p;
		char *field[6], *save = NULL, *tok;
		int k = 0;

		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "current ", 8) == 0) {
			snprintf(s->current, sizeof(s->current), "%.*s", EX_NAME_MAX - 1, line + 8);
			continue;
		}
		for (tok = strtok_r(line, "\t", &save); tok && k < 6;
		     tok = k < 5 ? strtok_r(NULL, "\t", &save) : strtok_r(NULL, "", &save))
			field[k++] = tok;
		if (k < 5 || !(p = state_get(s, field[0], true)))
			continue; /* a line we cannot read is dropped, not fatal */
		snprintf(p->status, sizeof(p->status), "%s", field[1]);
		p->hints_shown = (unsigned)strtoul(field[2], NULL, 10);
		p->hint_next = atoi(field[3]);
		p->when = strtoll(field[4], NULL, 10);
		snprintf(p->detail, sizeof(p->detail), "%s", k > 5 ? field[5] : "");
	}
	fclose(f);
	return 0;
}

int state_save(const struct state *s)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 40];
	FILE *f;

	snprintf(path, sizeof(path), "%s/" STATE_FILE, s->work);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f) {
		warn_errno(tmp);
		return -1;
	}
	if (*s->current)
		fprintf(f, "current %s\n", s->current);
	for (int i = 0; i < s->n; i++) {
		const struct progress *p = &s->p[i];

		fprintf(f, "%s\t%s\t%u\t%d\t%lld\t", p->name, p->status, p->hints_shown,
			p->hint_next, p->when);
		for (const char *d = p->detail; *d; d++) /* one line per exercise */
			fputc(*d == '\n' || *d == '\t' ? ' ' : *d, f);
		fputc('\n', f);
	}
	if (fclose(f) || rename(tmp, path)) {
		warn_errno(path);
		return -1;
	}
	return 0;
}

struct progress *state_get(struct state *s, const char *name, bool create)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->p[i].name, name) == 0)
			return &s->p[i];
	if (!create || s->n == EX_MAX)
		return NULL;
	memset(&s->p[s->n], 0, sizeof(s->p[s->n]));
	snprintf(s->p[s->n].name, sizeof(s->p[s->n].name), "%s", name);
	return &s->p[s->n++];
}

/* ---- files ----------------------------------------------------------------------------------- */

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in, out, rc = 0;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	close(in);
	if (close(out))
		rc = -1;
	return rc;
}

int copy_tree(const char *from, const char *to)
{
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int rc = 0;

	if (mkdir(to, 0755) && errno != EEXIST)
		return -1;
	dir = opendir(from);
	if (!dir)
		return -1;
	while (rc == 0 && (d = readdir(dir))) {
		char a[PATH_MAX], b[PATH_MAX];

		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		snprintf(a, sizeof(a), "%.2000s/%s", from, d->d_name);
		snprintf(b, sizeof(b), "%.2000s/%s", to, d->d_name);
		if (lstat(a, &st))
			rc = -1;
		else if (S_ISDIR(st.st_mode))
			rc = copy_tree(a, b);
		else if (S_ISREG(st.st_mode))
			rc = copy_file(a, b, st.st_mode);
	}
	closedir(dir);
	return rc;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

int remove_tree(const char *path)
{
	if (access(path, F_OK) && errno == ENOENT)
		return 0;
	return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
