#!/usr/bin/env bats
# lanes: host
# Every demo of the course (../shared/COURSE-DEMOS.md, items 1-107) is reproduced by a named
# test or waived with a reason (tests/course-map/*.tsv), no two tests of a lane share a
# description, and `make coverage-course` reports per lane what the last run said: here on
# TAP results written for the purpose (a pass, a failure with bats' comment lines, a skip with
# its reason, a lane that could not run, a lane that stopped early, a lane that never ran).
load helpers

setup() {
	RES=$(mktemp -d /tmp/cseclab-coursemap.XXXXXX)
}

teardown() {
	rm -rf "$RES"
}

@test "every course demo is mapped to an existing test or a waiver with its reason" {
	run "$CSECLAB_ROOT/scripts/course-map" check
	assert_success
	assert_output --partial "descriptions unique in every lane"
}

@test "course-map check: two tests of one lane with the same description are reported" {
	# A copy of the map and the tests, with one description repeated in another file of the lane.
	mkdir -p "$RES/tree/scripts"
	cp "$CSECLAB_ROOT/scripts/course-map" "$RES/tree/scripts/"
	cp -r "$CSECLAB_ROOT/tests" "$RES/tree/"
	run -0 "$RES/tree/scripts/course-map" check
	printf '\n@test "tour: a default container gets new pid, net, mnt, uts and ipc namespaces; user and time are the host'"'"'s" {\n\ttrue\n}\n' \
		>>"$RES/tree/tests/docker/00-engine.bats"
	run -1 "$RES/tree/scripts/course-map" check
	assert_output --partial 'lane docker: two tests are called "tour: a default container gets new pid'
	# Control: the same description in files of different lanes is no clash (the host lane's
	# file runs in host and vm, the docker lane is apart).
	cp "$CSECLAB_ROOT/tests/docker/00-engine.bats" "$RES/tree/tests/docker/"
	printf '\n@test "tour: a default container gets new pid, net, mnt, uts and ipc namespaces; user and time are the host'"'"'s" {\n\ttrue\n}\n' \
		>>"$RES/tree/tests/10-namespaces.bats"
	run -0 "$RES/tree/scripts/course-map" check
}

@test "coverage-course without results: says so and lists the static map" {
	CSECLAB_RESULTS=$RES run -0 "$CSECLAB_ROOT/scripts/course-map" summary
	assert_line --partial "No test results in $RES/"
	assert_line --regexp '^ +1  host vm +tests/10-namespaces.bats::nsinfo: two shells'
	assert_line --regexp '^ +82  - +waived: '
}

