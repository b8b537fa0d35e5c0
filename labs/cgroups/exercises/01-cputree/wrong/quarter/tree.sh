#!/usr/bin/env bash
# tree.sh DIR - make DIR/batch, DIR/db and DIR/web so that, when each runs a busy process on
# one CPU, they get 20%, 30% and 50% of it. Known-wrong: 25/25/50.
#
# "batch and db are the small ones": the same weight for both, which is not 20 and 30.
set -eu
dir=$1

if [ -e "$dir/cgroup.subtree_control" ]; then # v2
	echo +cpu >"$dir/cgroup.subtree_control"
	file=cpu.weight weights=(25 25 50)
else # v1
	file=cpu.shares weights=(256 256 512)
fi
groups=(batch db web)
for i in 0 1 2; do
	mkdir "$dir/${groups[i]}"
	echo "${weights[i]}" >"$dir/${groups[i]}/$file"
done
