/* exercise-grade.h - run an exercise's grader and read its verdict (bin/exercise). */
#ifndef EXERCISE_GRADE_H
#define EXERCISE_GRADE_H

#include "exercise-catalog.h"

#include <jansson.h>
#include <stdio.h>

#define GRADE_OKS 32

/* A grader's verdict, from its lines (README: Conventions, "Exercises") and exit status. */
struct grade {
	int status;	    /* 0 passed, 1 failed, 77 cannot run here, 2 the grader broke */
	const char *result; /* "passed", "failed", "cannot-run", "error" */
	char assertion[400];
	char kernel_said[400];
	int hint;	  /* the hint the FAIL line points to (0: none) */
	char reason[400]; /* cannot-run: why; error: what happened */
	int npassed;
	char passed[GRADE_OKS][200];
	long long when; /* seconds since the epoch */
};

/* Run EX's grader on the hand-in in DIR, at most 300 s. With ECHO, its lines go to stdout as
 * they come. The result is G (G->status also returned). */
int grade_run(const struct catalog *c, const struct exercise *ex, const char *dir, bool echo,
	      struct grade *g);
/* The human summary after the grader's lines: result, what the kernel said, the next hint. */
void grade_summary(FILE *f, const struct exercise *ex, const struct grade *g, int next_hint);
/* The machine form (exercise check --json), one object. */
json_t *grade_json(const struct exercise *ex, const struct grade *g, const char *student);

/* Grade DIR now, then again whenever a file under it is saved, until SIGINT or SIGTERM.
 * ONE_GRADE is called after each grading (it prints and records). Returns the last status. */
int grade_watch(const char *dir, int (*one_grade)(void *arg), void *arg);

#endif
