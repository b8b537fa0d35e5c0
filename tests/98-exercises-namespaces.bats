#!/usr/bin/env bats
# lanes: host
# The namespaces chapter's exercises, graded both ways (tests/exercises.bash): the starter fails
# at hint 1, the reference solution passes, each known-wrong answer fails with its assertion.
load helpers
load exercises

@test "exercise container: the starter fails at hint 1" {
	requires root pidns utsns mntns tool:busybox
	ex_starter_fails container
}

@test "exercise container: the solution passes" {
	requires root pidns utsns mntns tool:busybox
	ex_solution_passes container
}

@test "exercise container: known-wrong answers are refused" {
	requires root pidns utsns mntns tool:busybox
	ex_wrong_refused container
}

@test "exercise mq-setns: the starter fails at hint 1" {
	requires root ipcns mqueue
	ex_starter_fails mq-setns
}

@test "exercise mq-setns: the solution passes" {
	requires root ipcns mqueue
	ex_solution_passes mq-setns
}

@test "exercise mq-setns: known-wrong answers are refused" {
	requires root ipcns mqueue
	ex_wrong_refused mq-setns
}
