load ../helpers
load docker
# lanes: docker
# The fresh start (issue 13): a new learner's Debian 12 (debootstrap minbase, so apt, plus make
# and git; nothing else: scripts/mkbase bookworm-fresh) clones this repository and types the
# README's first command, `make tour`. It must install what it needs, build, and show the same
# steps with the same verdicts as the tour of this machine. A missing install step shows up as
# a step skipped ("needs tool:...") or not shown in the container only, and fails here.
#
# What is cloned is the committed HEAD of the checkout under test, as a learner would get it:
# uncommitted changes are not in the clone (commit them before trusting this test), while this
# machine's tour runs the working tree; a difference between the two step lists says so.
#
# The container is as close to this machine's root as this engine allows: every capability the
# host's bounding set has (Docker 20.10's ALL stops at audit_read), no seccomp filter, no
# AppArmor profile, no masked /proc paths, an init, the host's cgroup namespace and cgroup tree
# (read-write), the host's network for apt. apt reuses the .debs this machine already downloaded: hard links to them in a
# directory of this test, mounted as the container's package cache (apt writes new files there
# and renames over names, so the host's cache is never changed).

FRESH=cseclab-fresh

setup_file() {
	docker_setup_file
	requires root tool:git
	local out
	if ! out=$("$CSECLAB_ROOT/scripts/mkbase" bookworm-fresh 2>&1); then
		echo "$out" >&3
		return 1
	fi
}
teardown_file() { docker_teardown_file; }
teardown() { rm_containers; }

# The summary of a tour: one "VERDICT<TAB>STEP" line per step, in order, from lines like
# "  shown    STEP", "  skipped  STEP (REASON)" and "  FAILED   STEP".
tour_summary() {
	awk '/^Summary$/ { on = 1; next } on && /^  (shown|skipped|FAILED) / {
		v = $1; sub(/^  [a-zA-Z]+ +/, ""); print v "\t" $0 }' <<<"$1"
}

# A skip's reason (after " (") may name a path or a number of the machine: lines compare up to
# their first " (".
cut_reasons() { sed 's/ (.*//'; }

# run the container's make tour and this machine's tour; compare their step lists and verdicts.
# Both tours include cpushares, which measures CPU time: the test runs in make test's CPU stage.
# bats test_tags=measures-cpu
@test "a fresh Debian 12 with make and git: make tour from a clone shows this machine's tour" {
	local t=$BATS_FILE_TMPDIR start
	start=$(date +%s)
	git clone --quiet --bare "$CSECLAB_ROOT" "$t/cseclab.git"

	mkdir -p "$t/archives/partial"
	# Hard links need the same filesystem; without them apt downloads (slower, same result).
	find /var/cache/apt/archives -maxdepth 1 -name '*.deb' -exec ln -t "$t/archives" {} + 2>/dev/null ||
		echo "# no hard links to /var/cache/apt/archives here: apt downloads every package" >&3

	# dpkg without fsync: a throw-away container need not survive a power cut (saves ~10 s).
	echo force-unsafe-io >"$t/unsafe-io"
	# No mount point inside may be named cseclab*: the steps' leftover checks would see it.
	# --init reaps orphans as a real machine's init does; systempaths=unconfined leaves /proc
	# unmasked, so that a user namespace may mount its own proc there.
	local opts=(--init --cap-add ALL --security-opt seccomp=unconfined
		--security-opt systempaths=unconfined --cgroupns host
		-v /sys/fs/cgroup:/sys/fs/cgroup --network host
		-v "$t/archives:/var/cache/apt/archives" -v "$t/cseclab.git:/srv/git/labs.git:ro"
		-v "$t/unsafe-io:/etc/dpkg/dpkg.cfg.d/unsafe-io:ro")
	# A capability the host's root lacks (CAP_SYS_RESOURCE, bit 24, here) cannot be given.
	local bnd
	bnd=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
	(((0x$bnd >> 24) & 1)) || opts+=(--cap-drop SYS_RESOURCE)
	if doctor --check apparmor >/dev/null 2>&1; then opts+=(--security-opt apparmor=unconfined); fi
	run -0 docker run -d --name "$FRESH" "${opts[@]}" cseclab/bookworm-fresh sleep infinity

	# Nothing but Debian's base, make and git: no compiler, no pkg-config, no bats.
	# shellcheck disable=SC2016 # $c is for the container's shell
	run -0 docker exec "$FRESH" sh -c 'for c in make git apt-get cc pkg-config bats; do
		command -v $c || echo "no $c"; done'
	assert_output $'/usr/bin/make\n/usr/bin/git\n/usr/bin/apt-get\nno cc\nno pkg-config\nno bats'

	run -0 docker exec "$FRESH" git clone --quiet /srv/git/labs.git /root/cseclab
	# make help needs no -dev package (the Makefile runs pkg-config only when it builds).
	run -0 docker exec -w /root/cseclab "$FRESH" make help
	assert_line --regexp '^  tour +'

	run docker exec -w /root/cseclab "$FRESH" make tour
	local fresh_status=$status fresh=$output took=$(($(date +%s) - start))
	echo "# fresh machine: clone, apt and make tour took ${took}s" >&3

	run env CSECLAB_LANE=host "$CSECLAB_ROOT/scripts/tour"
	local host_status=$status host=$output
	echo "# this machine's tour took $(($(date +%s) - start - took))s" >&3

	[ "$host_status" -eq 0 ] || fail "this machine's tour has steps not shown: $(tour_summary "$host" | grep FAILED)"
	local f h
	f=$(tour_summary "$fresh")
	h=$(tour_summary "$host")
	# A control: the summary was found and holds every tour step of the host lane's files.
	[ -n "$h" ] || fail "no summary in this machine's tour: $host"
	local steps=0 file n
	for file in "$CSECLAB_ROOT"/tests/*.bats; do
		grep -qE '^# lanes:.*\bhost\b' "$file" || continue
		n=$(grep -c '^@test "tour: ' "$file") || true # grep -c exits 1 when it counts 0
		steps=$((steps + n))
	done
	assert_equal "$(wc -l <<<"$h")" "$steps"
	if [ -z "$f" ]; then
		printf '%s\n' "$fresh" | tail -n 40
		fail "make tour in the fresh container ended before its summary (exit $fresh_status)"
	fi
	# Same steps, same order, same verdicts.
	if [ "$(cut_reasons <<<"$f")" != "$(cut_reasons <<<"$h")" ]; then
		diff -u --label "this machine" --label "fresh container" <(echo "$h") <(echo "$f") || true
		fail "the fresh container's tour differs from this machine's (a clone has only committed work)"
	fi
	assert_equal "$fresh_status" 0
	run docker rm -f "$FRESH"
	assert_success
}

@test "the fresh machine leaves nothing behind: no container, cgroup, queue or mount" {
	assert_no_docker_leftovers
	assert_no_leftovers
}
