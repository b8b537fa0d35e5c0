#!/usr/bin/env bash
# tree.sh DIR - make DIR/batch, DIR/db and DIR/web so that, when each runs a busy process on
# one CPU, they get 20%, 30% and 50% of it. Your answer (task.md).
#
# DIR is a cgroup directory of the cpu controller that the grader made (cgroup v1 or v2: see
# task.md). The grader runs `bash tree.sh DIR` as root.
set -eu
dir=$1

for g in batch db web; do
	mkdir "$dir/$g"
done
# TODO: the weights.
