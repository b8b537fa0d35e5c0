load helpers
# lanes: host vm
#
# The cgroups labs on this kernel: cgroup v1 hybrid on the host, pure v2 in the VM. Every test
# asserts a number the kernel produced (a measured CPU share, pids.current, an OOM kill, an
# errno) and that the program left no cgroup and no process behind.

# measured STAGE GROUP / expected STAGE GROUP / of_cpu STAGE GROUP: from cpushares' stage table
#   "  CG1   ####|....  shares 1024  expected 28.6 %  measured 28.4 % of the tree, 28.3 % of the CPU"
measured() {
	awk -v s="stage $1:" -v g="$2" 'index($0, s) == 1 {on = 1; next}
		/^stage / {on = 0} on && $1 == g {print $9}' <<<"$output"
}
expected() {
	awk -v s="stage $1:" -v g="$2" 'index($0, s) == 1 {on = 1; next}
		/^stage / {on = 0} on && $1 == g {print $6}' <<<"$output"
}
of_cpu() {
	awk -v s="stage $1:" -v g="$2" 'index($0, s) == 1 {on = 1; next}
		/^stage / {on = 0} on && $1 == g {print $14}' <<<"$output"
}
# window STAGE FIELD: a number of the stage's line "cpu 0: window 2000 ms, tree 1998 ms, other
# work 2 ms, idle 0 ms" (FIELD: window, tree, work, idle), in ms
window() {
	awk -v s="stage $1:" -v f="$2" 'index($0, s) == 1 {on = 1; next}
		on && /^cpu [0-9]+: window / {for (i = 3; i < NF; i++) if ($i == f) print $(i + 1); exit}' <<<"$output"
}

# near VALUE TARGET POINTS: |VALUE - TARGET| <= POINTS, with a readable failure.
near() {
	[ -n "$1" ] || fail "no measured value for target $2 in: $output"
	awk -v v="$1" -v t="$2" -v p="$3" 'BEGIN { exit !(v - t <= p && t - v <= p) }' ||
		fail "measured $1, expected $2 +/- $3 points"
}

# ---- what limits a CPU measurement (the tolerances below come from these) ------------------

# share_tol STAGE [LAGS]: points a group's share of the tree may be off in STAGE: the scheduler's
# lag over the tree's CPU time in the window, LAGS times (default 3). A group's lag may differ at
# the window's two ends (2 lags); a group below one that shares the CPU inherits half of its
# parent's lag as well (3 lags: CG4 and CG5 below CG3).
share_tol() {
	local tree
	tree=$(window "$1" tree)
	[ -n "$tree" ] || fail "no tree time for stage $1 in: $output"
	awk -v l="$(lag_us)" -v t="$tree" -v n="${2:-3}" 'BEGIN { printf "%.1f", 100 * n * l / (t * 1000) }'
}

# run_cpu CMD...: run_lab cgroup-cpu CMD, except that a measurement other work on the CPU made
# impossible (exit 77 with "busy: " and the numbers) is a skip that says so, never a pass.
run_cpu() {
	local out
	run "$@"
	[ "$status" -eq 77 ] || return 0
	if grep -q 'cannot run here: busy: ' <<<"$output"; then
		skip "${output##*cannot run here: }"
	fi
	if out=$(doctor --check cgroup-cpu 2>&1); then
		fail "$1 says it cannot run here (exit 77: $output), but doctor says 'cgroup-cpu' is available: $out"
	fi
	skip "$1: ${output##*cannot run here: }"
}

# No process of NAME left that is still alive (zombies waiting for init do not count).
assert_no_process() {
	local left
	left=$(ps -eo stat=,comm= | awk -v n="$1" '$2 == n && $1 !~ /^Z/' | wc -l)
	[ "$left" -eq 0 ] || fail "$left live $1 process(es) left"
}

# The cgroups of these labs (other topics' tests may run at the same time with their own).
assert_no_cgroups_left() {
	local l
	l=$(leftovers | grep -E '^cgroup .*cseclab-(cpushares|forkbomb|memlimit|cpuquota|cgtree|devcg)' || true)
	[ -z "$l" ] || fail "left behind: $l"
}

# Stop a lab started in the background with SIGTERM; it must die of that signal.
term_and_wait() {
	local rc=0
	kill -TERM "$1"
	wait "$1" || rc=$?
	[ "$rc" -eq 143 ] || fail "exit status $rc, not 143 (SIGTERM)"
}

teardown() {
	[ -z "${memlimit_ref:-}" ] || rmdir "$memlimit_ref" 2>/dev/null || true # a failed test's control
	# A failed --measure test's: its cpushares (which takes its burners with it), then its groups.
	if [ -n "${measure_pid:-}" ]; then
		kill -TERM "$measure_pid" 2>/dev/null || true
		wait "$measure_pid" 2>/dev/null || true
	fi
	local d
	for d in "${measure_dirs[@]}"; do rmdir "$d" 2>/dev/null || true; done
	[ -z "${cgtree_ns:-}" ] || rmdir "$cgtree_ns" 2>/dev/null || true
	assert_no_cgroups_left
}

# ---- cpushares ---------------------------------------------------------------------------

