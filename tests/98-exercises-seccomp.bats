#!/usr/bin/env bats
# lanes: host
# The seccomp chapter's exercises, graded both ways (tests/exercises.bash): the starter fails at
# hint 1, the reference solution passes, each known-wrong answer fails with its assertion.
# profile-repair confines apiserver with an allow-list: skipped under make sanitize.
load helpers
load exercises

@test "exercise sandbox: the starter fails at hint 1" {
	requires seccomp-filter
	ex_starter_fails sandbox
}

@test "exercise sandbox: the solution passes" {
	requires seccomp-filter
	ex_solution_passes sandbox
}

@test "exercise sandbox: known-wrong answers are refused" {
	requires seccomp-filter
	ex_wrong_refused sandbox
}

@test "exercise apiserver-profile: the starter fails at hint 1" {
	requires root netns seccomp-filter
	ex_starter_fails apiserver-profile
}

@test "exercise apiserver-profile: the solution passes" {
	requires root netns seccomp-filter
	ex_solution_passes apiserver-profile
}

@test "exercise apiserver-profile: known-wrong answers are refused" {
	requires root netns seccomp-filter
	ex_wrong_refused apiserver-profile
}

@test "exercise profile-repair: the starter fails at hint 1" {
	requires root netns seccomp-filter
	ex_starter_fails profile-repair
}

@test "exercise profile-repair: the solution passes" {
	requires root netns seccomp-filter
	skip_if_sanitized apiserver
	ex_solution_passes profile-repair
}

@test "exercise profile-repair: known-wrong answers are refused" {
	requires root netns seccomp-filter
	skip_if_sanitized apiserver
	ex_wrong_refused profile-repair
}