@test "coverage-course: per item, each lane's verdict from the TAP results; only a pass in a lane that ran counts" {
	local d1="nsinfo: two shells in the host's namespaces share every inode, as readlink /proc/PID/ns shows"
	local d2="ns -v narrates the clone flags, the inodes of parent and child, and the mounts made"
	local d6="tour: as an ordinary user ns -p -m fails with EPERM (CAP_SYS_ADMIN needed)"
	local d10="tour: a default container gets new pid, net, mnt, uts and ipc namespaces; user and time are the host's"
	# The host lane: a pass (with --timing), a failure and its comment lines, a description twice.
	cat >"$RES/host.tap" <<-EOF
		# ---- lane: host
		1..4
		ok 1 $d1 in 15ms
		not ok 2 $d6
		# (in test file tests/10-namespaces.bats, line 99)
		#   \`assert_failure 1' failed
		ok 3 $d2
		ok 4 $d2
	EOF
	# The docker lane: a skip with its reason, a description bats expanded ($PARENT).
	cat >"$RES/docker.tap" <<-EOF
		1..3
		ok 1 $d10 # skip needs docker: no engine here
		ok 2 --cgroup-parent /cseclab-stress with --cpus 0.75: docker top PIDs are exactly the cgroup's tasks
		ok 3 engine: every container of this file is gone
	EOF
	# The vm lane could not run; vm-selinux stopped after 1 of its 2 tests.
	printf '1..1\nok 1 lane vm # skip qemu-system-x86_64 not found\n' >"$RES/vm.tap"
	printf '1..2\nok 1 guide: SELinux for real, in the lab VM (the chapter'"'"'s examples, in order)\n' >"$RES/vm-selinux.tap"
	CSECLAB_RESULTS=$RES run -1 "$CSECLAB_ROOT/scripts/course-map" summary
	assert_line --regexp '^  host +.*, 4 of 4 planned tests reported$'
	assert_line --regexp '^  docker +.*, 3 of 3 planned tests reported$'
	assert_line --regexp '^  vm +.*, the lane was skipped \(qemu-system-x86_64 not found\)$'
	assert_line --regexp '^  vm-selinux +.*, 1 of 2 planned tests reported$'
	# Item 1: passed on the host; the vm lane skipped it: reproduced.
	assert_line "  1  reproduced   tests/10-namespaces.bats::$d1"
	assert_line "                  host: passed"
	assert_line "                  vm: skipped: the lane could not run (qemu-system-x86_64 not found)"
	# Item 6: failed on the host.
	assert_line "  6  FAILED       tests/10-namespaces.bats::$d6"
	assert_line "                  host: failed"
	# Item 2: two results for one description cannot be attributed.
	assert_line "  2  FAILED       tests/10-namespaces.bats::$d2"
	assert_line --partial "host: ambiguous"
	# Item 10: docker only, skipped there: not reproduced, and the reason is kept.
	assert_line " 10  skipped      tests/docker/10-namespaces.bats::$d10"
	assert_line "                  docker: skipped (needs docker: no engine here)"
	# Items 27 and 32: the source's \$PARENT matched what bats printed.
	# shellcheck disable=SC2016 # the description's literal $PARENT
	assert_line --regexp '^ 27  reproduced   tests/docker/20-cgroups.bats::--cgroup-parent /\$PARENT'
	# Item 14: in the docker lane's results, which ran all they planned, it is missing: not run.
	assert_line " 14  not run      tests/docker/10-namespaces.bats::tour: mqueue demo: host and private senders fail (ENOENT); three --ipc container:receiver senders deliver"
	assert_line "                  docker: not run (not in this lane's results)"
	# Item 64: vm-selinux only, whose run stopped early before reporting it: failed.
	assert_line --regexp '^ 64  FAILED       tests/51-selinux.bats::'
	assert_line "                  vm-selinux: failed (did not report: the lane stopped after 1 of 2 tests)"
	# Items 1, 3, 27, 32 passed, nothing else; the five categories add up to every item.
	assert_line --regexp '^course demos: 107: 4 reproduced and passed, [0-9]+ failed, [0-9]+ skipped, [0-9]+ not run, 1 waived$'
	local s n
	s=$(sed -n 's/^course demos: 107: \([0-9]*\) reproduced and passed, \([0-9]*\) failed, \([0-9]*\) skipped, \([0-9]*\) not run, \([0-9]*\) waived$/\1 \2 \3 \4 \5/p' <<<"$output")
	n=0
	for s in $s; do n=$((n + s)); done
	assert_equal "$n" 107
}

@test "coverage-course: every lane passing makes the summary exit 0" {
	local d1="nsinfo: two shells in the host's namespaces share every inode, as readlink /proc/PID/ns shows"
	printf '1..1\nok 1 %s\n' "$d1" >"$RES/host.tap"
	CSECLAB_RESULTS=$RES run -0 "$CSECLAB_ROOT/scripts/course-map" summary
	assert_line --regexp '^course demos: 107: 2 reproduced and passed, 0 failed, '
	assert_line --regexp '^ 64  not run      tests/51-selinux.bats::'
	assert_line "                  vm-selinux: not run (no results of this lane)"
}
