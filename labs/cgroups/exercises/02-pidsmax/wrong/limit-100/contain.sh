#!/usr/bin/env bash
# contain.sh DIR - known-wrong: a limit, but far above the 25 the task asks for.
set -eu
dir=$1

if [ -e "$dir/cgroup.subtree_control" ]; then
	echo +pids >"$dir/cgroup.subtree_control" # v2
fi
mkdir "$dir/bomb"
echo 100 >"$dir/bomb/pids.max"
