#!/usr/bin/env bash
# contain.sh DIR - known-wrong: the bomb is held, and so is the service: 5 leaves no room for 10.
set -eu
dir=$1

if [ -e "$dir/cgroup.subtree_control" ]; then
	echo +pids >"$dir/cgroup.subtree_control" # v2
fi
mkdir "$dir/bomb"
echo 5 >"$dir/bomb/pids.max"
