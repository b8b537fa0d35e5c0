load helpers
# lanes: host
#
# The lanes of the suite (scripts/test): every test runs in at least one lane. A file names its
# lanes on its `# lanes:` line; the host and docker lanes run all of a file's tests, a VM lane
# only those tagged with its name (`# bats test_tags=vm`). A test tagged for no lane its file
# names would silently never run: `scripts/test lanes` finds it.

setup() {
	requires tool:bats
	TREE=$(mktemp -d /tmp/cseclab-lanes.XXXXXX)
	mkdir -p "$TREE/scripts" "$TREE/tests/docker"
	cp "$CSECLAB_ROOT/scripts/test" "$TREE/scripts/"
}

teardown() {
	rm -rf "$TREE"
}

# lanes_of_tree FILE CONTENT: a throw-away tree with this one test file, checked.
lanes_of_tree() {
	printf '%s\n' "$2" >"$TREE/tests/$1"
	run "$TREE/scripts/test" lanes
}

@test "scripts/test lanes: every test of this suite runs in at least one lane" {
	run "$CSECLAB_ROOT/scripts/test" lanes
	assert_success
	# one line per file, and the VM lane takes part of the host files, all of the VM-only ones
	local n
	n=$(find "$CSECLAB_ROOT/tests" -maxdepth 2 -name '*.bats' | wc -l)
	[ "$(grep -c '^# tests/.*\.bats: [0-9]* tests;' <<<"$output")" -eq "$n" ] ||
		fail "not one line per bats file ($n files): $output"
	assert_line --regexp '^# tests/20-cgroups\.bats: ([0-9]+) tests; host:\1 vm:[1-9][0-9]* \([1-9][0-9]* measure CPU time\)$'
	assert_line --regexp '^# tests/60-vm\.bats: ([0-9]+) tests; vm:\1$'
	assert_line --regexp '^# tests/51-selinux\.bats: ([0-9]+) tests; vm-selinux:\1$'
}

@test "scripts/test lanes: a VM-only file with an untagged test fails the check (control: tagged, it passes)" {
	lanes_of_tree 60-x.bats $'# lanes: vm\n# bats test_tags=vm\n@test "a" { true; }\n@test "b" { true; }'
	assert_failure 1
	assert_line "tests/60-x.bats: 1 of its 2 tests run in no lane (tag them with a lane of its '# lanes:' line)"
	lanes_of_tree 60-x.bats $'# lanes: vm\n# bats file_tags=vm\n@test "a" { true; }\n@test "b" { true; }'
	assert_success
	assert_output '# tests/60-x.bats: 2 tests; vm:2'
}

@test "scripts/test lanes: a file naming a VM lane with no test tagged for it, a tag its file does not name, no lanes line: each fails" {
	lanes_of_tree 20-x.bats $'# lanes: host vm\n@test "a" { true; }'
	assert_failure 1
	assert_line "tests/20-x.bats: names the vm lane, but no test is tagged vm (# bats test_tags=vm)"
	lanes_of_tree 20-x.bats $'# lanes: host\n# bats test_tags=vm-selinux\n@test "a" { true; }'
	assert_failure 1
	assert_line "tests/20-x.bats: 1 test(s) tagged vm-selinux, but the file does not name that lane"
	lanes_of_tree 20-x.bats $'@test "a" { true; }'
	assert_failure 1
	assert_line "tests/20-x.bats: no '# lanes:' line: it runs in no lane"
	# control: the same file with its lanes right
	lanes_of_tree 20-x.bats $'# lanes: host vm\n# bats test_tags=vm\n@test "a" { true; }\n@test "b" { true; }'
	assert_success
	assert_output '# tests/20-x.bats: 2 tests; host:2 vm:1'
}

# The CI run of stop 19 failed this way: "guide: Cgroups" ran cpuquota next to the two VM boots.
# shellcheck disable=SC2016 # the chapter lines are literal markdown
@test "scripts/test lanes: a guide test whose chapter runs cpushares or cpuquota must be tagged measures-cpu (control: tagged)" {
	mkdir -p "$TREE/labs/x"
	printf '```console\n$ cpuquota -t 2\n...\n```\n' >"$TREE/labs/x/chapter.md"
	lanes_of_tree 90-x.bats $'# lanes: host\n@test "guide: X" { guide labs/x/chapter.md; }'
	assert_failure 1
	assert_line "tests/90-x.bats: the test of labs/x/chapter.md runs cpuquota, which measure CPU time: tag it measures-cpu"
	lanes_of_tree 90-x.bats $'# lanes: host\n# bats test_tags=measures-cpu\n@test "guide: X" { guide labs/x/chapter.md; }'
	assert_success
	assert_output '# tests/90-x.bats: 1 tests; host:1 (1 measure CPU time)'
	# a chapter that measures nothing needs no tag
	printf '```console\n$ nsinfo\n...\n```\n' >"$TREE/labs/x/chapter.md"
	lanes_of_tree 90-x.bats $'# lanes: host\n@test "guide: X" { guide labs/x/chapter.md; }'
	assert_success
}
