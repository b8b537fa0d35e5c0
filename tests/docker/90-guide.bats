#!/usr/bin/env bats
# lanes: docker
# The Docker chapter of LAB_GUIDE.md, run against the engine this lane started (the host
# lane skips these examples: no engine answers there).
load ../helpers

@test "guide: The same with Docker, every example against a real engine" {
	requires lab:docker
	run "$CSECLAB_ROOT/scripts/guide-examples" "$CSECLAB_ROOT/docker/chapter.md"
	assert_success
	refute_output --partial "skip:"
}
