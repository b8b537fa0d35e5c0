/* doctor-labs.h - one verdict per lab: "can run", or "will skip" with what is missing.
 * A part of doctor (doctor.c lists them all). */
#ifndef CSECLAB_DOCTOR_LABS_H
#define CSECLAB_DOCTOR_LABS_H

/* One "lab:" line (a "lab NAME" member in JSON) per lab. */
void report_labs(void);

#endif
