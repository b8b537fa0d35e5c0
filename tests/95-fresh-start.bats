#!/usr/bin/env bats
# lanes: host
# The fresh start (issue 13): CI runs the README's own commands and nothing else, and the
# Makefile needs a library only to build the programs that link it. The whole fresh machine
# (Debian's base, make and git) is tests/docker/95-fresh-machine.bats.
load helpers

# The README's "Two commands": its section's first indented block, comments dropped, one command
# a line ("make tour", ...). Lines indented further continue a comment.
readme_commands() {
	awk '/^## / { on = ($0 == "## Two commands") }
		on && /^    / { block = 1; if (/^    [^ ]/) { sub(/#.*/, ""); gsub(/^ +| +$/, ""); print }; next }
		on && block { exit }' "$CSECLAB_ROOT/README.md"
}

@test ".ci/run runs exactly the README's two commands, in order, with no set-up of its own" {
	run readme_commands
	assert_success
	# A control: the section is found and holds the two commands a learner types.
	assert_equal "$output" $'make tour\nmake test'
	local readme=$output
	# Every line of .ci/run that is not a comment, blank, `set` or the `cd` to the top.
	# shellcheck disable=SC2016 # a regular expression: $ and $( are meant literally
	run grep -vE '^[[:space:]]*(#|$|set -euo pipefail$|cd "\$\(dirname "\$0"\)/\.\."$)' "$CSECLAB_ROOT/.ci/run"
	assert_success
	assert_equal "$output" "$readme"
}

# make with no library visible to pkg-config: PKG_CONFIG_LIBDIR replaces its search path.
make_nolibs() {
	PKG_CONFIG_LIBDIR=$BATS_TEST_TMPDIR/no-pc make --no-print-directory -C "$CSECLAB_ROOT" \
		OUT="$BATS_TEST_TMPDIR/bin" OBJ="$BATS_TEST_TMPDIR/obj" "$@"
}

@test "make help and the set-up targets parse without any -dev package" {
	requires tool:make tool:pkg-config
	mkdir "$BATS_TEST_TMPDIR/no-pc"
	run -0 make_nolibs help
	assert_line --regexp '^  tour +'
	# -n: what they would run, without running it (make setup would install packages).
	run -0 make_nolibs -n setup tour test clean clean-system
	assert_line 'scripts/setup'
	assert_line 'scripts/setup labs'
	assert_line 'scripts/setup all'
	assert_line 'scripts/cleanup'
}

@test "a missing library stops only the programs that link it, naming the package to install" {
	requires tool:make tool:pkg-config tool:cc
	mkdir "$BATS_TEST_TMPDIR/no-pc"
	run -2 make_nolibs "$BATS_TEST_TMPDIR/bin/filter"
	assert_output --partial "bin/filter needs libseccomp: apt-get install libseccomp-dev (or make setup)"
	assert_file_not_exists "$BATS_TEST_TMPDIR/bin/filter"
	run -2 make_nolibs "$BATS_TEST_TMPDIR/bin/apiserver"
	assert_output --partial "bin/apiserver needs libmicrohttpd jansson: apt-get install libmicrohttpd-dev libjansson-dev (or make setup)"
	# ns links no library: it builds and runs without any.
	run -0 make_nolibs "$BATS_TEST_TMPDIR/bin/ns"
	run -0 "$BATS_TEST_TMPDIR/bin/ns" --help
	# The control: with pkg-config's own search path, the same make builds filter.
	run -0 make --no-print-directory -C "$CSECLAB_ROOT" OUT="$BATS_TEST_TMPDIR/bin" \
		OBJ="$BATS_TEST_TMPDIR/obj" "$BATS_TEST_TMPDIR/bin/filter"
	run -0 "$BATS_TEST_TMPDIR/bin/filter" --help
}
