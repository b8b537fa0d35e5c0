/* cpushares-report.c - cpushares' stage tables and result line (see the .h). */
#include "cpushares-report.h"
#include "cpushares-tree.h"

#include <math.h>
#include <stdio.h>

#define BAR_WIDTH 40

static bool json;
static enum cg_version version;
static long cpu;
static const char *top;
static double worst;
static int worst_stage, worst_node;

void report_open(bool as_json, enum cg_version v, long cpu_nr, double window, const char *top_name)
{
	json = as_json;
	version = v;
	cpu = cpu_nr;
	top = top_name;
	if (json)
		printf("{\"cgroup\": %d, \"cpu\": %ld, \"window\": %.1f, \"stages\": [", version,
		       cpu, window);
}

/* "#" up to the measured share, "|" where the theory says it should end. */
static void bar(double measured, double expected)
{
	int fill = (int)(measured / 100 * BAR_WIDTH + 0.5);
	int mark = (int)(expected / 100 * BAR_WIDTH + 0.5);

	for (int c = 0; c <= BAR_WIDTH; c++)
		putchar(c == mark ? '|' : c < fill ? '#' : '.');
}

void report_stage(int stage, int added, const struct cpu_window *w)
{
	if (!json) {
		printf("\nstage %d: + burner in %s (pid %d)\n", stage, nodes[added].path,
		       nodes[added].pid);
		printf("cpu %ld: window %.0f ms, tree %.0f ms, "
		       "other work %.0f ms, idle %.0f ms\n",
		       cpu, w->total / 1e3, w->tree / 1e3, w->others / 1e3, w->idle / 1e3);
		if (w->others * 10 > w->total)
			printf("  (other work competes with %s: %s)\n", top,
			       version == CG_V1 ? "on v1 a busy task in the root cgroup "
						  "weighs 1024, as much as CG1"
						: "other cgroups by their cpu.weight");
	} else {
		printf("%s{\"stage\": %d, \"window_ms\": %.0f, \"tree_ms\": %.0f, "
		       "\"others_ms\": %.0f, \"idle_ms\": %.0f, \"groups\": [",
		       stage > 1 ? ", " : "", stage, w->total / 1e3, w->tree / 1e3, w->others / 1e3,
		       w->idle / 1e3);
	}
	for (int j = 0, k = 0; j < nnodes; j++) {
		double err = fabs(nodes[j].measured - nodes[j].expected);

		if (nodes[j].pid == 0)
			continue;
		if (err > worst) {
			worst = err;
			worst_stage = stage;
			worst_node = j;
		}
		if (json) {
			printf("%s{\"name\": \"%s\", \"shares\": %ld, \"weight\": %ld, "
			       "\"expected\": %.1f, \"measured\": %.1f, \"of_cpu\": %.1f}",
			       k++ ? ", " : "", nodes[j].name, nodes[j].shares, nodes[j].weight,
			       nodes[j].expected, nodes[j].measured, nodes[j].of_cpu);
			continue;
		}
		/* the bar first, so that it lines up; the numbers after it, unpadded */
		printf("  %-5s ", nodes[j].name);
		bar(nodes[j].measured, nodes[j].expected);
		printf("  shares %ld  expected %.1f %%  measured %.1f %% of the tree, %.1f "
		       "%% "
		       "of the CPU\n",
		       nodes[j].shares, nodes[j].expected, nodes[j].measured, nodes[j].of_cpu);
	}
}

void report_stage_end(int stage, int added, double alone, double alone_min)
{
	if (json)
		printf("]}");
	else if (stage == 1)
		printf("stage 1: %s took %.1f %% of the CPU time other work left (at least "
		       "%.0f %% expected)\n",
		       nodes[added].name, alone, alone_min);
}

bool report_result(double alone, double alone_min, double tolerance)
{
	bool ok = worst <= tolerance && alone >= alone_min;

	if (json) {
		printf("], \"alone\": %.1f, \"worst\": %.1f, \"tolerance\": %.1f, \"ok\": %s}\n",
		       alone, worst, tolerance, ok ? "true" : "false");
	} else if (alone < alone_min) {
		printf("\nresult: stage 1's burner took only %.1f %% of the CPU time other work "
		       "left, less than %.0f %%\n",
		       alone, alone_min);
	} else if (worst <= tolerance) {
		printf("\nresult: within %.1f points of theory (worst %.1f, stage %d %s)\n",
		       tolerance, worst, worst_stage, nodes[worst_node].name);
	} else {
		printf("\nresult: off by %.1f points (stage %d %s), more than %.1f: is CPU %ld "
		       "busy with real-time or other pinned work?\n",
		       worst, worst_stage, nodes[worst_node].name, tolerance, cpu);
	}
	return ok;
}
