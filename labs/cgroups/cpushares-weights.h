/* cpushares-weights.h - from v1 cpu.shares to v2 cpu.weight: this lab's scale and runc's.
 *
 * A part of bin/cpushares (labs/cgroups/build.mk).
 */
#ifndef CSECLAB_CPUSHARES_WEIGHTS_H
#define CSECLAB_CPUSHARES_WEIGHTS_H

#include <stdbool.h>

/* v2's cpu.weight (1..10000, default 100) replaces v1's cpu.shares (2..262144, default 1024).
 * This lab scales so that the default maps to the default and the ratios stay exact
 * (1024:2048:512 -> 100:200:50). */
long shares_to_weight(long shares);
/* The table of the tree's shares under this lab's scale and runc's two formulas (nothing with
 * JSON: the table is for a reader). */
void print_conversions(bool json);

#endif
