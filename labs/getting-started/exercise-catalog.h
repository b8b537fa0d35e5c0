/* exercise-catalog.h - the exercises of the suite and the learner's progress (bin/exercise). */
#ifndef EXERCISE_CATALOG_H
#define EXERCISE_CATALOG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define EX_MAX	    128
#define EX_NAME_MAX 64

/* One exercise: labs/<topic>/exercises/NN-<name>/ (docker/exercises/ for the Docker chapter). */
struct exercise {
	char name[EX_NAME_MAX];
	const char *chapter; /* the chapter's title, "Namespaces" */
	char dir[PATH_MAX];
	char title[160]; /* task.md's first line, without "# " */
};

struct catalog {
	char root[PATH_MAX]; /* the cseclab folder */
	struct exercise ex[EX_MAX];
	int n; /* in course order: chapter by chapter, then NN */
};

/* Find the cseclab folder (CSECLAB_ROOT, else bin/.. of this program, else the current folder)
 * and every exercise in it. 0, or -1 with a message on stderr. */
int catalog_load(struct catalog *c);
const struct exercise *catalog_find(const struct catalog *c, const char *name);

/* hints.md: the number of "## N. Title" sections; hint N's title and text (malloc'd). */
int hints_count(const struct exercise *ex);
int hint_get(const struct exercise *ex, int n, char *title, size_t tlen, char **text);

/* The learner's progress, one line per exercise in WORK/.cseclab-exercises. */
struct progress {
	char name[EX_NAME_MAX];
	char status[16];      /* started, passed, failed, cannot-run */
	unsigned hints_shown; /* bit N-1: hint N was shown */
	int hint_next;	      /* the hint the last check pointed to (0: none) */
	long long when;	      /* time of the last change (seconds since the epoch) */
	char detail[400];     /* failed: the assertion; cannot-run: the reason */
};

struct state {
	char work[PATH_MAX]; /* the work folder: exercise NAME lives in WORK/NAME */
	char current[EX_NAME_MAX];
	struct progress p[EX_MAX];
	int n;
};

/* The work folder: $CSECLAB_WORK, else ~/cseclab-work. */
void work_default(char *out, size_t len);
/* Read WORK/.cseclab-exercises (a missing file is an empty state). 0, or -1 with a message. */
int state_load(struct state *s, const char *work);
/* Write it back (a temporary file renamed over it). 0, or -1 with a message. */
int state_save(const struct state *s);
/* NAME's progress; CREATE adds an empty entry. NULL when absent (or full). */
struct progress *state_get(struct state *s, const char *name, bool create);

/* Copy the folder FROM into TO (created; files keep their modes). 0, or -1 with errno set. */
int copy_tree(const char *from, const char *to);
/* Remove a tree (rm -rf). 0, or -1 with errno set. */
int remove_tree(const char *path);

#endif
