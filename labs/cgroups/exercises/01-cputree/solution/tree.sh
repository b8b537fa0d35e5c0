#!/usr/bin/env bash
# tree.sh DIR - make DIR/batch, DIR/db and DIR/web so that, when each runs a busy process on
# one CPU, they get 20%, 30% and 50% of it: a reference answer.
#
# A weight is relative to the siblings': each group gets its weight over their sum. cgroup v1
# calls it cpu.shares (default 1024), v2 cpu.weight (1 to 10000, default 100), and on v2 the
# parent must hand the cpu controller down first (cgroup.subtree_control).
set -eu
dir=$1

if [ -e "$dir/cgroup.subtree_control" ]; then # v2
	echo +cpu >"$dir/cgroup.subtree_control"
	file=cpu.weight weights=(20 30 50)
else # v1
	file=cpu.shares weights=(200 300 500)
fi
groups=(batch db web)
for i in 0 1 2; do
	mkdir "$dir/${groups[i]}"
	echo "${weights[i]}" >"$dir/${groups[i]}/$file"
done
