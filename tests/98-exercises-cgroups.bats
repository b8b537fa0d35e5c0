#!/usr/bin/env bats
# lanes: host vm
# The cgroups chapter's exercises, graded both ways (tests/exercises.bash): the starter fails at
# hint 1, the reference solution passes, each known-wrong answer fails with its assertion. The
# solutions run in the VM lane too: there the learner's script meets cgroup v2.
load helpers
load exercises

# cputree's grader measures CPU shares (cpushares --measure): its tests are tagged measures-cpu.

# bats test_tags=measures-cpu
@test "exercise cputree: the starter fails at hint 1" {
	requires root cgroup-cpu
	ex_starter_fails cputree
}

# bats test_tags=vm,measures-cpu
@test "exercise cputree: the solution passes" {
	requires root cgroup-cpu
	ex_solution_passes cputree
}

# bats test_tags=measures-cpu
@test "exercise cputree: known-wrong answers are refused" {
	requires root cgroup-cpu
	ex_wrong_refused cputree
}

@test "exercise pidsmax: the starter fails at hint 1" {
	requires root cgroup-pids
	ex_starter_fails pidsmax
}

# bats test_tags=vm
@test "exercise pidsmax: the solution passes" {
	requires root cgroup-pids
	ex_solution_passes pidsmax
}

@test "exercise pidsmax: known-wrong answers are refused" {
	requires root cgroup-pids
	ex_wrong_refused pidsmax
}