# bats test_tags=vm,measures-cpu
@test "tour: cpushares: the course's tree splits one CPU 28.6 / 57.1 / 7.1 / 7.1" {
	requires lab:cpushares
	show cpushares -t 1 --tolerance 100
	if [ "$status" -eq 77 ] && grep -q 'cannot run here: busy: ' <<<"$output"; then
		skip "${output##*cannot run here: }"
	fi
	assert_success
	assert_line --regexp '^cpuset.cpus: 0$'
	assert_line --regexp '^cpuset.mems: [0-9]+$'
	assert_line --regexp '^CG1 +cpu\.(shares 1024|weight 100) \(default (1024|100)\)'
	assert_line --regexp '^CG1/CG2 +cpu\.(shares 2048|weight 200) \(default (1024|100)\)'
	assert_line --regexp '^CG1/CG3 +cpu\.(shares 512|weight 50) \(default (1024|100)\)'
	local tol
	tol=$(share_tol 4) # the scheduler's lag over the tree's time in the window (share_tol)
	near "$(measured 4 CG1)" 28.6 "$tol"
	near "$(measured 4 CG2)" 57.1 "$tol"
	near "$(measured 4 CG4)" 7.1 "$tol"
	near "$(measured 4 CG5)" 7.1 "$tol"
	assert_no_process cpushares
}

# bats test_tags=vm,measures-cpu
@test "cpushares: every stage of the course within the scheduler's lag (100; 33.3/66.7; 28.6/57.1/14.3; 28.6/57.1/7.1/7.1)" {
	requires lab:cpushares
	run_cpu cpushares -t 2 --tolerance 100
	assert_success
	# Stage 1, measured against the CPU, not the tree: CG1's burner alone takes what other
	# work leaves of CPU 0 (the tree's time plus the idle time), at least 90 % of it: our
	# window's two /proc/stat readings are off by at most a clock tick (10 ms) each, and
	# cpushares says "busy" when less than 10 x that is left.
	local cpu1 free
	cpu1=$(of_cpu 1 CG1)
	free=$(awk -v w="$(window 1 window)" -v o="$(window 1 work)" 'BEGIN { print w - o }')
	awk -v c="$cpu1" -v w="$(window 1 window)" -v f="$free" 'BEGIN { exit !(c * w / 100 >= 0.9 * f) }' ||
		fail "stage 1: CG1 had $cpu1 % of the CPU's $(window 1 window) ms, less than 90 % of the $free ms other work left"
	assert_line --regexp '^stage 1: CG1 took (9[0-9]|100)\.[0-9] % of the CPU time other work left'
	# The course's numbers, pinned here, not only what the program computed; each within
	# the scheduler's lag over the tree's time in that stage's window (share_tol).
	local tol2 tol3 tol4
	tol2=$(share_tol 2 2) # CG1's burner and CG2 share CG1 directly
	tol3=$(share_tol 3)
	tol4=$(share_tol 4)
	near "$(measured 2 CG1)" 33.3 "$tol2"
	near "$(measured 2 CG2)" 66.7 "$tol2"
	near "$(measured 3 CG1)" 28.6 "$tol3"
	near "$(measured 3 CG2)" 57.1 "$tol3"
	near "$(measured 3 CG4)" 14.3 "$tol3"
	near "$(measured 4 CG1)" 28.6 "$tol4"
	near "$(measured 4 CG2)" 57.1 "$tol4"
	near "$(measured 4 CG4)" 7.1 "$tol4"
	near "$(measured 4 CG5)" 7.1 "$tol4"
	# and its theory agrees with the course's table
	assert_equal "$(expected 4 CG1) $(expected 4 CG2) $(expected 4 CG4) $(expected 4 CG5)" "28.6 57.1 7.1 7.1"
	# Equal shares, equal CPU: CG4 and CG5 each within the lag, so apart by at most twice it.
	near "$(measured 4 CG4)" "$(measured 4 CG5)" "$(awk -v t="$tol4" 'BEGIN { print 2 * t }')"
	assert_no_process cpushares
}

# bats test_tags=vm,measures-cpu
@test "cpushares: CG3 has weight but no task, so it takes nothing until CG4 runs" {
	requires lab:cpushares
	run_cpu cpushares -t 1 --tolerance 100 --tree 'CG1=1024+,CG1/CG2=2048+,CG1/CG3=512'
	assert_success
	# CG3's 512 would make CG1 28.6 % and CG2 57.1 % if it counted; without a runnable task it
	# does not. CG1's burner and CG2 share CG1 directly: two lags (share_tol), about 3 points
	# at -t 1 on 2 CPUs, less than the 4.7 and 9.6 points a counted CG3 would move them.
	local tol
	tol=$(share_tol 2 2)
	near "$(measured 2 CG1)" 33.3 "$tol"
	near "$(measured 2 CG2)" 66.7 "$tol"
	refute_line --regexp '^ +CG3 +[#.|]+ +shares'
}

# bats test_tags=vm,measures-cpu
@test "cpushares: --tree with another split (1:3) and --json" {
	requires lab:cpushares tool:jq
	run_cpu cpushares -t 1 --tolerance 100 --json --tree 'A=256+,B=768+'
	assert_success
	local tree tol
	tree=$(jq -r '.stages[1].tree_ms' <<<"$output")
	# A and B share the CPU directly: each one's lag may differ at the window's ends (2 x lag).
	tol=$(awk -v l="$(lag_us)" -v t="$tree" 'BEGIN { printf "%.1f", 100 * 2 * l / (t * 1000) }')
	run jq -r '.stages[1].groups[] | "\(.name) \(.expected) \(.measured)"' <<<"$output"
	assert_success
	assert_line --regexp '^A 25 '
	assert_line --regexp '^B 75 '
	near "$(awk '$1 == "B" {print $3}' <<<"$output")" 75 "$tol"
}

