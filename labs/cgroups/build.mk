# cgroups labs: cpushares prints runc's shares->weight formulas (log2, pow, ceil).
LIBS_cpushares := -lm
LIBS_cpuquota := -lm
