#!/usr/bin/env bats
# lanes: docker
# Exercises graded under a real Docker engine (tests/exercises.bash): the Docker chapter's own
# (nonroot, nochmod) both ways: the starter fails at hint 1, the reference solution passes, each
# known-wrong answer fails with its assertion; and apiserver-profile's grader with
# CSECLAB_EX_DOCKER=1, which loads the hand-in with `docker run --security-opt seccomp=...` in
# cseclab/labs instead of seccomp-run. No container or image named cseclab-ex-* is left.
load ../helpers
load docker
load ../exercises

setup_file() { docker_setup_file labs; }
teardown_file() { docker_teardown_file; }

# Nothing of a grader's is left in the engine: containers, images, anonymous volumes.
assert_no_exercise_leftovers() {
	local left
	left=$(docker ps -a --filter name='^cseclab-ex-' --format '{{.Names}}')
	[ -z "$left" ] || fail "containers left behind: $left"
	left=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep '^cseclab-ex-' || true)
	[ -z "$left" ] || fail "images left behind: $left"
}

@test "exercise apiserver-profile under docker run: the solution passes" {
	requires root netns seccomp-filter
	CSECLAB_EX_DOCKER=1 ex_solution_passes apiserver-profile
	assert_no_exercise_leftovers
}

@test "exercise apiserver-profile under docker run: known-wrong answers are refused" {
	requires root netns seccomp-filter
	CSECLAB_EX_DOCKER=1 ex_wrong_refused apiserver-profile
	assert_no_exercise_leftovers
}

@test "exercise nonroot: the starter fails at hint 1" {
	requires root docker
	ex_starter_fails nonroot
	assert_no_exercise_leftovers
}

@test "exercise nonroot: the solution passes" {
	requires root docker
	ex_solution_passes nonroot
	assert_no_exercise_leftovers
}

@test "exercise nonroot: known-wrong answers are refused" {
	requires root docker
	ex_wrong_refused nonroot
	assert_no_exercise_leftovers
}

@test "exercise nochmod: the starter fails at hint 1" {
	requires root docker
	ex_starter_fails nochmod
	assert_no_exercise_leftovers
}

@test "exercise nochmod: the solution passes" {
	requires root docker
	ex_solution_passes nochmod
	assert_no_exercise_leftovers
}

@test "exercise nochmod: known-wrong answers are refused" {
	requires root docker
	ex_wrong_refused nochmod
	assert_no_exercise_leftovers
}
