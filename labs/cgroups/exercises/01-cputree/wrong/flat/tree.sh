#!/usr/bin/env bash
# tree.sh DIR - known-wrong: the percentages written to the parent's group, not to each child:
# the children keep the default weight, and a flat 1:1:1 split.
set -eu
dir=$1

if [ -e "$dir/cgroup.subtree_control" ]; then # v2
	echo +cpu >"$dir/cgroup.subtree_control"
	file=cpu.weight
else # v1
	file=cpu.shares
fi
for g in batch db web; do
	mkdir "$dir/$g"
done
echo 1000 >"$dir/$file" # "the tree gets 1000, split as the groups need"
