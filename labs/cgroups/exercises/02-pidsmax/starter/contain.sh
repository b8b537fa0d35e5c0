#!/usr/bin/env bash
# contain.sh DIR - make the group DIR/bomb, where a fork bomb is held to 25 processes or fewer
# while a service of 10 processes still fits. Your answer (task.md).
#
# DIR is a cgroup directory of the pids controller that the grader made (cgroup v1 or v2: see
# task.md). The grader runs `bash contain.sh DIR` as root, then starts its fork bomb in DIR/bomb.
set -eu
dir=$1

mkdir "$dir/bomb"
# TODO: the limit.
