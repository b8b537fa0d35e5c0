#!/usr/bin/env bats
# lanes: host
# Every demo of the course (../shared/COURSE-DEMOS.md, items 1-107) is reproduced by a named
# test or waived with a reason (tests/course-map/*.tsv).
load helpers

@test "every course demo is mapped to an existing test or a waiver with its reason" {
	run "$CSECLAB_ROOT/scripts/course-map" check
	assert_success
}
