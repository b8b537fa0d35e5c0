#!/usr/bin/env bats
# lanes: host
# The suite's one command-line convention and header form (README, Conventions), over every
# program in $CSECLAB_BIN and every lab program's source, and the man pages and install made
# from them (make man, make install). A new program is covered without a change here. Each test
# goes through all the programs and lists every one that fails, with what is wrong.
load helpers

# Every executable in DIR (default $CSECLAB_BIN), one name a line.
programs() {
	local p
	for p in "${1:-$CSECLAB_BIN}"/*; do
		if [ -f "$p" ] && [ -x "$p" ]; then echo "${p##*/}"; fi
	done
}

# The source of program NAME, labs/<topic>/NAME.c (nothing when there is none).
source_of() {
	local f
	for f in "$CSECLAB_ROOT"/labs/*/"$1.c"; do
		if [ -f "$f" ]; then echo "$f"; fi
	done
}

# The optstring of the source's getopt_long call (nothing when it has none).
optstring_of() {
	local src
	src=$(source_of "$1")
	if [ -n "$src" ]; then
		sed -n 's/.*getopt_long([^"]*"\([^"]*\)".*/\1/p' "$src" | head -n 1
	fi
}

# bad_option_problems PATH MESSAGE ARG...: run PATH ARG..., which must be refused as the
# convention says: exit 2, stdout empty, stderr exactly "NAME: MESSAGE" then the Try line.
# Prints what is wrong, one line; nothing when all is right.
bad_option_problems() {
	local path=$1 want=$2 name=${1##*/} out err rc=0
	shift 2
	out=$(timeout 10 "$path" "$@" </dev/null 2>"$BATS_TEST_TMPDIR/stderr") || rc=$?
	err=$(cat "$BATS_TEST_TMPDIR/stderr")
	if [ "$rc" -ne 2 ] || [ -n "$out" ] ||
		[ "$err" != "$name: $want"$'\n'"Try '$name --help' for more information." ]; then
		printf '%s %s: exit %s, stdout [%s], stderr [%s]\n' "$name" "$*" "$rc" "$out" \
			"${err//$'\n'/|}"
	fi
}

# A short option letter that PATH does not take: in neither its --help nor its optstring.
unused_letter() {
	local used l
	used=$("$1" --help 2>/dev/null | grep -oE '(^|[^A-Za-z0-9-])-[A-Za-z0-9]' | tr -dc 'A-Za-z0-9')
	used+=$(optstring_of "${1##*/}")
	for l in Z Y X W Q K J z y x w q k j; do
		if [[ $used != *"$l"* ]]; then
			echo "$l"
			return 0
		fi
	done
	return 1
}

@test "--help of every program: the usage on stdout, exit 0, nothing on stderr" {
	local p out rc n=0 bad=$BATS_TEST_TMPDIR/bad
	: >"$bad"
	for p in $(programs); do
		n=$((n + 1))
		rc=0
		out=$(timeout 10 "$CSECLAB_BIN/$p" --help </dev/null 2>"$BATS_TEST_TMPDIR/stderr") || rc=$?
		if [ "$rc" -ne 0 ] || [[ $out != "Usage: "* ]] || [ -s "$BATS_TEST_TMPDIR/stderr" ]; then
			echo "$p: exit $rc, stdout starts [${out%%$'\n'*}], stderr [$(head -c 200 "$BATS_TEST_TMPDIR/stderr")]" >>"$bad"
		fi
	done
	# A control: the programs were found (ns is one of them).
	[ "$n" -gt 1 ] || fail "no programs in $CSECLAB_BIN"
	[ -x "$CSECLAB_BIN/ns" ] || fail "ns is not in $CSECLAB_BIN"
	[ ! -s "$bad" ] || fail "$(wc -l <"$bad") of $n programs break the --help convention:"$'\n'"$(cat "$bad")"
}

@test "an unknown option, long or short: named once on stderr, then the Try line, exit 2, nothing on stdout" {
	local p l n=0 bad=$BATS_TEST_TMPDIR/bad
	: >"$bad"
	for p in $(programs); do
		n=$((n + 1))
		bad_option_problems "$CSECLAB_BIN/$p" "unknown option '--cseclab-no-such-option'" \
			--cseclab-no-such-option >>"$bad"
		if ! l=$(unused_letter "$CSECLAB_BIN/$p"); then
			echo "$p: takes every candidate letter: no unknown short option to try" >>"$bad"
			continue
		fi
		bad_option_problems "$CSECLAB_BIN/$p" "unknown option '-$l'" "-$l" >>"$bad"
	done
	[ "$n" -gt 1 ] || fail "no programs in $CSECLAB_BIN"
	[ ! -s "$bad" ] || fail "programs that break the bad-option convention (of $n):"$'\n'"$(cat "$bad")"
}

@test "an option missing its argument: 'option '-X' needs an argument', the Try line, exit 2" {
	local p s l n=0 bad=$BATS_TEST_TMPDIR/bad
	: >"$bad"
	for p in $(programs); do
		s=$(optstring_of "$p")
		# The first letter of the optstring that takes an argument ("X:" but not "X::").
		l=$(grep -oE '[A-Za-z0-9]:($|[^:])' <<<"$s" | head -n 1 | cut -c1)
		if [ -z "$l" ]; then continue; fi
		n=$((n + 1))
		bad_option_problems "$CSECLAB_BIN/$p" "option '-$l' needs an argument" "-$l" >>"$bad"
	done
	# A control: ns -H NAME, nsjoin -t PID, receiver -q NAME... many programs have one.
	[ "$n" -ge 5 ] || fail "only $n programs with an option that takes an argument were found"
	[ ! -s "$bad" ] || fail "programs that break the missing-argument convention (of $n):"$'\n'"$(cat "$bad")"
}

@test "a bad short option inside a cluster is named by its letter, not by the word before it" {
	# getopt stops in the middle of "-vZp" with optind still on it: argv[optind - 1] is then
	# the word before, here --verbose, which is not at fault. ns is the convention's model.
	run -0 bad_option_problems "$CSECLAB_BIN/ns" "unknown option '-Z'" --verbose -vZp
	assert_output ""
	run -0 bad_option_problems "$CSECLAB_BIN/ns" "option '-H' needs an argument" -vH
	assert_output ""
	# The long forms, after and before a cluster.
	run -0 bad_option_problems "$CSECLAB_BIN/ns" "option '--verbose' takes no argument" --verbose=1 -v
	assert_output ""
	run -0 bad_option_problems "$CSECLAB_BIN/ns" "option '--hostname' needs an argument" -v --hostname
	assert_output ""
}

@test "the bad-option check fails a program that lets getopt speak first (control)" {
	local fake=$BATS_TEST_TMPDIR/bin
	mkdir -p "$fake"
	# What 25 programs did before the convention: getopt's own message, then a vague one.
	cat >"$fake/old" <<'EOF'
#!/bin/sh
echo "$0: unrecognized option '$1'" >&2
echo "old: unknown option" >&2
echo "Try 'old --help' for more information." >&2
exit 2
EOF
	# The convention's answer.
	cat >"$fake/new" <<'EOF'
#!/bin/sh
echo "new: unknown option '$1'" >&2
echo "Try 'new --help' for more information." >&2
exit 2
EOF
	chmod +x "$fake/old" "$fake/new"
	run -0 bad_option_problems "$fake/old" "unknown option '--x'" --x
	assert_output --partial "old --x: exit 2, stdout [], stderr ["
	run -0 bad_option_problems "$fake/new" "unknown option '--x'" --x
	assert_output ""
}

# --- the header comment of every lab program ----------------------------------------------

# The programs among labs/*/*.c: every file that is no .bpf.c and that no PARTS_ variable of a
# labs/*/build.mk names (continuation lines included).
lab_programs() {
	local parts f
	parts=$(awk '/^[ \t]*PARTS_[A-Za-z0-9_-]+[ \t]*[:+]?=/ { on = 1; sub(/^[^=]*=/, "") }
		on { cont = sub(/\\$/, ""); print; if (!cont) on = 0 }' "$CSECLAB_ROOT"/labs/*/build.mk |
		tr -s ' \t' '\n')
	for f in "$CSECLAB_ROOT"/labs/*/*.c; do
		case $f in *.bpf.c) continue ;; esac
		if grep -qxF "${f#"$CSECLAB_ROOT"/}" <<<"$parts"; then continue; fi
		echo "$f"
	done
}

# header_problems FILE: what is wrong with FILE's header comment, one line; nothing if nothing.
# The form: "/* prog.c - one sentence." first, 6-12 lines to the closing "*/", and the fields
# Mechanism, What it does, Outcome, Needs, Read next, in that order, each starting a line.
header_problems() {
	local f=$1 name=${1##*/} n fields why=""
	n=$(awk '/\*\// { print NR; exit }' "$f")
	if ! head -n 1 "$f" | grep -qE "^/\* ${name//./\\.} - .*[^ ]\.$"; then
		why+=" first line is not '/* $name - one sentence.';"
	fi
	if [ -z "$n" ] || [ "$n" -lt 6 ] || [ "$n" -gt 12 ]; then
		why+=" ${n:-no} lines to the closing */ (6-12);"
	fi
	fields=$(head -n "${n:-0}" "$f" |
		sed -n 's/^ \* \(Mechanism\|What it does\|Outcome\|Needs\|Read next\): .*/\1/p' |
		paste -sd '|')
	if [ "$fields" != "Mechanism|What it does|Outcome|Needs|Read next" ]; then
		why+=" fields [$fields], not [Mechanism|What it does|Outcome|Needs|Read next];"
	fi
	if [ -n "$why" ]; then echo "${f#"$CSECLAB_ROOT"/}:$why"; fi
}

@test "every lab program's header comment: one sentence first, 6-12 lines, the five fields in order" {
	local f n=0 bad=$BATS_TEST_TMPDIR/bad
	: >"$bad"
	for f in $(lab_programs); do
		n=$((n + 1))
		header_problems "$f" >>"$bad"
	done
	[ "$n" -gt 1 ] || fail "no lab programs found under $CSECLAB_ROOT/labs"
	[ ! -s "$bad" ] || fail "programs whose header breaks the form (of $n):"$'\n'"$(cat "$bad")"
}

@test "the header check fails a header without Needs, a part is no program (control)" {
	local x=$BATS_TEST_TMPDIR/x.c
	printf '/* x.c - a demo.\n *\n * Mechanism: m.\n * What it does: w.\n * Outcome: o.\n * Read next: r(2).\n */\n' >"$x"
	run -0 header_problems "$x"
	assert_output --partial "fields [Mechanism|What it does|Outcome|Read next]"
	run -0 header_problems "$CSECLAB_ROOT/labs/namespaces/ns.c"
	assert_output ""
	run -0 lab_programs
	assert_line "$CSECLAB_ROOT/labs/namespaces/ns.c"
	# A tree with parts (named over two lines) and an eBPF object: only the program is left.
	local t=$BATS_TEST_TMPDIR/tree
	mkdir -p "$t/labs/demo"
	touch "$t/labs/demo/hello.c" "$t/labs/demo/greet.c" "$t/labs/demo/wave.c" "$t/labs/demo/probe.bpf.c"
	printf 'PARTS_hello := labs/demo/greet.c \\\n\tlabs/demo/wave.c\nLIBS_hello := -lm\n' >"$t/labs/demo/build.mk"
	CSECLAB_ROOT=$t run -0 lab_programs
	assert_output "$t/labs/demo/hello.c"
}

# --- man pages and install ------------------------------------------------------------------

# Lower-case letters and digits only: roff's line breaks, hyphenation and escapes fall away.
squeeze() { tr -dc '[:alnum:]' | tr '[:upper:]' '[:lower:]'; }

# A header field of SOURCE ("Mechanism"...): its text from the field's line to the next field.
field_of() {
	awk -v f="$2" 'NR > 1 && /^ \* (Mechanism|What it does|Outcome|Needs|Read next): / { on = index($0, " * " f ": ") == 1 }
		on { sub(/^ \* /, ""); sub("^" f ": ", ""); print } /\*\// { exit }' "$1"
}

@test "make man: a page for every program of bin/, with NAME and the header's sections; man -l reads it" {
	requires tool:make tool:help2man tool:man
	local man=$BATS_TEST_TMPDIR/man p page src text n=0 bad="" s
	run -0 make --no-print-directory -C "$CSECLAB_ROOT" man MAN_OUT="$man"
	for p in $(programs "$CSECLAB_ROOT/bin"); do
		n=$((n + 1))
		page=$man/man1/$p.1
		if [ ! -f "$page" ]; then
			bad+="$p: no $page"$'\n'
			continue
		fi
		if ! text=$(LC_ALL=C MANWIDTH=200 man -P cat -l "$page" 2>&1); then
			bad+="$p: man -l $page failed: $text"$'\n'
			continue
		fi
		src=$(source_of "$p")
		for s in NAME SYNOPSIS DESCRIPTION MECHANISM OUTCOME NEEDS "SEE ALSO"; do
			grep -qx "$s" <<<"$text" || bad+="$p: no $s section"$'\n'
		done
		# NAME is the header's first sentence; MECHANISM holds the header's Mechanism field.
		grep -qxF "       $p - $(head -n 1 "$src" | sed 's|^/\* [^ ]* - ||; s/\.$//')" <<<"$text" ||
			bad+="$p: NAME is not the header's first sentence"$'\n'
		[[ $(squeeze <<<"$text") == *"$(field_of "$src" Mechanism | squeeze)"* ]] ||
			bad+="$p: the page lacks the header's Mechanism text"$'\n'
	done
	[ "$n" -gt 1 ] || fail "no programs in $CSECLAB_ROOT/bin"
	[ -z "$bad" ] || fail "pages that are missing or incomplete (of $n programs):"$'\n'"$bad"
}

@test "make install DESTDIR=... PREFIX=/usr: every program and its page under DESTDIR; uninstall removes them" {
	requires tool:make tool:help2man
	local dest=$BATS_TEST_TMPDIR/dest p n=0 bad=""
	local args=(--no-print-directory -C "$CSECLAB_ROOT" DESTDIR="$dest" PREFIX=/usr MAN_OUT="$BATS_TEST_TMPDIR/man")
	# First what it would run: every install command writes under DESTDIR, never to /usr.
	run -0 make "${args[@]}" -n install
	[ "$(grep -c '^install ' <<<"$output")" -ge 3 ] || fail "make -n install shows no install command: $output"
	if grep '^install ' <<<"$output" | grep -vF "$dest/usr/"; then
		fail "an install command outside DESTDIR"
	fi
	run -0 make "${args[@]}" install
	for p in $(programs "$CSECLAB_ROOT/bin"); do
		n=$((n + 1))
		cmp -s "$CSECLAB_ROOT/bin/$p" "$dest/usr/bin/$p" || bad+="$p: not in $dest/usr/bin"$'\n'
		[ -x "$dest/usr/bin/$p" ] || bad+="$p: not executable in $dest/usr/bin"$'\n'
		[ -s "$dest/usr/share/man/man1/$p.1" ] || bad+="$p: no page in $dest/usr/share/man/man1"$'\n'
	done
	[ "$n" -gt 1 ] || fail "no programs in $CSECLAB_ROOT/bin"
	[ -z "$bad" ] || fail "not installed (of $n programs):"$'\n'"$bad"
	# Nothing else: one program and one page each.
	run -0 find "$dest" -type f
	[ "${#lines[@]}" -eq $((2 * n)) ] || fail "expected $((2 * n)) files under $dest: $output"
	run -0 make "${args[@]}" uninstall
	run -0 find "$dest" -type f
	assert_output ""
}
