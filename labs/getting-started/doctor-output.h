/* doctor-output.h - how doctor prints: "key: value" lines under "# section" titles, or JSON.
 * A part of doctor (doctor.c lists them all). */
#ifndef CSECLAB_DOCTOR_OUTPUT_H
#define CSECLAB_DOCTOR_OUTPUT_H

#include <stdbool.h>

/* --json: every fact becomes a member of one JSON object, sections are left out. */
extern bool output_json;

/* "KEY: VALUE" (or "KEY": "VALUE" in JSON). */
void fact(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "# TITLE", bold on a terminal (nothing in JSON). */
void section(const char *title);
/* The JSON object's opening and closing lines (nothing without --json). */
void report_begin(void);
void report_end(void);

#endif