@test "cpushares: exit 1 when a group is further from theory than --tolerance" {
	requires lab:cpushares
	# A measured share is never exactly its theory (CPU time counts in nanoseconds, the
	# error is taken before rounding), so --tolerance 0 must fail.
	run_cpu cpushares -t 0.5 --tolerance 0 --tree 'A=1024+,B=1024+'
	assert_failure 1
	assert_line --partial "result: off by"
}

# bats test_tags=vm
@test "cpushares: on cgroup v2 CG1's burner runs in the leaf CG1/self, weights 100/200/50" {
	requires lab:cpushares
	# Only the weights read back are asserted here: any split passes (--tolerance 100).
	run_cpu cpushares -t 0.5 --tolerance 100 --tree 'CG1=1024+,CG1/CG2=2048+'
	assert_success
	if ! grep -q '^cgroup: v2' <<<"$output"; then
		skip "the cpu controller is on cgroup v1 here (the VM lane runs this on v2)"
	fi
	assert_line --regexp '^CG1 +cpu.weight 100 \(default 100\), its burner in the leaf self/'
	assert_line --regexp '^CG1/CG2 +cpu.weight 200 \(default 100\)$'
}

# bats test_tags=vm
@test "cpushares -v on cgroup v2 narrates the delegation: +cpu into a parent's cgroup.subtree_control before the child's mkdir" {
	requires lab:cpushares
	# Only the narration is asserted here: any split passes (--tolerance 100).
	run_cpu cpushares -v -t 0.5 --tolerance 100 --tree 'A=1024+,A/B=1024+'
	assert_success
	if ! grep -q '^cgroup: v2' <<<"$output"; then
		skip "the cpu controller is on cgroup v1 here, which delegates nothing (the VM lane runs this on v2)"
	fi
	local a write
	a=$(sed -n 's|^cpushares: mkdir \(/.*/cseclab-cpushares/A\)$|\1|p' <<<"$output")
	[ -n "$a" ] || fail "no mkdir of A narrated in: $output"
	write="cpushares: echo +cpu > $a/cgroup.subtree_control"
	assert_line "$write"
	# The write comes before A's child B exists (B would have no cpu.weight otherwise).
	run awk -v w="$write" -v m="cpushares: mkdir $a/B" \
		'$0 == w { at_w = NR } $0 == m { at_m = NR } END { exit !(at_w && at_m && at_w < at_m) }' <<<"$output"
	assert_success
}

@test "cpushares: bad input is a usage error (exit 2) and creates nothing" {
	run cpushares -t abc
	assert_failure 2
	assert_output --partial "-t: 'abc' is not a number"
	run cpushares --tree 'CG1=abc+'
	assert_failure 2
	assert_output --partial "is not a number in 2..262144"
	run cpushares --tree 'CG1=999999+'
	assert_failure 2
	run cpushares --tree 'CG1=1+'
	assert_failure 2
	run cpushares --tree 'A/B=1024+'
	assert_failure 2
	assert_output --partial "parent 'A' of B must come before it"
	run cpushares --tree 'A=1024'
	assert_failure 2
	assert_output --partial "no group has a burner"
	run cpushares --tree 'A=1024+x'
	assert_failure 2
	run cpushares --bogus
	assert_failure 2
}

@test "cpushares: not root is exit 77 with the reason" {
	requires lab:cpushares
	run as_user cpushares -t 1
	assert_failure 77
	assert_output --partial "cannot run here: needs root"
}

# bats test_tags=vm
@test "cpushares: SIGTERM mid-run removes every cgroup and burner" {
	requires lab:cpushares
	cpushares -t 5 >/dev/null 2>&1 &
	local pid=$! i cpu
	cpu=$(cg_mount cpu | cut -d" " -f1)
	for i in $(seq 50); do
		[ -e "$cpu/cseclab-cpushares" ] && break
		sleep 0.1
	done
	sleep 1
	leftovers | grep -q cseclab-cpushares || fail "cpushares created no cgroup"
	term_and_wait "$pid"
	assert_no_cgroups_left
	assert_no_process cpushares
}

# ---- cpushares --measure: groups someone else made ---------------------------------------

# make_groups SHARES...: one cgroup per value, made here by hand under the cpu controller's
# hierarchy (cseclab-cpushares-m1, -m2...) with that v1 cpu.shares, or on v2 the cpu.weight of
# the same ratio (SHARES x 100 / 1024: 1024 -> 100, the default of each). Sets measure_dirs.
make_groups() {
	local mnt root ver s d i=0
	read -r mnt root ver < <(cg_mount cpu) || fail "doctor says cgroup-cpu, but no mount has cpu"
	if [ "$ver" = 2 ] && ! grep -qw cpu "$mnt/cgroup.subtree_control"; then
		echo +cpu >"$mnt/cgroup.subtree_control" # as the labs do: never taken back
	fi
	measure_dirs=()
	for s in "$@"; do
		i=$((i + 1))
		d=$mnt/cseclab-cpushares-m$i
		mkdir "$d"
		measure_dirs+=("$d")
		if [ "$ver" = 1 ]; then
			echo "$s" >"$d/cpu.shares"
		else
			echo $((s * 100 / 1024)) >"$d/cpu.weight"
		fi
	done
}

# Remove the groups: at once, or cpushares left a process (a burner) in one of them.
remove_groups() {
	local d
	for d in "${measure_dirs[@]}"; do
		rmdir "$d" || fail "cannot remove $d: $(wc -l <"$d/cgroup.procs" 2>/dev/null) process(es) left in it"
	done
	measure_dirs=()
}

