/* term.h - terminal output: colour only on a tty and never with NO_COLOR; simple bar charts. */
#ifndef CSECLAB_TERM_H
#define CSECLAB_TERM_H

#include <stdbool.h>
#include <stdio.h>

/* True when F is a terminal and the NO_COLOR environment variable is unset or empty. */
bool term_color(FILE *f);
/* ANSI sequences, or "" when F gets no colour. */
const char *term_green(FILE *f);
const char *term_red(FILE *f);
const char *term_bold(FILE *f);
const char *term_reset(FILE *f);
/* A bar of WIDTH cells filled to FRACTION (0..1) with '#', the rest '.', e.g. "####......". */
void term_bar(FILE *f, double fraction, int width);

#endif
