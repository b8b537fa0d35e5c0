/* doctor-read.h - the small readers of /proc, /sys and $PATH that doctor's facts and probes share.
 * A part of doctor (doctor.c lists them all); it uses no other part. */
#ifndef CSECLAB_DOCTOR_READ_H
#define CSECLAB_DOCTOR_READ_H

#include <stdbool.h>

/* The first line of a file, without the newline; "" when unreadable. The last 8 answers stay
 * valid (a ring of buffers), so a caller may hold a few at once. */
const char *line_of(const char *path);
bool exists(const char *path);
/* The value of "KEY:\t..." in /proc/self/status ("" when absent). */
const char *status_field(const char *key);
/* Is TOOL an executable in one of $PATH's directories? */
bool on_path(const char *tool);

#endif