# in_group DIR: the percent of "measured: DIR PCT"
in_group() {
	awk -v d="$1" '$1 == "measured:" && $2 == d { print $3 }' <<<"$output"
}

# measure_tol: two groups share the CPU directly, each one's lag may differ at the window's two
# ends (2 lags, as share_tol), over the burners' CPU time in the window ("total: N ms").
measure_tol() {
	local total
	total=$(sed -n 's/^total: \([0-9]*\) ms$/\1/p' <<<"$output")
	[ -n "$total" ] || fail "no total CPU time in: $output"
	awk -v l="$(lag_us)" -v t="$total" 'BEGIN { printf "%.1f", 100 * 2 * l / (t * 1000) }'
}

# bats test_tags=vm,measures-cpu
@test "cpushares --measure: two groups made by hand, shares 1024 and 2048, split one CPU 33.3 / 66.7" {
	requires root cgroup-cpu
	make_groups 1024 2048
	run_cpu cpushares --measure -t 2 "${measure_dirs[@]}"
	assert_success
	# The weights it read back are the ones written here.
	assert_line --regexp "^group: ${measure_dirs[0]} cpu\.(shares 1024|weight 100)\$"
	assert_line --regexp "^group: ${measure_dirs[1]} cpu\.(shares 2048|weight 200)\$"
	# One CPU for both burners: on two free CPUs each would take a whole one (50 / 50).
	local tol
	tol=$(measure_tol)
	near "$(in_group "${measure_dirs[0]}")" 33.3 "$tol"
	near "$(in_group "${measure_dirs[1]}")" 66.7 "$tol"
	remove_groups
	assert_no_process cpushares
}

# bats test_tags=vm,measures-cpu
@test "cpushares --measure: control, equal shares split 50 / 50 on the first CPU the caller may use" {
	requires root cgroup-cpu
	make_groups 1024 1024
	# Pinned by the caller to its last CPU: the burners go there, and cpushares says so.
	local last
	last=$(nproc)
	last=$((last - 1))
	run_cpu taskset -c "$last" cpushares --measure -t 2 "${measure_dirs[@]}"
	assert_success
	assert_line --regexp "^cpu: $last "
	local tol
	tol=$(measure_tol)
	near "$(in_group "${measure_dirs[0]}")" 50 "$tol"
	near "$(in_group "${measure_dirs[1]}")" 50 "$tol"
	remove_groups
}

@test "cpushares --measure: a directory that is not a cgroup of the cpu controller is exit 2, named" {
	requires root cgroup-cpu
	run cpushares --measure "$BATS_TEST_TMPDIR"
	assert_failure 2
	assert_output --partial "$BATS_TEST_TMPDIR: not a cgroup directory of the cpu controller"
	run cpushares --measure does-not-start-with-a-slash
	assert_failure 2
	assert_output --partial "not an absolute path"
	# A cgroup, but of another hierarchy (v1: memory or pids has its own mount).
	local other mnt
	mnt=$(cg_mount cpu | cut -d" " -f1)
	other=$(cg_mount pids | cut -d" " -f1)
	if [ "$other" != "$mnt" ]; then
		run cpushares --measure "$other"
		assert_failure 2
		assert_output --partial "$other: not a cgroup directory of the cpu controller"
	fi
	run cpushares --measure --tree A=1024+ "$mnt"
	assert_failure 2
	run cpushares --measure
	assert_failure 2
	run as_user cpushares --measure "$mnt"
	assert_failure 77
	assert_output --partial "needs root"
}

# bats test_tags=vm
@test "cpushares --measure: SIGTERM mid-run kills its burners and leaves the groups empty" {
	requires root cgroup-cpu
	make_groups 1024
	cpushares --measure -t 10 "${measure_dirs[0]}" >/dev/null 2>&1 &
	measure_pid=$!
	local i
	# (cgroup files have no size: read them)
	for i in $(seq 50); do
		if grep -q . "${measure_dirs[0]}/cgroup.procs"; then break; fi
		sleep 0.1
	done
	run grep -c . "${measure_dirs[0]}/cgroup.procs"
	assert_output 1 # its burner
	term_and_wait "$measure_pid"
	measure_pid=
	run cat "${measure_dirs[0]}/cgroup.procs"
	assert_output ""
	remove_groups
	assert_no_process cpushares
}

# ---- forkbomb ----------------------------------------------------------------------------

# bats test_tags=vm
@test "tour: forkbomb: a real fork bomb stops at pids.max 15, forks fail with EAGAIN" {
	requires lab:forkbomb
	show forkbomb -t 1.5
	assert_success
	assert_line "pids.max: 15"
	assert_line "pids.current before the bomb: 1"
	assert_line --regexp '^pids.current: 15 \(highest seen 15, pids.max 15\)$'
	assert_line --regexp '^fork failed with EAGAIN: in [1-9][0-9]* processes'
	assert_line --regexp '^pids.events max: [1-9][0-9]*'
	assert_line --regexp '^host fork during the bomb: ok \([1-9][0-9]* ok, 0 failed\)$'
	assert_line "pids.current after kill: 0"
	assert_line "result: contained at 15 processes"
	assert_no_process forkbomb
}

# bats test_tags=vm
@test "forkbomb: the cap follows pids.max (control: -l 8 stops at 8, not 15)" {
	requires lab:forkbomb
	run_lab cgroup-pids forkbomb -l 8 -t 1
	assert_success
	assert_line --regexp '^pids.current: 8 \(highest seen 8, pids.max 8\)$'
	assert_line "result: contained at 8 processes"
	assert_no_process forkbomb
}

