#!/usr/bin/env bash
# contain.sh DIR - known-wrong: a per-user process limit (RLIMIT_NPROC) instead of pids.max.
#
# `ulimit -u` limits the processes of this script and its children, not those of a program
# someone else starts in the group: the bomb never sees it.
set -eu
dir=$1

if [ -e "$dir/cgroup.subtree_control" ]; then
	echo +pids >"$dir/cgroup.subtree_control" # v2
fi
ulimit -u 20
mkdir "$dir/bomb"
