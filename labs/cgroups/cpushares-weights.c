/* cpushares-weights.c - shares -> weight: this lab's scale and runc's formulas (see the .h). */
#include "cpushares-weights.h"
#include "cpushares-tree.h"

#include <math.h>
#include <stdio.h>

long shares_to_weight(long shares)
{
	long w = (shares * 100 + 512) / 1024;

	return w < 1 ? 1 : w > 10000 ? 10000 : w;
}

/* runc and systemd have used other formulas: the same shares give another split under each. */
static long runc_linear(long shares) /* runc before 1.3: maps 2..262144 onto 1..10000 */
{
	return 1 + ((shares - 2) * 9999) / 262142;
}

static long runc_quadratic(long shares) /* runc 1.3+: 2->1, 1024->100, 262144->10000 */
{
	double l = log2((double)shares);

	if (shares <= 2)
		return 1;
	return (long)ceil(pow(10, (l * l + 125 * l) / 612.0 - 7.0 / 34.0));
}

void print_conversions(bool json)
{
	if (json)
		return;
	printf("\nshares -> cgroup v2 cpu.weight (this lab: shares*100/1024, exact ratios):\n");
	printf("  %-12s %8s %8s %12s %14s\n", "group", "shares", "lab", "runc<1.3", "runc>=1.3");
	for (int i = 0; i < nnodes; i++)
		printf("  %-12s %8ld %8ld %12ld %14ld\n", nodes[i].name, nodes[i].shares,
		       shares_to_weight(nodes[i].shares), runc_linear(nodes[i].shares),
		       runc_quadratic(nodes[i].shares));
	printf("  (runc<1.3 maps 2..262144 linearly onto 1..10000, so 1024 becomes 39 and the\n"
	       "   default no longer matches; runc>=1.3 keeps 1024 -> 100 but bends the curve, so\n"
	       "   2048 is not twice 1024. Same shares, different CPU split under each.)\n");
}
