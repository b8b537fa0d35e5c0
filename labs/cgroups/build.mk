# cgroups labs: cpushares prints runc's shares->weight formulas (log2, pow, ceil).
LIBS_cpushares := -lm
LIBS_cpuquota := -lm
# cpushares.c is the story; its parts: the --tree spec, shares->weight formulas, the stage
# tables, and --measure (groups someone else made).
PARTS_cpushares := labs/cgroups/cpushares-tree.c labs/cgroups/cpushares-weights.c \
	labs/cgroups/cpushares-report.c labs/cgroups/cpushares-measure.c
