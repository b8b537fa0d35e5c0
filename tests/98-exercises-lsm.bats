#!/usr/bin/env bats
# lanes: host vm
# The LSM chapter's exercises, graded both ways (tests/exercises.bash): the starter fails at
# hint 1, the reference solution passes, each known-wrong answer fails with its assertion.
# jail (Landlock, C) needs a compiler: the host lane. aashadow (AppArmor) needs AppArmor: the
# VM lane (on the host, `requires apparmor` skips it with doctor's reason).
load helpers
load exercises

@test "exercise jail: the starter fails at hint 1" {
	requires root landlock tool:cc
	ex_starter_fails jail
}

@test "exercise jail: the solution passes" {
	requires root landlock tool:cc
	ex_solution_passes jail
}

@test "exercise jail: known-wrong answers are refused" {
	requires root landlock tool:cc
	ex_wrong_refused jail
}

# bats test_tags=vm
@test "exercise aashadow: the starter fails at hint 1" {
	requires root apparmor tool:apparmor_parser tool:aa-exec
	ex_starter_fails aashadow
}

# bats test_tags=vm
@test "exercise aashadow: the solution passes" {
	requires root apparmor tool:apparmor_parser tool:aa-exec
	ex_solution_passes aashadow
}

# bats test_tags=vm
@test "exercise aashadow: known-wrong answers are refused" {
	requires root apparmor tool:apparmor_parser tool:aa-exec
	ex_wrong_refused aashadow
}
