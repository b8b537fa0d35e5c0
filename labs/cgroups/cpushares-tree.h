/* cpushares-tree.h - the groups of cpushares' tree, and the --tree spec that names them.
 *
 * A part of bin/cpushares (labs/cgroups/build.mk). cpushares.c builds the cgroups, starts the
 * burners and measures; this part only holds the list of groups and reads it from the option.
 */
#ifndef CSECLAB_CPUSHARES_TREE_H
#define CSECLAB_CPUSHARES_TREE_H

#include "cgroup.h"

#include <stdbool.h>
#include <sys/types.h>

#define MAX_NODES    12
#define DEFAULT_TREE "CG1=1024+,CG1/CG2=2048+,CG1/CG3=512,CG1/CG3/CG4=1024+,CG1/CG3/CG5=1024+"

struct node {
	char name[32];	/* last path component: "CG4" */
	char path[128]; /* from the top: "CG1/CG3/CG4" */
	int parent;	/* index in nodes[], -1 for a child of the top cgroup */
	long shares;	/* as the course sets it (v1 cpu.shares) */
	bool burner;	/* gets a busy process at some stage */
	struct cg cg;	/* its cgroup */
	struct cg self; /* v2 only: the leaf that holds its burner when it also has children */
	bool has_self;
	long weight;	  /* read back: cpu.shares (v1) or cpu.weight (v2) */
	long self_weight; /* the weight its own burner competes with (see theory()) */
	pid_t pid;	  /* its burner, 0 before its stage */
	long long usage;  /* own CPU time at the last sample, microseconds */
	double expected;  /* percent of the tree's CPU, this stage */
	double measured;  /* percent of the tree's CPU, this stage */
	double of_cpu;	  /* percent of the pinned CPU's time, this stage */
	long long delta;  /* own CPU time over this stage's window, microseconds */
};

/* The groups, parents before their children, in the order the spec gives them. */
extern struct node nodes[MAX_NODES];
extern int nnodes;

/* Fill nodes[] from SPEC, "PATH=SHARES[+],..." ('+': the group gets a burner; burners start
 * in the order given). Exit 2 with the reason when SPEC is not such a list. */
void parse_tree(const char *spec);
/* Does node I have child groups? */
bool has_children(int i);

#endif
