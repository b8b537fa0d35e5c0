/* cpushares-measure.h - cpushares --measure: how the cpu controller splits one CPU between
 * cgroups someone else made (a student, a grader), measured per burner.
 *
 * A part of bin/cpushares (labs/cgroups/build.mk). It creates and removes no cgroup: only its
 * burners, one in each group given, which it kills and reaps before it returns (and on SIGINT,
 * SIGTERM, SIGHUP).
 */
#ifndef CSECLAB_CPUSHARES_MEASURE_H
#define CSECLAB_CPUSHARES_MEASURE_H

#include <stdbool.h>
#include <sys/types.h>

/* Measure the N cgroup directories PATHS for SECONDS: print "group: PATH cpu.shares N" (v1) or
 * "... cpu.weight N" (v2) as read back, then "measured: PATH PCT" for each, in the order given,
 * PCT being the burner's percent of all the burners' CPU time. Returns the exit status: 0; exits
 * 2 when a PATH is not a cgroup directory of the cpu controller, 77 when not root or there is no
 * cpu controller. */
int measure_groups(char *const paths[], int n, double seconds);

/* The burner both modes use: fork a busy process (with STRESS_NG, `stress-ng --cpu 1`) that dies
 * with us and waits for a byte on GATE[0]: the caller moves it into its cgroups first. */
pid_t fork_burner(int gate[2], bool stress_ng);
/* Sleep S seconds, whatever signal handler interrupts it. */
void sleep_s(double s);

#endif
