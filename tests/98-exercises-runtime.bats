#!/usr/bin/env bats
# lanes: host
# The runtime chapter's exercises: the box levels 0 to 7 (labs/runtime/exercises/NN-boxK-*), each
# graded both ways (tests/exercises.bash): the starter fails at hint 1, the reference solution
# passes, each known-wrong answer fails with its assertion. Level K's starter is level K-1's
# solution with TODO comments, and nothing else.
load helpers
load exercises

@test "the box levels: each starter is the previous level's solution, plus comments" {
	local k prev d problems=()
	prev=
	for d in "$CSECLAB_ROOT"/labs/runtime/exercises/0[1-8]-box[0-7]-*; do
		if [ -n "$prev" ]; then
			# The code with every comment removed (gcc's preprocessor, directives kept).
			if ! diff <(gcc -fpreprocessed -dD -E -P "$prev/solution/box.c") \
				<(gcc -fpreprocessed -dD -E -P "$d/starter/box.c") >/dev/null; then
				problems+=("${d##*/}/starter/box.c is not ${prev##*/}/solution/box.c plus comments")
			fi
			grep -q 'TODO (level' "$d/starter/box.c" || problems+=("${d##*/}/starter/box.c has no TODO")
		fi
		prev=$d
		k=$((${k:--1} + 1))
	done
	[ "$k" -ge 7 ] || fail "only $((k + 1)) box levels found"
	[ ${#problems[@]} -eq 0 ] || fail "$(printf '%s\n' "${problems[@]}")"
}

@test "exercise box0-exec: the starter fails at hint 1" {
	requires root tool:busybox
	ex_starter_fails box0-exec
}

@test "exercise box0-exec: the solution passes" {
	requires root tool:busybox
	ex_solution_passes box0-exec
}

@test "exercise box0-exec: known-wrong answers are refused" {
	requires root tool:busybox
	ex_wrong_refused box0-exec
}

@test "exercise box1-ns: the starter fails at hint 1" {
	requires root pidns utsns mntns ipcns netns tool:busybox
	ex_starter_fails box1-ns
}

@test "exercise box1-ns: the solution passes" {
	requires root pidns utsns mntns ipcns netns tool:busybox
	ex_solution_passes box1-ns
}

@test "exercise box1-ns: known-wrong answers are refused" {
	requires root pidns utsns mntns ipcns netns tool:busybox
	ex_wrong_refused box1-ns
}

@test "exercise box2-pivot: the starter fails at hint 1" {
	requires root pidns utsns mntns ipcns netns tool:busybox
	ex_starter_fails box2-pivot
}

@test "exercise box2-pivot: the solution passes" {
	requires root pidns utsns mntns ipcns netns tool:busybox
	ex_solution_passes box2-pivot
}

@test "exercise box2-pivot: known-wrong answers are refused" {
	requires root pidns utsns mntns ipcns netns tool:busybox
	ex_wrong_refused box2-pivot
}

@test "exercise box3-proc-dev: the starter fails at hint 1" {
	requires root pidns utsns mntns ipcns netns tool:busybox
	ex_starter_fails box3-proc-dev
}

@test "exercise box3-proc-dev: the solution passes" {
	requires root pidns utsns mntns ipcns netns tool:busybox
	ex_solution_passes box3-proc-dev
}

@test "exercise box3-proc-dev: known-wrong answers are refused" {
	requires root pidns utsns mntns ipcns netns tool:busybox
	ex_wrong_refused box3-proc-dev
}

@test "exercise box4-cgroup: the starter fails at hint 1" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory
	ex_starter_fails box4-cgroup
}

@test "exercise box4-cgroup: the solution passes" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory
	ex_solution_passes box4-cgroup
}

@test "exercise box4-cgroup: known-wrong answers are refused" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory
	ex_wrong_refused box4-cgroup
}

@test "exercise box5-caps: the starter fails at hint 1" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory
	ex_starter_fails box5-caps
}

@test "exercise box5-caps: the solution passes" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory
	ex_solution_passes box5-caps
}

@test "exercise box5-caps: known-wrong answers are refused" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory
	ex_wrong_refused box5-caps
}

@test "exercise box6-seccomp: the starter fails at hint 1" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory seccomp-filter
	ex_starter_fails box6-seccomp
}

@test "exercise box6-seccomp: the solution passes" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory seccomp-filter
	ex_solution_passes box6-seccomp
}

@test "exercise box6-seccomp: known-wrong answers are refused" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory seccomp-filter
	ex_wrong_refused box6-seccomp
}

@test "exercise box7-readonly: the starter fails at hint 1" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory seccomp-filter
	ex_starter_fails box7-readonly
}

@test "exercise box7-readonly: the solution passes" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory seccomp-filter
	ex_solution_passes box7-readonly
}

@test "exercise box7-readonly: known-wrong answers are refused" {
	requires root pidns utsns mntns ipcns netns tool:busybox cgroup-pids cgroup-memory seccomp-filter
	ex_wrong_refused box7-readonly
}
