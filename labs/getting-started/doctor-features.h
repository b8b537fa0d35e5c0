/* doctor-features.h - the feature keywords of `doctor --check`, each with its probe.
 * A part of doctor (doctor.c lists them all). */
#ifndef CSECLAB_DOCTOR_FEATURES_H
#define CSECLAB_DOCTOR_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct feature {
	const char *name;  /* the keyword: "pidns", "cgroup-pids" */
	const char *since; /* the kernel (or tool) that added it */
	/* The probe: true when the machine has it; WHY says so, or says what is missing. */
	bool (*probe)(const struct feature *f, char *why, size_t len);
	const char *arg; /* the probe's parameter */
	bool done, ok;
	char why[320];
};

/* In a probe: fill WHY and answer yes (WHY) or no (NOT). */
#define WHY(...) (snprintf(why, len, __VA_ARGS__), true)
#define NOT(...) (snprintf(why, len, __VA_ARGS__), false)

#define FEATURE(n, s, p, a)                                                                        \
	{                                                                                          \
		.name = n, .since = s, .probe = p, .arg = a                                        \
	}

/* The feature of keyword NAME, or NULL when NAME is none. */
struct feature *feature(const char *name);
/* Run F's probe once; later calls return the first answer. */
const struct feature *probe(struct feature *f);
/* --features: each keyword with the kernel that added it. */
void list_features(void);
/* One "feature:" line (a "feature NAME" member in JSON) per keyword. */
void report_features(void);

#endif
