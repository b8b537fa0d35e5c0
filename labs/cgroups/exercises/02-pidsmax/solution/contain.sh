#!/usr/bin/env bash
# contain.sh DIR - make the group DIR/bomb, where a fork bomb is held to 25 processes or fewer
# while a service of 10 processes still fits: a reference answer.
#
# pids.max counts every task of the group (the first process too, and threads): 20 leaves room
# for the service of 10 and stops the bomb well under 25. On cgroup v2 a child's pids.max exists
# only once its parent hands the controller down (cgroup.subtree_control); v1 needs nothing.
set -eu
dir=$1

if [ -e "$dir/cgroup.subtree_control" ]; then
	echo +pids >"$dir/cgroup.subtree_control" # v2
fi
mkdir "$dir/bomb"
echo 20 >"$dir/bomb/pids.max"
