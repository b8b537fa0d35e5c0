#!/usr/bin/env bats
# lanes: host
# The privileges chapter's exercises, graded both ways (tests/exercises.bash): the starter fails
# at hint 1, the reference solution passes, each known-wrong answer fails with its assertion.
load helpers
load exercises

@test "exercise keepcap: the starter fails at hint 1" {
	requires root netns
	ex_starter_fails keepcap
}

@test "exercise keepcap: the solution passes" {
	requires root netns
	ex_solution_passes keepcap
}

@test "exercise keepcap: known-wrong answers are refused" {
	requires root netns
	ex_wrong_refused keepcap
}

@test "exercise entrypoint: the starter fails at hint 1" {
	requires root netns
	ex_starter_fails entrypoint
}

@test "exercise entrypoint: the solution passes" {
	requires root netns
	ex_solution_passes entrypoint
}

@test "exercise entrypoint: known-wrong answers are refused" {
	requires root netns
	ex_wrong_refused entrypoint
}