# bats test_tags=vm
@test "forkbomb: pids.peak (Linux 6.1 and later) is the kernel's high-water mark, the cap" {
	requires lab:forkbomb
	run_lab cgroup-pids forkbomb -l 8 -t 1
	assert_success
	# pids.peak came with Linux 6.1 (v1 and v2 alike); older kernels have no such file.
	if [ "$(printf '%s\n' 6.1 "$(uname -r)" | sort -V | head -n 1)" = 6.1 ]; then
		assert_line "pids.peak: 8"
	else
		refute_line --regexp '^pids.peak:'
	fi
}

# bats test_tags=vm
@test "forkbomb: kills the whole cgroup with cgroup.kill on v2, the freezer on v1" {
	requires lab:forkbomb
	# 2 s: under emulation, next to other work, the bomb at 0.2 CPU needs more than 0.5 s to
	# reach pids.max (CI saw 12 of 15 in 0.5 s in the VM lane).
	run_lab cgroup-pids forkbomb -t 2
	assert_success
	if doctor --check cgroup-kill >/dev/null 2>&1; then
		assert_line "kill: cgroup.kill"
	elif grep -q '^cgroup: v1' <<<"$output"; then
		assert_line "kill: freezer.state FROZEN + SIGKILL + THAWED"
	fi
	assert_line "pids.current after kill: 0"
	assert_no_process forkbomb
}

# bats test_tags=vm
@test "forkbomb: SIGTERM mid-bomb kills the bomb and removes the cgroups" {
	requires lab:forkbomb
	forkbomb -t 10 >/dev/null 2>&1 &
	local pid=$!
	sleep 1.5
	term_and_wait "$pid"
	assert_no_cgroups_left
	sleep 0.2
	assert_no_process forkbomb
}

@test "forkbomb: bad limits are usage errors, not root is 77" {
	run forkbomb -l 0
	assert_failure 2
	run forkbomb -l abc
	assert_failure 2
	assert_output --partial "-l: 'abc' is not a number"
	run forkbomb -l 100000
	assert_failure 2
	run forkbomb -t -1
	assert_failure 2
	if [ "$(id -u)" -eq 0 ]; then
		run as_user forkbomb
		assert_failure 77
		assert_output --partial "needs root"
	fi
}

# ---- memlimit ----------------------------------------------------------------------------

# bats test_tags=vm
@test "tour: memlimit: past memory.max the OOM killer sends SIGKILL, peak stays under the limit" {
	requires lab:memlimit
	show memlimit -m 32
	assert_success
	assert_line --regexp '^victim: killed by SIGKILL after [0-9]+ MiB \(the OOM killer\)$'
	assert_line --regexp '^oom_kill: [1-9][0-9]*$'
	assert_line --regexp '^memory peak: [0-9]+ \([0-9.]+ MiB\) <= limit$'
	# The peak the kernel reports, against the limit we set (32 MiB). No charge passes the
	# limit, so the peak is at most 32 MiB exactly. The OOM killer acts when one charge does
	# not fit: the child's usage was then above the limit minus that charge, at most a 2 MiB
	# transparent huge page (swap is off or accounted, so nothing could be reclaimed).
	local peak
	peak=$(awk '/^memory peak:/ {print $3}' <<<"$output")
	[ "$peak" -le $((32 * 1024 * 1024)) ] || fail "peak $peak above the 32 MiB limit"
	[ "$peak" -ge $((30 * 1024 * 1024)) ] || fail "peak $peak: more than a 2 MiB charge below the limit"
}

# bats test_tags=vm
@test "memlimit: control run without a limit, the same program touches 2x the memory and exits 0" {
	requires lab:memlimit
	run_lab cgroup-memory memlimit -m 32 --baseline
	assert_success
	assert_line "victim: exited 0 after touching 64 MiB"
	assert_line "oom_kill: 0"
}

