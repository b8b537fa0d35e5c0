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

# What is missing or wrong in the exercise folder D, one line each: its task, starter, grader,
# hints, solution, and its known-wrong answers (README: Conventions, "Exercises").
folder_problems() { # D
	local d=$1 h p c n=0 f err
	head -1 "$d/task.md" | grep -q '^# ' || echo "$d/task.md: no '# Title' first line"
	for h in "## Goal" "## Hand in" "## What the grader checks" "## Read"; do
		grep -qx "$h" "$d/task.md" || echo "$d/task.md: no '$h' section"
	done
	[ -n "$(ls -A "$d/starter" 2>/dev/null)" ] || echo "$d: starter/ is missing or empty"
	[ -n "$(ls -A "$d/solution" 2>/dev/null)" ] || echo "$d: solution/ is missing or empty"
	[ -x "$d/check" ] || echo "$d: check is missing or not executable"
	grep -q '^## 1\. ' "$d/hints.md" || echo "$d/hints.md: no '## 1. Title' hint"
	# Each known-wrong answer: the solution plus one mistake, wrong/CASE.patch, that says the
	# mistake and the assertion it fails, applies exactly and changes something.
	for f in "$d"/wrong/*; do
		[ -e "$f" ] || continue
		if [[ $f != *.patch ]] || [ ! -f "$f" ]; then
			echo "$f: not a known-wrong answer in the form wrong/CASE.patch (scripts/ex-wrong-to-patch converts a whole copy)"
			continue
		fi
		c=$(basename "$f" .patch)
		[ -n "$(ex_wrong_field "$f" Mistake)" ] || echo "$f: no 'Mistake: WHAT' line"
		[ -n "$(ex_wrong_field "$f" Fails)" ] || echo "$f: no 'Fails: ASSERTION' line"
		p=$BATS_TEST_TMPDIR/handin
		if ! err=$(ex_wrong_handin "$d" "$c" "$p"); then
			echo "$d/$err"
			continue
		fi
		if diff -r "$d/solution" "$p" >/dev/null; then echo "$f: changes nothing in solution/"; fi
		n=$((n + 1))
	done
	[ "$n" -ge 2 ] || echo "$d: wrong/ holds $n known-wrong answers, at least 2 are needed"
}

@test "every exercise folder has its task, starter, grader, hints, solution and wrong answers" {
	local d problems
	problems=$(while read -r d; do folder_problems "$d"; done < <(all_exercises))
	[ -z "$problems" ] || fail "$problems"
}

@test "a known-wrong answer that no longer applies, says no assertion, or is a whole copy is found" {
	local d=$BATS_TEST_TMPDIR/01-sandbox
	cp -a "$(ex_path sandbox)" "$d"
	run -0 folder_problems "$d"
	assert_output ''
	# The solution moves on: the patch no longer applies.
	sed -i 's/SCMP_ACT_KILL_PROCESS/SCMP_ACT_KILL_THREAD/' "$d/solution/sandbox.c"
	run -0 folder_problems "$d"
	assert_line --regexp "^$d/wrong/errno\.patch does not apply exactly to solution/: .*FAILED"
	cp -a "$(ex_path sandbox)/solution/." "$d/solution/"
	sed -i '/^Fails: /d' "$d/wrong/errno.patch"
	run -0 folder_problems "$d"
	assert_output "$d/wrong/errno.patch: no 'Fails: ASSERTION' line"
	rm "$d/wrong/errno.patch" "$d/wrong/no-nnp.patch"
	mkdir "$d/wrong/errno"
	run -0 folder_problems "$d"
	assert_line "$d/wrong/errno: not a known-wrong answer in the form wrong/CASE.patch (scripts/ex-wrong-to-patch converts a whole copy)"
	assert_line "$d: wrong/ holds 1 known-wrong answers, at least 2 are needed"
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

# The names in the table "The exercises, chapter by chapter" of the chapter FILE, in order.
# shellcheck disable=SC2016 # the backquotes are markdown's, literal
table_names() { # FILE
	sed -n '/^### The exercises, chapter by chapter$/,/^### /p' "$1" |
		sed -n 's/^| [^|]* | `\([^`]*\)` |.*/\1/p'
}

