/* doctor-labs.h - one verdict per lab: "can run", or "will skip" with what is missing.
 * A part of doctor (doctor.c lists them all). */
#ifndef CSECLAB_DOCTOR_LABS_H
#define CSECLAB_DOCTOR_LABS_H

/* One "lab:" line (a "lab NAME" member in JSON) per lab. */
void report_labs(void);
/* --check lab:NAME: exit 0 when every feature of NAME's row is there, 1 with the first missing
 * one ("needs FEATURE: reason"), 2 when NAME is no lab. */
int check_lab(const char *name);
/* --features: one "lab:NAME" line per lab, with the features its row needs. */
void list_labs(void);

#endif
