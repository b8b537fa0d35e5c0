/* filter-stack.h - filter's stacking part: two filters, and the kernel keeps the strictest. */
#ifndef FILTER_STACK_H
#define FILTER_STACK_H

#include <stdint.h>

/* Load filter 1: everything allowed but close, which gets ACT (NAME: its name, for the output). */
void stack_first_filter(uint32_t act, const char *name);

/* The action the kernel applies to a call for which filter 1 returns FIRST and the newer filter
 * 2 returns SECOND. */
uint32_t stack_winner(uint32_t first, uint32_t second);

#endif
