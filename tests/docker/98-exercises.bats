#!/usr/bin/env bats
# lanes: docker
# Exercises graded under a real Docker engine (tests/exercises.bash): apiserver-profile's grader
# with CSECLAB_EX_DOCKER=1 loads the hand-in with `docker run --security-opt seccomp=...` in
# cseclab/labs instead of seccomp-run: the solution passes there too, and the known-wrong
# answers fail with the same assertions.
load ../helpers
load docker
load ../exercises

setup_file() {
	docker_setup_file labs
	requires root netns seccomp-filter
}
teardown_file() { docker_teardown_file; }

@test "exercise apiserver-profile under docker run: the solution passes" {
	CSECLAB_EX_DOCKER=1 ex_solution_passes apiserver-profile
}

@test "exercise apiserver-profile under docker run: known-wrong answers are refused" {
	CSECLAB_EX_DOCKER=1 ex_wrong_refused apiserver-profile
	assert_no_containers
}
