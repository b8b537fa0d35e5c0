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

# The convention for programs made of several files (README, Conventions; the Makefile's header).
@test "a program made of several files: its parts, named in build.mk, link into it and are no program themselves" {
	requires tool:make tool:cc
	local t=$BATS_TEST_TMPDIR/tree
	mkdir -p "$t/labs/demo"
	cp -r "$CSECLAB_ROOT/Makefile" "$CSECLAB_ROOT/common" "$t/"
	printf '#include "greet.h"\nint main(void)\n{\n\treturn greet();\n}\n' >"$t/labs/demo/hello.c"
	printf 'int greet(void);\n' >"$t/labs/demo/greet.h"
	printf '#include "greet.h"\nint greet(void)\n{\n\treturn 42;\n}\n' >"$t/labs/demo/greet.c"
	printf 'this is not C: an eBPF object has its own rule\n' >"$t/labs/demo/probe.bpf.c"
	printf 'PARTS_hello := labs/demo/greet.c\n' >"$t/labs/demo/build.mk"
	run -0 make --no-print-directory -C "$t"
	run -42 "$t/bin/hello"
	assert_file_not_exists "$t/bin/greet"
	assert_file_not_exists "$t/bin/probe.bpf"
	# The control: without its PARTS_ line, greet.c is taken for a program, which has no main.
	: >"$t/labs/demo/build.mk"
	rm -rf "${t:?}/bin" "${t:?}/build"
	run make --no-print-directory -C "$t" bin/greet
	assert_failure
	assert_output --partial "undefined reference to \`main'"
}