# How the table of FILE differs from the exercise folders, one line per difference: a name no
# folder has, a folder the table lacks, an order other than `exercise list`'s (chapter, then NN).
table_drift() { # FILE
	local d name
	local -A want=() have=()
	while read -r d; do
		name=${d##*/}
		want[${name#[0-9][0-9]-}]=1
	done < <(all_exercises)
	while read -r name; do
		have[$name]=1
		if [ -z "${want[$name]:-}" ]; then echo "$name: in the table, but no exercise has this name"; fi
	done < <(table_names "$1")
	for name in "${!want[@]}"; do
		if [ -z "${have[$name]:-}" ]; then echo "$name: an exercise the table does not list"; fi
	done
	if ! cmp -s <(table_names "$1") <(exercise list | awk '/^  [a-z0-9]/ { print $1 }'); then
		echo "the table's order is not exercise list's"
	fi
}

# shellcheck disable=SC2016 # the backquotes are markdown's, literal
@test "the guide's table of exercises lists every exercise, in exercise list's order, and nothing else" {
	local chapter=$CSECLAB_ROOT/labs/getting-started/chapter-exercises.md copy=$BATS_TEST_TMPDIR/chapter.md n
	n=$(table_names "$chapter" | wc -l)
	[ "$n" -ge "$(all_exercises | wc -l)" ] || fail "the table has $n rows: $(table_names "$chapter" | xargs)"
	run -0 table_drift "$chapter"
	assert_output ''
	# Controls, on copies: a row missing, a row of no exercise, two rows swapped.
	grep -v '^| Seccomp | `sandbox` |' "$chapter" >"$copy"
	run -0 table_drift "$copy"
	assert_line 'sandbox: an exercise the table does not list'
	sed 's/^| Seccomp | `sandbox` |/| Seccomp | `sandbox2` |/' "$chapter" >"$copy"
	run -0 table_drift "$copy"
	assert_line 'sandbox2: in the table, but no exercise has this name'
	sed '/^| Namespaces | `container` |/{h;d};/^| Namespaces | `mq-setns` |/G' "$chapter" >"$copy"
	run -0 table_drift "$copy"
	assert_output "the table's order is not exercise list's"
}

# ---- the tool: bin/exercise ---------------------------------------------------------------------

# Each test works in a folder of its own: the learner's work folder.
setup() {
	WORK=$BATS_TEST_TMPDIR/work
	export CSECLAB_WORK=$WORK
}

@test "tour: exercise list shows every exercise, chapter by chapter, and the learner's progress" {
	requires seccomp-filter
	run -0 exercise start sandbox
	assert_line "your folder: $WORK/sandbox"
	assert_file_exists "$WORK/sandbox/sandbox.c"
	run -1 exercise check sandbox
	show exercise list
	assert_success
	assert_line 'Namespaces (0 of 2 passed)'
	assert_line --regexp '^Seccomp \(0 of [0-9]+ passed\)$'
	assert_line --regexp '^  container +- +Your own container'
	assert_line --regexp '^  sandbox +failed +A seccomp sandbox in C'
	assert_line --regexp '^ +last failure: socket\(\) kills the process with SIGSYS$'
	assert_line --regexp "^progress: 0 of [0-9]+ passed, 1 failed, 0 started, [0-9]+ not started \\(work folder: $WORK\\)\$"
}

@test "exercise check names the failed assertion, what the kernel said and the next hint; a right answer passes" {
	requires seccomp-filter
	run -0 exercise start sandbox
	# Graded from inside the exercise's folder: the NAME is optional there.
	cd "$WORK/sandbox"
	run -1 exercise check
	assert_line --regexp '^FAIL: socket\(\) kills the process with SIGSYS \(kernel said: the probe exited with status 0; socket returned descriptor [0-9]+\)$'
	assert_line 'result: failed: socket() kills the process with SIGSYS'
	assert_line --regexp '^kernel said: the probe exited with status 0; socket returned descriptor [0-9]+$'
	assert_line 'next hint: #1 One rule, for socket (exercise hint sandbox)'
	run -0 exercise hint sandbox
	assert_line --index 0 'hint 1 of 4: One rule, for socket'
	assert_output --partial 'SCMP_SYS(socket)'
	run -0 exercise hint sandbox
	assert_line --index 0 'hint 2 of 4: An errno is not a death'
	cp "$(ex_path sandbox)/solution/sandbox.c" "$WORK/sandbox/"
	run -0 exercise check sandbox
	assert_line 'ok: socket() kills the process with SIGSYS'
	assert_line 'result: passed (4 assertions hold)'
	run -0 exercise list
	assert_line --regexp '^Seccomp \(1 of [0-9]+ passed\)$'
	assert_line --regexp '^  sandbox +passed +A seccomp sandbox'
}

@test "make check EX=NAME grades like exercise check NAME" {
	requires seccomp-filter
	run -0 exercise start sandbox
	# make says the recipe failed (exit 2) after the grader's lines.
	run -2 make -s -C "$CSECLAB_ROOT" check EX=sandbox OUT="$CSECLAB_BIN"
	assert_line 'result: failed: socket() kills the process with SIGSYS'
}

@test "exercise check --json: the result in machine form, also for every started exercise (--all)" {
	requires seccomp-filter
	run -0 exercise start sandbox
	run -1 exercise --student alice check --json sandbox
	run -0 jq -r '[.format, .student, .exercise, .chapter, .result, .assertion, .hint] | join("|")' <<<"$output"
	assert_output 'cseclab-exercise-result/1|alice|sandbox|Seccomp|failed|socket() kills the process with SIGSYS|1'
	cp "$(ex_path sandbox)/solution/sandbox.c" "$WORK/sandbox/"
	run -0 exercise --student alice check --json --all
	run -0 jq -r '.[] | "\(.exercise) \(.result) \(.passed | length)"' <<<"$output"
	assert_output 'sandbox passed 4'
}

@test "exercise reset starts over: the starter again, the learner's files kept in NAME.bak" {
	run -0 exercise start bind80
	echo '# mine' >>"$WORK/bind80/run.sh"
	run -0 exercise start bind80
	assert_line "bind80 is already started in $WORK/bind80 (exercise reset bind80 starts over)"
	assert_file_contains "$WORK/bind80/run.sh" '^# mine$'
	run -0 exercise reset bind80
	assert_line "bind80: your files are in $WORK/bind80.bak"
	run -0 cmp "$(ex_path bind80)/starter/run.sh" "$WORK/bind80/run.sh"
	assert_file_contains "$WORK/bind80.bak/run.sh" '^# mine$'
}

@test "exercise watch grades again when a file is saved" {
	requires seccomp-filter
	run -0 exercise start sandbox
	exercise watch sandbox >"$BATS_TEST_TMPDIR/watch.out" 2>&1 &
	local pid=$! i
	for i in $(seq 100); do
		if grep -q '^-- watching' "$BATS_TEST_TMPDIR/watch.out"; then break; fi
		sleep 0.1
	done
	assert_file_contains "$BATS_TEST_TMPDIR/watch.out" '^result: failed: socket'
	cp "$(ex_path sandbox)/solution/sandbox.c" "$WORK/sandbox/"
	for i in $(seq 100); do
		if grep -q '^result: passed' "$BATS_TEST_TMPDIR/watch.out"; then break; fi
		sleep 0.1
	done
	kill -INT "$pid"
	wait "$pid" || true
	assert_file_contains "$BATS_TEST_TMPDIR/watch.out" '^result: passed (4 assertions hold)$'
	run -0 grep -c '^grading sandbox' "$BATS_TEST_TMPDIR/watch.out"
	assert_output 2
}

@test "exercise report merges students' results into a class table and one HTML page" {
	local r=$BATS_TEST_TMPDIR
	printf '%s\n' \
		'{"student":"alice","exercise":"sandbox","result":"passed","when":"2026-01-01T10:00:00Z"}' \
		'{"student":"alice","exercise":"container","result":"failed","assertion":"the probe is PID 1 <of> a new PID namespace","kernel_said":"NSpid: 42","when":"2026-01-01T10:00:00Z"}' >"$r/alice.json"
	# bob: an array; his later sandbox result wins over the earlier one.
	printf '[%s,%s]\n' \
		'{"student":"bob","exercise":"sandbox","result":"passed","when":"2026-01-01T09:00:00Z"}' \
		'{"student":"bob","exercise":"sandbox","result":"failed","assertion":"socket() kills the process with SIGSYS","kernel_said":"errno EPERM","when":"2026-01-01T11:00:00Z"}' >"$r/bob.json"
	run -0 exercise report --html "$r/class.html" "$r/bob.json" "$r/alice.json"
	assert_line --regexp '^class report: 2 students, [0-9]+ exercises'
	# Rows by name; columns in course order: container (namespaces) before sandbox (seccomp).
	assert_line --regexp '^alice +(\.? +)*F( +\.)* +ok( +\.)* +1/[0-9]+$'
	assert_line --regexp '^bob +(\.? +)*F( +\.)* +0/[0-9]+$'
	assert_line '  alice container: the probe is PID 1 <of> a new PID namespace (kernel said: NSpid: 42)'
	assert_line '  bob sandbox: socket() kills the process with SIGSYS (kernel said: errno EPERM)'
	assert_line "html: $r/class.html"
	assert_file_contains "$r/class.html" 'the probe is PID 1 &lt;of&gt; a new PID namespace'
	assert_file_contains "$r/class.html" '<td class="passed" '
	run -0 grep -c '<td class="none">' "$r/class.html"
	# A malformed file is refused, with its name.
	echo '{"student": ' >"$r/broken.json"
	run -2 exercise report "$r/broken.json"
	assert_output --partial "broken.json: line "
}

@test "exercise refuses bad options, unknown exercises and a check of an exercise not started" {
	run -2 exercise --frobnicate list
	assert_line "exercise: unknown option '--frobnicate'"
	assert_line "Try 'exercise --help' for more information."
	run -2 exercise start no-such-exercise
	assert_line "exercise: no exercise named 'no-such-exercise' (exercise list shows them)"
	run -1 exercise check sandbox
	assert_line 'sandbox is not started: exercise start sandbox'
	run -0 exercise --help
	assert_line --partial 'exercise [-w DIR]'
}

# A grader of the suite's plumbing (common/grader.bash), in a throw-away exercise tree: the
# hand-in forks, starts a new session and hangs; the grader fails, and nothing is left.
# shellcheck disable=SC2016 # the graders' text is literal
fake_exercise() { # NAME BODY: labs/t/exercises/01-NAME/check running BODY after grader_init
	local root=$BATS_TEST_TMPDIR/root d
	d=$root/labs/t/exercises/01-$1
	mkdir -p "$root/labs/getting-started" "$d/starter"
	ln -sfn "$CSECLAB_ROOT/common" "$root/common"
	printf '# %s\n' "$1" >"$d/task.md"
	printf '## 1. Hint one\n\nText.\n' >"$d/hints.md"
	printf '#!/usr/bin/env bash\n. "$(dirname "$0")/../../../../common/grader.bash"\n%s\n' "$2" >"$d/check"
	chmod +x "$d/check"
	echo "$root"
}

# shellcheck disable=SC2016 # the grader's text is literal
@test "a grader kills the whole tree of a hand-in that forks and hangs, and removes its cgroup" {
	requires root
	local root
	root=$(fake_exercise hang 'grader_init --budget 20 "$@"
ex_spawn sh -c "sleep 300 & setsid sleep 301 & exec sleep 302"
sleep 0.5
note "cgroup: $_ex_cg"
note "procs: $(ex_procs | xargs)"
fail 1 "the hand-in ends" "it hangs"')
	CSECLAB_ROOT=$root run -1 "$root/labs/t/exercises/01-hang/check" "$root/labs/t/exercises/01-hang/starter"
	assert_line 'FAIL: the hand-in ends (kernel said: it hangs)'
	assert_line 'hint: see hints.md #1'
	local cg procs p
	cg=$(sed -n 's/^note: cgroup: //p' <<<"$output")
	procs=$(sed -n 's/^note: procs: //p' <<<"$output")
	[ "$(wc -w <<<"$procs")" -ge 3 ] || fail "expected 3 sleeps and more, got: $procs"
	for p in $procs; do
		if [ -e "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status"; then
			fail "process $p of the hand-in survived the grader: $(tr '\0' ' ' <"/proc/$p/cmdline")"
		fi
	done
	[ -n "$cg" ] || fail "the grader made no cgroup"
	assert_not_exists "$cg"
	ex_no_leftovers hang
}

# shellcheck disable=SC2016 # the grader's text is literal
@test "a grader that outlives its budget fails, names the budget, and cleans up" {
	requires root
	local root
	root=$(fake_exercise slow 'grader_init --budget 1 "$@"
ex_spawn sleep 300
ex_finish "$EX_PID" 60
pass "never reached"')
	SECONDS=0
	CSECLAB_ROOT=$root run -1 "$root/labs/t/exercises/01-slow/check" "$root/labs/t/exercises/01-slow/starter"
	[ "$SECONDS" -le 5 ] || fail "the budget of 1 s did not stop the grader: it took $SECONDS s"
	assert_line 'FAIL: the grading ends within 1 s (kernel said: the hand-in was still running)'
	refute_line 'ok: never reached'
	ex_no_leftovers slow
}