# Skip unless the memory controller is on cgroup v2 here (memlimit takes a v1 hierarchy first).
memory_on_v2() {
	if findmnt -rn -t cgroup -o OPTIONS | tr , '\n' | grep -qx memory; then
		skip "memory is on cgroup v1 here (the VM lane runs this on v2)"
	fi
	local m
	m=$(findmnt -rn -t cgroup2 -o TARGET | head -n 1)
	grep -qw memory "$m/cgroup.controllers" 2>/dev/null || skip "no memory controller on cgroup v2 here"
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# bats test_tags=vm
@test "memlimit -v: narrates the mkdir and the cgroup.procs write; the kernel's OOM record names that cgroup and pid" {
	requires lab:memlimit kmsg
	mark_kmsg
	run_lab cgroup-memory memlimit -v -m 32
	assert_success
	local dir pid
	dir=$(sed -n 's/^memlimit: mkdir //p' <<<"$output")
	[ -n "$dir" ] || fail "no mkdir narrated in: $output"
	assert_line "cgroup: v$(sed -n 's/^cgroup: v\([12]\) .*/\1/p' <<<"$output") $dir"
	pid=$(sed -n "s|^memlimit: echo \([0-9]*\) > $dir/cgroup.procs\$|\1|p" <<<"$output")
	[ -n "$pid" ] || fail "no cgroup.procs write narrated in: $output"
	# The kernel's record of the kill: the cgroup whose limit was hit, and the pid moved in.
	wait_kmsg "oom-kill:constraint=CONSTRAINT_MEMCG,.*oom_memcg=/cseclab-memlimit,task_memcg=/cseclab-memlimit,task=memlimit,pid=$pid," >/dev/null
}

# bats test_tags=vm
@test "memlimit: on v2 only memory.max and swap 0 (docker's writes), so -m 256 ends as fast as a plain memory.max cgroup" {
	requires lab:memlimit
	memory_on_v2
	local t0 t_lab t_ref ref
	t0=$(now_ms)
	run_lab cgroup-memory timeout 600 memlimit -m 256
	t_lab=$(($(now_ms) - t0))
	assert_success
	assert_line "memory.max: 268435456 (256 MiB)"
	assert_line "memory.swap.max: 0 (0 MiB)"
	refute_line --regexp '^memory\.high: '
	# The kernel never throttled the child: its counter of memory.high breaches stayed 0.
	assert_line --regexp '^memory.events high: 0 '
	# The control: a cgroup with memory.max alone (and swap 0), made here by hand, where dd's
	# 512 MiB buffer is faulted in until the OOM killer ends it.
	ref=$(dirname "$(sed -n 's/^cgroup: v2 //p' <<<"$output")")/cseclab-memlimit-ref
	memlimit_ref=$ref
	mkdir "$ref"
	echo $((256 << 20)) >"$ref/memory.max"
	[ ! -e "$ref/memory.swap.max" ] || echo 0 >"$ref/memory.swap.max"
	t0=$(now_ms)
	run bash -c 'echo $$ >"$1/cgroup.procs" && exec dd if=/dev/zero of=/dev/null bs=512M count=1' _ "$ref"
	t_ref=$(($(now_ms) - t0))
	assert_equal "$status" 137 # SIGKILL
	run grep -x 'oom_kill 1' "$ref/memory.events"
	rmdir "$ref"
	assert_success
	echo "# memlimit -m 256: ${t_lab} ms; memory.max alone with dd: ${t_ref} ms" >&3
	# Both fault in 256 MiB a page at a time and end in an OOM kill; memlimit adds a fork, a
	# SIGSTOP/SIGCONT and removing its cgroup: a fixed cost, allowed as 2x + 3 s (emulated VM).
	# The old memory.high at 3/4 of the limit slept the child for minutes here.
	[ "$t_lab" -le $((2 * t_ref + 3000)) ] || fail "memlimit took ${t_lab} ms, memory.max alone ${t_ref} ms"
}

# bats test_tags=vm
@test "memlimit --high: on v2 memory.high throttles the child (memory.events high) before memory.max kills it" {
	requires lab:memlimit
	memory_on_v2
	run_lab cgroup-memory memlimit -m 32 --high 28
	assert_success
	assert_line "memory.high: 29360128 (28 MiB)"
	assert_line --regexp '^memory.events high: [1-9][0-9]* '
	assert_line --regexp '^victim: killed by SIGKILL after [0-9]+ MiB \(the OOM killer\)$'
}

@test "memlimit: bad sizes are usage errors, not root is 77" {
	run memlimit -m 1
	assert_failure 2
	run memlimit -m lots
	assert_failure 2
	assert_output --partial "-m: 'lots' is not a number of MiB"
	run memlimit -m 999999
	assert_failure 2
	run memlimit -m 32 --high 32
	assert_failure 2
	assert_output --partial "memory.high must be below the limit"
	if [ "$(id -u)" -eq 0 ]; then
		run as_user memlimit
		assert_failure 77
	fi
}

# ---- cpuquota ----------------------------------------------------------------------------

# quota_ok N QUOTA_US PERIODS: phase N of cpuquota's output against the kernel's own counters
# (cpu.stat nr_periods, nr_throttled, and the group's CPU time). The window is PERIODS whole
# periods; the group was throttled in each of them (it wanted more than the quota); its CPU time
# is QUOTA_US x PERIODS within what the bandwidth slice and the tick allow: every CPU may carry
# up to a slice (sched_cfs_bandwidth_slice_us) of unused runtime into a period, or run up to a
# tick past its runtime, at each end of the window; and each busy CPU may use what it gets
# between the period's start and our sample (at most `late`, which cpuquota measures: we accept
# up to 20 ms, two ticks at HZ=100, beyond which the window would no longer be whole periods).
quota_ok() {
	local n=$1 quota=$2 want=$3 periods throttled used late ncpu busy slice bound
	periods=$(sed -n "s/^phase $n: .* over \([0-9]*\) periods (throttled in [0-9]*)\$/\1/p" <<<"$output")
	throttled=$(sed -n "s/^phase $n: .* over [0-9]* periods (throttled in \([0-9]*\))\$/\1/p" <<<"$output")
	used=$(sed -n "s/^phase $n cpu time: used \([0-9]*\) us, .*/\1/p" <<<"$output")
	late=$(sed -n "s/^phase $n cpu time: .* (sampled at most \([0-9]*\) us into a period)\$/\1/p" <<<"$output")
	local v
	for v in "$periods" "$throttled" "$used" "$late"; do
		[ -n "$v" ] || fail "phase $n: no counters in: $output"
	done
	assert_equal "$periods" "$want"
	assert_equal "$throttled" "$periods"
	[ "$late" -le 20000 ] || fail "phase $n sampled $late us into a period"
	ncpu=$(getconf _NPROCESSORS_ONLN)
	busy=$((ncpu < 8 ? ncpu : 8)) # cpuquota runs one burner per CPU, at most 8
	slice=$(cat /proc/sys/kernel/sched_cfs_bandwidth_slice_us)
	bound=$((ncpu * (slice + $(tick_us)) + busy * late))
	[ $((used - quota * periods)) -le "$bound" ] ||
		fail "phase $n: used $used us, more than $quota x $periods + $bound us"
	[ $((quota * periods - used)) -le "$bound" ] ||
		fail "phase $n: used $used us, less than $quota x $periods - $bound us"
}

# Host lane only. Under the VM lane's emulation (qemu TCG) the guest's period timer can fire more
# than a period late: the kernel then counts the missed periods (nr_periods += overrun) but
# refills one quota (kernel/sched/fair.c, do_sched_cfs_period_timer), and late ticks let a burner
# overrun its runtime by more than a tick. 20 VM runs missed quota x periods by up to 78 ms
# against a 20 ms bound: the emulator, not the scheduler, limits that measurement there.
# bats test_tags=measures-cpu
@test "cpuquota: 0.75 CPU, then a live update to 0.25: throttled every period, CPU time = quota x periods" {
	requires lab:cpuquota
	run_cpu cpuquota -t 2
	assert_success
	assert_line --regexp '^(cpu.cfs_quota_us: 75000 per cpu.cfs_period_us 100000|cpu.max: 75000 100000) \(0.75 CPU\)$'
	assert_line --regexp '^(cpu.cfs_quota_us: 25000 per cpu.cfs_period_us 100000|cpu.max: 25000 100000) \(0.25 CPU\)$'
	quota_ok 1 75000 20
	quota_ok 2 25000 20
	assert_no_process cpuquota
}

# bats test_tags=measures-cpu
@test "cpuquota: other limits follow (--cpus 0.5 --then 0.1)" {
	requires lab:cpuquota
	run_cpu cpuquota -t 1 --cpus 0.5 --then 0.1
	assert_success
	quota_ok 1 50000 10
	quota_ok 2 10000 10
}

@test "cpuquota: bad limits are usage errors" {
	run cpuquota --cpus 0
	assert_failure 2
	run cpuquota --cpus abc
	assert_failure 2
	run cpuquota --then 1000
	assert_failure 2
	run cpuquota -t 0
	assert_failure 2
}

# ---- cgtree ------------------------------------------------------------------------------

# bats test_tags=vm
@test "cgtree: /proc/PID/cgroup of a process put in cseclab-cgtree/web, and the limits below" {
	requires root cgroup-pids
	run_lab cgroup-pids cgtree --demo
	assert_success
	# The process's own view names the cgroup; cgtree maps it to the directory.
	assert_line --regexp '^  [0-9]+:([a-z,]*pids[a-z,]*)?:/cseclab-cgtree/web +/sys/fs/cgroup/.*cseclab-cgtree/web$'
	assert_line --regexp '^    web/  procs=1 .*pids.max=20  pids.current=1'
	assert_line --regexp '^    db/  procs=0 .*pids.max=10  pids.current=0'
}

# bats test_tags=vm
@test "cgtree: this process, and a PID that does not exist" {
	run cgtree
	assert_success
	assert_line --regexp "^process: [0-9]+$"
	run cgtree -p 4194300
	assert_failure 1
	assert_output --partial "read /proc/4194300/cgroup: No such file or directory"
	run cgtree -p abc
	assert_failure 2
}

# The mount of the hierarchy holding pids, as "v1 DIR" or "v2 DIR" (memlimit-style: v1 first).
pids_hierarchy() {
	local d
	d=$(findmnt -rn -t cgroup -o TARGET,OPTIONS | awk '$2 ~ /(^|,)pids(,|$)/ { print $1; exit }')
	if [ -n "$d" ]; then
		echo "v1 $d"
		return
	fi
	for d in $(findmnt -rn -t cgroup2 -o TARGET); do
		grep -qw pids "$d/cgroup.controllers" && echo "v2 $d" && return
	done
	return 1
}

@test "cgtree: maps a path through the mount's root: a bind-mounted cgroup, a cgroup namespace, a fresh mount" {
	requires root cgroup-pids cgroupns mntns
	local kind
	read -r kind MNT < <(pids_hierarchy) || fail "doctor says cgroup-pids, but no mount has pids"
	export MNT CG=$MNT/cseclab-cgtree-ns W=$BATS_TEST_TMPDIR/where.sh FRESH=$BATS_TEST_TMPDIR/mnt
	# The regex of the line's controller field, and how a cgroup namespace mounts its own view.
	if [ "$kind" = v1 ]; then
		export C='[^:]*pids[^:]*' MOUNT_ARGS='-t cgroup -o pids'
	else
		export C='' MOUNT_ARGS='-t cgroup2'
	fi
	# Run as "exec sh $W": where cgtree says this shell's cgroup is, and whether the kernel
	# lists the shell in that directory's cgroup.procs.
	cat >"$W" <<'SH'
d=$(cgtree -p $$ | sed -n "s|^  [0-9]*:$C:[^ ]*  *||p")
echo "dir: $d"
if grep -qx $$ "$d/cgroup.procs" 2>/dev/null; then echo "listed: yes"; else echo "listed: no"; fi
SH
	mkdir "$FRESH"
	cgtree_ns=$CG
	mkdir "$CG"
	# A v1 container's view (no cgroup namespace): its own cgroup bind-mounted over the mount
	# point. mountinfo's root field says so (/cseclab-cgtree-ns); the directory is the mount point.
	# shellcheck disable=SC2016 # the inner shell expands them
	run unshare -m sh -c 'mount --make-rprivate / && echo $$ >"$CG/cgroup.procs" &&
		mount --bind "$CG" "$MNT" && exec sh "$W"'
	assert_success
	assert_output "$(printf 'dir: %s\nlisted: yes' "$MNT")"
	# A cgroup namespace on the host's mounts: the process sees itself at "/", and the mount's
	# root at "/..", above its namespace: no directory of this mount is its cgroup.
	# shellcheck disable=SC2016 # the inner shell expands them
	run sh -c 'echo $$ >"$CG/cgroup.procs" && exec unshare -C sh -c "cgtree -p \$\$"'
	assert_success
	assert_line --regexp "^  [0-9]+:$C:/ +\(not below the root /\.\. mounted at $MNT\)\$"
	# The same namespace with a mount made inside it, as a container runtime does: root "/".
	# shellcheck disable=SC2016 # the inner shell expands them
	run sh -c 'echo $$ >"$CG/cgroup.procs" && exec unshare -C -m sh -c "mount --make-rprivate / &&
		mount $MOUNT_ARGS cseclab-cgtree \"$FRESH\" && exec sh \"$W\""'
	assert_success
	assert_output "$(printf 'dir: %s\nlisted: yes' "$FRESH")"
	rmdir "$CG"
}

@test "cgtree: a v1 named hierarchy (name=systemd) maps to its mount" {
	local line name dir
	line=$(grep -m1 '^[0-9]*:name=' /proc/self/cgroup) ||
		skip "no named v1 hierarchy here (systemd on a v1 or hybrid host mounts name=systemd)"
	name=${line#*:} name=${name%%:*}
	dir=$(findmnt -rn -t cgroup -o TARGET,OPTIONS | awk -v n="$name" '"," $2 "," ~ "," n "," { print $1; exit }')
	[ -n "$dir" ] || skip "$name is not mounted in this mount namespace"
	run cgtree
	assert_success
	local path=${line#*:*:}
	[ "$path" != / ] || path=
	assert_line "  $(printf '%-28s' "$line") $dir$path"
}

# strace's rmdir lines as "LAST-COMPONENT RESULT", one per cgroup (v1 has a directory per hierarchy).
rmdir_results() {
	grep '^rmdir(' "$1" | sed -E 's#^rmdir\(".*/([^/]+)"\) += (0|-1 [A-Z]+).*#\1 \2#' | uniq
}

@test "cleanup: a SIGTERM in the middle of the cleanup at exit still removes every cgroup, children first" {
	requires root cgroup-pids tool:strace
	# strace fails cgtree's first rmdir at exit with EBUSY (what a dying task causes, and what
	# cg_remove retries) and delivers SIGTERM right there: the handler takes the cleanup over.
	local trace=$BATS_TEST_TMPDIR/rmdir.txt
	run strace -o "$trace" -e trace=rmdir -e inject=rmdir:error=EBUSY:signal=SIGTERM:when=1 \
		cgtree --demo
	assert_equal "$status" 143 # cgtree died of the SIGTERM, after cleaning up
	run rmdir_results "$trace"
	# The interrupted removal of db runs again, then web, then their parent.
	assert_output "$(printf '%s\n' 'db -1 EBUSY' 'db 0' 'web 0' 'cseclab-cgtree 0')"
	run grep -c INJECTED "$trace"
	assert_output 1
	assert_no_cgroups_left
}

# ---- devcg -------------------------------------------------------------------------------

# bats test_tags=vm
@test "tour: devcg: root may mknod a device the cgroup denies, but open fails with EPERM" {
	requires lab:devcg
	show devcg
	assert_success
	assert_line "mknod: ok (/tmp/cseclab-null, char 1:3)"
	assert_line "open: Operation not permitted"
}

# bats test_tags=vm
@test "devcg: control run without the rule, the same open succeeds" {
	requires lab:devcg
	run_lab cgroup-devices devcg --no-rule
	assert_success
	assert_line "rule: none (control run)"
	assert_line "mknod: ok (/tmp/cseclab-null, char 1:3)"
	assert_line --regexp '^open: ok \(fd [0-9]+\)$'
}

# bats test_tags=vm
@test "devcg -v narrates each step the chapter calls the essence: mkdir, the rule, cgroup.procs" {
	requires lab:devcg
	run_lab cgroup-devices devcg -v
	assert_success
	# The directory it names is the one the kernel put the child in (printed as "cgroup: vN DIR").
	dir=$(sed -n 's/^cgroup: v[12] //p' <<<"$output")
	[ -n "$dir" ] || fail "no cgroup line in: $output"
	assert_line "devcg: mkdir $dir"
	if grep -q '^cgroup: v1 ' <<<"$output"; then
		assert_line "devcg: echo 'c 1:3 rw' > $dir/devices.deny"
	else
		assert_line --regexp '^devcg: bpf\(BPF_PROG_ATTACH, program fd [0-9]+, cgroup fd [0-9]+, BPF_CGROUP_DEVICE\)$'
	fi
	assert_line --regexp "^devcg: echo [0-9]+ > $dir/cgroup.procs\$"
	# Without -v the same run says none of it.
	run_lab cgroup-devices devcg
	refute_line --partial 'devcg: mkdir'
}

# bats test_tags=vm,measures-cpu
@test "cpushares: --stress-ng burns with stress-ng workers as the course does, same split" {
	requires lab:cpushares tool:stress-ng
	run_cpu cpushares -t 1 --tolerance 100 --stress-ng --tree 'CG1=1024+,CG1/CG2=2048+'
	assert_success
	local tol
	tol=$(share_tol 2 2) # CG1's worker and CG2 share CG1 directly (share_tol)
	near "$(measured 2 CG1)" 33.3 "$tol"
	near "$(measured 2 CG2)" 66.7 "$tol"
	sleep 0.2
	assert_no_process stress-ng-cpu
}
