# shellcheck shell=bash
# shellcheck disable=SC2154 # status and output are set by bats' run
# exercises.bash - grade an exercise both ways (README: Conventions, "Exercises").
# Loaded after helpers by tests/98-exercises-*.bats: `load helpers` then `load exercises`.
#
#   ex_path NAME           the folder of exercise NAME (labs/*/exercises/NN-NAME, docker/exercises)
#   grade NAME DIR         `run` NAME's grader on the hand-in in DIR; its exit 77 fails the test
#                          (the test says with `requires` what the exercise needs)
#   ex_starter_fails NAME  the untouched starter builds, fails one assertion, points to hint #1
#   ex_solution_passes NAME  the reference answer passes every assertion
#   ex_wrong_refused NAME  each known-wrong answer (wrong/CASE.patch, at least two) fails with
#                          the assertion its Fails: line names (Fails-docker: instead, when there
#                          is one, with CSECLAB_EX_DOCKER=1: where Docker's runtime refuses
#                          earlier than seccomp-run); nothing named cseclab-ex-* is left
#   ex_wrong_field PATCH KEY   the value of PATCH's header line `KEY: ...` (before its first ---)
#   ex_wrong_handin DIR CASE DEST   DEST becomes the hand-in of known-wrong answer CASE of the
#                          exercise in DIR: a copy of solution/ with wrong/CASE.patch applied by
#                          `patch -p1`, exactly (no fuzz, no offset); else patch's words, status 1

ex_path() {
	local d
	for d in "$CSECLAB_ROOT"/labs/*/exercises/[0-9][0-9]-"$1" "$CSECLAB_ROOT"/docker/exercises/[0-9][0-9]-"$1"; do
		if [ -d "$d" ]; then
			echo "$d"
			return 0
		fi
	done
	echo "no exercise named $1" >&2
	return 1
}

grade() {
	local d
	d=$(ex_path "$1") || fail "no exercise named $1"
	run "$d/check" "$2"
	if [ "$status" -eq 77 ]; then
		fail "the grader of $1 cannot run here, though the test's requires passed: $output"
	fi
	return 0
}

# One FAIL line and the hint line after it; nothing but ok:/note: lines before.
_ex_one_failure() {
	local fails
	assert_failure 1
	fails=$(grep -c '^FAIL: .* (kernel said: .*)$' <<<"$output") || fail "no FAIL line: $output"
	[ "$fails" -eq 1 ] || fail "$fails FAIL lines, expected one: $output"
	assert_line --regexp '^hint: see hints\.md #[0-9]+$'
}

ex_starter_fails() {
	local d
	d=$(ex_path "$1") || fail "no exercise named $1"
	grade "$1" "$d/starter"
	_ex_one_failure
	assert_line 'hint: see hints.md #1'
	# The starter builds (or loads): what fails is the task, not the build.
	refute_line --regexp '^FAIL: .* compiles with '
}

ex_solution_passes() {
	local d
	d=$(ex_path "$1") || fail "no exercise named $1"
	grade "$1" "$d/solution"
	assert_success
	assert_line --regexp '^ok: '
	refute_line --regexp '^(FAIL|hint): '
}

ex_wrong_field() { # PATCH KEY
	sed -n "/^--- /q; s/^$2: //p" "$1"
}

ex_wrong_handin() { # DIR CASE DEST
	local out
	rm -rf "$3"
	cp -a "$1/solution" "$3" || return 1
	# -f: no questions (a reversed-looking patch fails); -F0 and the check of what patch says:
	# every hunk lands where its line numbers say. The lab VM has only busybox's patch, which
	# knows none of those options and never fuzzes: there it applies as it is (the host lane's
	# tests/97-exercises.bats checks every patch with GNU patch).
	if ! patch --version 2>/dev/null | grep -q 'GNU patch'; then
		if ! out=$(cd "$3" && patch -p1 -i "$1/wrong/$2.patch" </dev/null 2>&1); then
			echo "wrong/$2.patch does not apply to solution/: ${out//$'\n'/; }"
			return 1
		fi
		return 0
	fi
	if ! out=$(patch -p1 -f -F0 --no-backup-if-mismatch -r - -d "$3" -i "$1/wrong/$2.patch" </dev/null 2>&1) ||
		grep -qv '^patching file ' <<<"$out"; then
		echo "wrong/$2.patch does not apply exactly to solution/: ${out//$'\n'/; }"
		return 1
	fi
}

ex_wrong_refused() {
	local d p c want n=0 err
	d=$(ex_path "$1") || fail "no exercise named $1"
	for p in "$d"/wrong/*.patch; do
		[ -f "$p" ] || continue
		c=$(basename "$p" .patch)
		want=$(ex_wrong_field "$p" Fails)
		[ -n "$want" ] || fail "$p has no 'Fails: ASSERTION' line"
		if [ -n "${CSECLAB_EX_DOCKER:-}" ] && [ -n "$(ex_wrong_field "$p" Fails-docker)" ]; then
			want=$(ex_wrong_field "$p" Fails-docker)
		fi
		# Under make sanitize an ASan-built program may fail earlier than the mistake shows.
		if [ -n "${CSECLAB_SANITIZE:-}" ] && [ -n "$(ex_wrong_field "$p" Fails-sanitize)" ]; then
			want=$(ex_wrong_field "$p" Fails-sanitize)
		fi
		err=$(ex_wrong_handin "$d" "$c" "$BATS_TEST_TMPDIR/wrong-$c") || fail "$1: $err"
		grade "$1" "$BATS_TEST_TMPDIR/wrong-$c"
		_ex_one_failure
		if ! grep -qF "FAIL: $want (kernel said: " <<<"$output"; then
			fail "wrong answer $c of $1: expected 'FAIL: $want', got: $output"
		fi
		n=$((n + 1))
	done
	[ "$n" -ge 2 ] || fail "$1 has $n known-wrong answers in wrong/, at least 2 are needed"
	ex_no_leftovers "$1"
}

# What NAME's grader may leave: its scratch folder, its cgroup (assert_no_leftovers checks
# the rest; other exercises' graders may run beside this test by hand).
ex_no_leftovers() {
	local l d
	for d in /tmp/cseclab-ex-"$1".*; do
		if [ -e "$d" ]; then fail "left behind: $d"; fi
	done
	l=$(leftovers | grep "cseclab-ex-$1-") || true
	[ -z "$l" ] || fail "left behind: $l"
}
