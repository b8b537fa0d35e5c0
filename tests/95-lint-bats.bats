#!/usr/bin/env bats
# lanes: host
# scripts/lint-bats (run by make lint) rejects checks that cannot fail a bats test: bash's
# errexit ignores a failure before the last command of an && list, a negated command, and a
# check inside a helper that runs under run, an if or ||. The samples in tests/lint-bats/ hold
# each such pattern and each allowed form; the real tests must have none.
load helpers

setup() {
	cd "$CSECLAB_ROOT"
}

@test "lint-bats names every check that cannot fail, with its file and line" {
	local f=tests/lint-bats/bad.sample
	run -1 scripts/lint-bats "$f"
	assert_line --regexp "^$f:7: .* is not the last command of two_checks\\(\\), .*:39 under run\\)"
	assert_line --regexp "^$f:13: .* is not the last command of inner_checks\\(\\), .*:40 in a condition, inside outer\\(\\)\\)"
	assert_line --regexp "^$f:23: wait_for_file\\(\\) ends with this retry loop"
	assert_line --regexp "^$f:30: \`\\[ 1 = 2 \\] && \\.\\.\\.\`: when this fails, errexit ignores it"
	assert_line --regexp "^$f:31: \`! grep -q root /etc/passwd\`: errexit ignores a negated command"
	assert_line --regexp "^$f:32: .*: the \\|\\| true swallows this check$"
	assert_line --regexp "^$f:33: \`assert_output x .*: the \\|\\| : swallows this check$"
	assert_line --regexp "^$f:34: .*\`echo no\` runs and succeeds in its place"
	assert_line --regexp "^$f:35: \`grep -q x /etc/hostname && \\.\\.\\.\`: when this fails"
	assert_line --regexp "^$f:37: \`\\[ 3 = 4 \\] && \\.\\.\\.\`: when this fails"
	# and nothing else: the allowed lines around them are not reported
	assert_equal "${#lines[@]}" 10
}

@test "lint-bats accepts checks that do fail a test, and conditions (control)" {
	run -0 scripts/lint-bats tests/lint-bats/good.sample
	assert_output ""
}

# shellcheck disable=SC2016 # the samples are literal shell
@test "lint-bats: a helper's middle check is reported only where errexit is off" {
	local f=$BATS_TEST_TMPDIR/helper.bash
	printf '%s\n' 'two() {' '	[ "$1" = a ]' '	[ "$2" = b ]' '}' 'two a b' >"$f"
	run -0 scripts/lint-bats "$f"
	printf '%s\n' 'x=$(two a b)' >>"$f"
	run -1 scripts/lint-bats "$f"
	assert_output --regexp "^$f:2: .*two\\(\\), which runs where errexit is off \\($f:6 in \\\$\\(\\.\\.\\.\\)\\)"
}

@test "lint-bats: shell it cannot parse is an error, not a pass" {
	local f=$BATS_TEST_TMPDIR/broken.bats
	printf '%s\n' 'f() {' '	if true; then' '		echo x' '}' >"$f"
	run -1 scripts/lint-bats "$f"
	assert_output --partial "$f:4: lint-bats cannot parse this"
	run -2 scripts/lint-bats --bogus
	run -2 scripts/lint-bats "$BATS_TEST_TMPDIR/missing.bats"
}

@test "lint-bats: the tests and their helpers have no check that cannot fail" {
	run -0 scripts/lint-bats
	assert_output ""
}
