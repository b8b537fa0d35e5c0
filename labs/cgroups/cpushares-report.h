/* cpushares-report.h - cpushares' stage tables (text with bars, or JSON) and its result line.
 *
 * A part of bin/cpushares (labs/cgroups/build.mk): cpushares.c measures, this part prints what
 * it measured against the theory, and keeps the worst difference for the result.
 */
#ifndef CSECLAB_CPUSHARES_REPORT_H
#define CSECLAB_CPUSHARES_REPORT_H

#include "cgroup.h"

#include <stdbool.h>

/* One stage's window on the pinned CPU, in microseconds: its whole time (/proc/stat), what the
 * tree used (our cgroups), what the CPU idled, and what everything else used. */
struct cpu_window {
	long long total, tree, idle, others;
};

/* Start the report (JSON: its opening); TOP is the tree's cgroup, for the text's hints. */
void report_open(bool json, enum cg_version version, long cpu, double window, const char *top);
/* Stage STAGE, after node ADDED's burner joined: the CPU's window and every running group's
 * expected and measured share (nodes[]). */
void report_stage(int stage, int added, const struct cpu_window *w);
/* Close the stage; after stage 1, what ADDED's lone burner took of the CPU time other work left
 * (ALONE percent, at least ALONE_MIN expected). */
void report_stage_end(int stage, int added, double alone, double alone_min);
/* The result: true when every group was within TOLERANCE points of the theory and stage 1's
 * burner took at least ALONE_MIN percent. */
bool report_result(double alone, double alone_min, double tolerance);

#endif
