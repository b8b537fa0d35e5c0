#!/usr/bin/env bats
# lanes: host
# LAB_GUIDE.md is tested: every `console` example of every chapter runs and its output is
# compared (scripts/guide-examples; the convention is in README.md). Examples that need a
# feature this machine lacks are skipped by name with doctor's reason.
load helpers

guide() {
	local chapter=$1
	[ -f "$CSECLAB_ROOT/$chapter" ] || fail "$chapter is missing"
	run "$CSECLAB_ROOT/scripts/guide-examples" "$CSECLAB_ROOT/$chapter"
	if [ "$status" -eq 77 ]; then
		skip "no example of $chapter can run here: $(grep '^skip:' <<<"$output" | head -3)"
	fi
	assert_success
}

@test "LAB_GUIDE.md is assembled from the current chapters (make guide)" {
	run diff <("$CSECLAB_ROOT/scripts/build-guide") "$CSECLAB_ROOT/LAB_GUIDE.md"
	assert_success
}

@test "guide: Getting started" { guide labs/getting-started/chapter.md; }
@test "guide: Exercises" { guide labs/getting-started/chapter-exercises.md; }
@test "guide: Namespaces" { guide labs/namespaces/chapter.md; }
# cpushares and cpuquota measure CPU time: this one needs the machine to itself.
# bats test_tags=measures-cpu
@test "guide: Cgroups" { guide labs/cgroups/chapter.md; }
@test "guide: Privileges" { guide labs/privileges/chapter.md; }
@test "guide: Capabilities" { guide labs/capabilities/chapter.md; }
@test "guide: Seccomp" { guide labs/seccomp/chapter.md; }
@test "guide: Seccomp profiles" { guide labs/seccomp/chapter-profiles.md; }
@test "guide: LSMs" { guide labs/lsm/chapter.md; }
@test "guide: A container runtime" { guide labs/runtime/chapter.md; }
@test "guide: The same with Docker" { guide docker/chapter.md; }

# shellcheck disable=SC2016 # the examples are literal markdown
@test "the guide's example runner catches a wrong output and a wrong exit status" {
	local md="$BATS_TEST_TMPDIR/bad.md"
	printf '```console\n$ echo hello\ngoodbye\n```\n' >"$md"
	run -1 "$CSECLAB_ROOT/scripts/guide-examples" "$md"
	assert_output --partial "no line matching: goodbye"
	printf '```console\n$ false\n```\n' >"$md"
	run -1 "$CSECLAB_ROOT/scripts/guide-examples" "$md"
	assert_output --partial "exit status 1, expected 0"
	printf '```console\n$ echo "pid 42 at /x"\npid {N} at {W}\n```\n' >"$md"
	run -0 "$CSECLAB_ROOT/scripts/guide-examples" "$md"
	# `...` marks lines left out: skipped lines pass, but the lines around it must still match.
	printf '```console\n$ printf "a\\nb\\nc\\n"\na\n...\nc\n```\n' >"$md"
	run -0 "$CSECLAB_ROOT/scripts/guide-examples" "$md"
	printf '```console\n$ printf "a\\nb\\nc\\n"\na\n...\nd\n```\n' >"$md"
	run -1 "$CSECLAB_ROOT/scripts/guide-examples" "$md"
	assert_output --partial "no line matching: d"
}
