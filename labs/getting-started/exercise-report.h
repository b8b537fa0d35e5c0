/* exercise-report.h - a class's results as one table (exercise report). */
#ifndef EXERCISE_REPORT_H
#define EXERCISE_REPORT_H

#include "exercise-catalog.h"

/* Read the students' `exercise check --json` results from FILES (each: one object, an array, or
 * one object per line), print the class table on stdout and, with HTML, write it as one
 * self-contained page there. Exit status: 0, 1 on an unreadable file, 2 on a malformed one. */
int report(const struct catalog *c, char *const files[], int nfiles, const char *html);
/* `exercise report [--html FILE] FILE...`: ARGV[0] is "report". */
int cmd_report(const struct catalog *c, int argc, char **argv);

#endif
