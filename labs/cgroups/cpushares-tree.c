/* cpushares-tree.c - the --tree spec of cpushares: "CG1=1024+,CG1/CG2=2048+,..." (see the .h). */
#define _GNU_SOURCE
#include "cpushares-tree.h"
#include "cseclab.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

struct node nodes[MAX_NODES];
int nnodes;

static int find_node(const char *path)
{
	for (int i = 0; i < nnodes; i++)
		if (strcmp(nodes[i].path, path) == 0)
			return i;
	return -1;
}

void parse_tree(const char *spec)
{
	char buf[1024], *save = NULL;

	if (strlen(spec) >= sizeof(buf))
		usage_error("--tree: too long");
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		struct node *n = &nodes[nnodes];
		char *eq = strchr(tok, '='), *slash, *plus;

		if (nnodes == MAX_NODES)
			usage_error("--tree: at most %d groups", MAX_NODES);
		if (!eq)
			usage_error("--tree: '%s' is not PATH=SHARES[+]", tok);
		*eq = '\0';
		plus = strchr(eq + 1, '+');
		n->burner = plus != NULL;
		if (plus && plus[1] != '\0')
			usage_error("--tree: '%s': '+' must end the entry", tok);
		if (plus)
			*plus = '\0';
		/* v1 accepts 2..262144 for cpu.shares. */
		if (parse_long(eq + 1, 2, 262144, &n->shares) < 0)
			usage_error("--tree: shares of %s: '%s' is not a number in 2..262144", tok,
				    eq + 1);
		if (strlen(tok) == 0 || strlen(tok) >= sizeof(n->path))
			usage_error("--tree: bad group path '%s'", tok);
		slash = strrchr(tok, '/');
		if (strlen(slash ? slash + 1 : tok) >= sizeof(n->name))
			usage_error("--tree: group name in '%s' is too long", tok);
		strcpy(n->name, slash ? slash + 1 : tok);
		for (const char *c = n->name; *c; c++)
			if (!(isalnum((unsigned char)*c) || *c == '_' || *c == '-'))
				usage_error("--tree: group name '%s': use letters, digits, - and _",
					    n->name);
		if (!n->name[0] || strcmp(n->name, "self") == 0)
			usage_error("--tree: group name '%s' is empty or reserved", n->name);
		if (find_node(tok) >= 0)
			usage_error("--tree: %s given twice", tok);
		snprintf(n->path, sizeof(n->path), "%s", tok);
		n->parent = -1;
		if (slash) {
			*slash = '\0';
			n->parent = find_node(tok);
			if (n->parent < 0)
				usage_error("--tree: parent '%s' of %s must come before it", tok,
					    n->name);
		}
		nnodes++;
	}
	if (nnodes == 0)
		usage_error("--tree: no group given");
	for (int i = 0; i < nnodes; i++)
		if (nodes[i].burner)
			return;
	usage_error("--tree: no group has a burner ('+')");
}

bool has_children(int i)
{
	for (int j = 0; j < nnodes; j++)
		if (nodes[j].parent == i)
			return true;
	return false;
}
