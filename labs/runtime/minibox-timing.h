/* minibox-timing.h - what each stage of a run costs (minibox --timings). */
#ifndef MINIBOX_TIMING_H
#define MINIBOX_TIMING_H

#include <stdio.h>

/* In the order a run goes through them; parent and child both record into one shared page. */
enum stage {
	ST_CONFIG,   /* read and check config.json (parent) */
	ST_CGROUP,   /* make the cgroup, write the limits, join it (parent) */
	ST_CLONE,    /* clone(2) with the namespaces, until the child runs its first line */
	ST_USERNS,   /* write the ID maps, wait for the go (parent and child) */
	ST_MOUNTS,   /* rootfs bind, the mounts, /dev (child) */
	ST_PIVOT,    /* pivot_root and detach of the old root (child) */
	ST_FINALIZE, /* hostname, read-only root, readonlyPaths, maskedPaths (child) */
	ST_CAPS,     /* rlimits, user and groups, the five capability sets (child) */
	ST_SECCOMP,  /* compile (parent) and load (child) the seccomp filter */
	ST_EXEC,     /* execve(2) until the parent sees it succeed */
	ST_RUN,	     /* the container's process, until it exits */
	ST_TEARDOWN, /* kill what is left, remove the cgroup */
	ST_COUNT
};

/* Map the shared page: first thing, before any stage starts. */
void timing_init(void);
/* The wall clock in ms (CLOCK_REALTIME: a time namespace does not move it, so the parent and a
 * child with clock offsets read the same clock). */
double now_ms(void);
/* Start stage S now, or add the time since its start to it. */
void stage_start(enum stage s);
void stage_stop(enum stage s);
/* The time since stage S started, added to stage S, measured from a start set elsewhere. */
void stage_add(enum stage s, double ms);
double stage_started(enum stage s);
/* "minibox: timing: clone 0.210 ms" for each stage, then the total. */
void timing_print(FILE *f);

#endif
