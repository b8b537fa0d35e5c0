/* minibox-timing.c - the cost of each stage of a run, in a page both processes write.
 *
 * A part of minibox (minibox-timing.h). The child's stages happen in another process, which
 * then becomes the container's program: it writes its times into a MAP_SHARED page that the
 * parent, which mapped it before clone(2), reads at the end.
 */
#define _GNU_SOURCE
#include "minibox-timing.h"
#include "cseclab.h"

#include <sys/mman.h>
#include <time.h>

static const char *const names[ST_COUNT] = {
	"config",   "cgroup", "clone",	 "userns", "mounts", "pivot_root",
	"finalize", "caps",   "seccomp", "exec",   "run",    "teardown",
};

static struct {
	double start[ST_COUNT], ms[ST_COUNT];
} * t;

void timing_init(void)
{
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED)
		die("mmap shared timing page");
}

double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void stage_start(enum stage s)
{
	t->start[s] = now_ms();
}

void stage_stop(enum stage s)
{
	stage_add(s, now_ms() - t->start[s]);
}

void stage_add(enum stage s, double ms)
{
	t->ms[s] += ms;
}

double stage_started(enum stage s)
{
	return t->start[s];
}

void timing_print(FILE *f)
{
	double total = 0;

	for (int s = 0; s < ST_COUNT; s++) {
		fprintf(f, "%s: timing: %-10s %.3f ms\n", progname, names[s], t->ms[s]);
		total += t->ms[s];
	}
	fprintf(f, "%s: timing: %-10s %.3f ms\n", progname, "total", total);
}
