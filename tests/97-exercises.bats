#!/usr/bin/env bats
# lanes: host
# The exercise system: every exercise folder is complete and graded both ways by a test, and
# the learner's tool `exercise` (list, start, check, hint, watch, reset, report) works.
load helpers
load exercises

# Every exercise folder, one a line.
all_exercises() {
	local d
	for d in "$CSECLAB_ROOT"/labs/*/exercises/[0-9][0-9]-* "$CSECLAB_ROOT"/docker/exercises/[0-9][0-9]-*; do
		if [ -d "$d" ]; then echo "$d"; fi
	done
}

@test "every exercise folder has its task, starter, grader, hints, solution and wrong answers" {
	local d name problems=() h
	while read -r d; do
		name=${d##*/}
		name=${name#[0-9][0-9]-}
		head -1 "$d/task.md" | grep -q '^# ' || problems+=("$d/task.md: no '# Title' first line")
		for h in "## Goal" "## Hand in" "## What the grader checks" "## Read"; do
			grep -qx "$h" "$d/task.md" || problems+=("$d/task.md: no '$h' section")
		done
		[ -n "$(ls -A "$d/starter" 2>/dev/null)" ] || problems+=("$d: starter/ is missing or empty")
		[ -n "$(ls -A "$d/solution" 2>/dev/null)" ] || problems+=("$d: solution/ is missing or empty")
		[ -x "$d/check" ] || problems+=("$d: check is missing or not executable")
		grep -q '^## 1\. ' "$d/hints.md" || problems+=("$d/hints.md: no '## 1. Title' hint")
		[ "$(find "$d/wrong" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)" -ge 2 ] ||
			problems+=("$d: fewer than 2 known-wrong answers in wrong/")
	done < <(all_exercises)
	[ ${#problems[@]} -eq 0 ] || fail "$(printf '%s\n' "${problems[@]}")"
}

@test "exercise names are unique, and each exercise is graded both ways by a test" {
	local d name problems=() f
	local -A seen=()
	while read -r d; do
		name=${d##*/}
		name=${name#[0-9][0-9]-}
		[ -z "${seen[$name]:-}" ] || problems+=("$name: two exercises have this name: ${seen[$name]} $d")
		seen[$name]=$d
		for f in ex_starter_fails ex_solution_passes ex_wrong_refused; do
			grep -qE "^[[:space:]]*$f $name\$" "$CSECLAB_ROOT"/tests/98-exercises-*.bats \
				"$CSECLAB_ROOT"/tests/docker/98-exercises*.bats 2>/dev/null ||
				problems+=("$name: no test calls '$f $name'")
		done
	done < <(all_exercises)
	[ ${#seen[@]} -gt 0 ] || fail "no exercise found"
	[ ${#problems[@]} -eq 0 ] || fail "$(printf '%s\n' "${problems[@]}")"
}
