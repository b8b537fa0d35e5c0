#!/usr/bin/env bats
# lanes: host
# The capabilities chapter's exercises, graded both ways (tests/exercises.bash): the starter
# fails at hint 1, the reference solution passes, each known-wrong answer fails with its
# assertion. The graders work in a fresh network namespace of their own (port 80, the sysctl).
load helpers
load exercises

@test "exercise bind80: the starter fails at hint 1" {
	requires root netns
	ex_starter_fails bind80
}

@test "exercise bind80: the solution passes" {
	requires root netns
	ex_solution_passes bind80
}

@test "exercise bind80: known-wrong answers are refused" {
	requires root netns
	ex_wrong_refused bind80
}

@test "exercise filecaps: the starter fails at hint 1" {
	requires root netns filecaps
	ex_starter_fails filecaps
}

@test "exercise filecaps: the solution passes" {
	requires root netns filecaps
	ex_solution_passes filecaps
}

@test "exercise filecaps: known-wrong answers are refused" {
	requires root netns filecaps
	ex_wrong_refused filecaps
}

@test "exercise boundingset: the starter fails at hint 1" {
	requires root netns
	ex_starter_fails boundingset
}

@test "exercise boundingset: the solution passes" {
	requires root netns
	ex_solution_passes boundingset
}

@test "exercise boundingset: known-wrong answers are refused" {
	requires root netns
	ex_wrong_refused boundingset
}
