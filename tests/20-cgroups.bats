load helpers
# lanes: host vm
#
# The cgroups labs on this kernel: cgroup v1 hybrid on the host, pure v2 in the VM. Every test
# asserts a number the kernel produced (a measured CPU share, pids.current, an OOM kill, an
# errno) and that the program left no cgroup and no process behind.

# measured STAGE GROUP / expected STAGE GROUP: a percentage from cpushares' stage table
#   "  CG1   ###########|.....  shares 1024  expected 28.6 %  measured 28.4 %"
measured() {
	awk -v s="stage $1:" -v g="$2" 'index($0, s) == 1 {on = 1; next}
		/^stage / {on = 0} on && $1 == g {print $9}' <<<"$output"
}
expected() {
	awk -v s="stage $1:" -v g="$2" 'index($0, s) == 1 {on = 1; next}
		/^stage / {on = 0} on && $1 == g {print $6}' <<<"$output"
}

# near VALUE TARGET POINTS: |VALUE - TARGET| <= POINTS, with a readable failure.
near() {
	[ -n "$1" ] || fail "no measured value for target $2 in: $output"
	awk -v v="$1" -v t="$2" -v p="$3" 'BEGIN { exit !(v - t <= p && t - v <= p) }' ||
		fail "measured $1, expected $2 +/- $3 points"
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
	assert_no_cgroups_left
}

# ---- cpushares ---------------------------------------------------------------------------

@test "tour: cpushares: the course's tree splits one CPU 28.6 / 57.1 / 7.1 / 7.1" {
	requires root cgroup-cpu cgroup-cpuset
	show cpushares -t 1 --tolerance 3
	assert_success
	assert_line --regexp '^cpuset.cpus: 0$'
	assert_line --regexp '^cpuset.mems: [0-9]+$'
	assert_line --regexp '^CG1 +cpu\.(shares 1024|weight 100) \(default (1024|100)\)'
	assert_line --regexp '^CG1/CG2 +cpu\.(shares 2048|weight 200) \(default (1024|100)\)'
	assert_line --regexp '^CG1/CG3 +cpu\.(shares 512|weight 50) \(default (1024|100)\)'
	near "$(measured 4 CG1)" 28.6 3
	near "$(measured 4 CG2)" 57.1 3
	near "$(measured 4 CG4)" 7.1 3
	near "$(measured 4 CG5)" 7.1 3
	assert_no_process cpushares
}

@test "cpushares: every stage of the course within 2 points (100; 33.3/66.7; 28.6/57.1/14.3; 28.6/57.1/7.1/7.1)" {
	requires root cgroup-cpu cgroup-cpuset
	run_lab cgroup-cpu cpushares -t 2
	assert_success
	assert_line --partial "result: within 2.0 points of theory"
	# The course's numbers, pinned here, not only what the program computed.
	near "$(measured 1 CG1)" 100 2
	near "$(measured 2 CG1)" 33.3 2
	near "$(measured 2 CG2)" 66.7 2
	near "$(measured 3 CG1)" 28.6 2
	near "$(measured 3 CG2)" 57.1 2
	near "$(measured 3 CG4)" 14.3 2
	near "$(measured 4 CG1)" 28.6 2
	near "$(measured 4 CG2)" 57.1 2
	near "$(measured 4 CG4)" 7.1 2
	near "$(measured 4 CG5)" 7.1 2
	# and its theory agrees with the course's table
	[ "$(expected 4 CG1)" = 28.6 ] && [ "$(expected 4 CG2)" = 57.1 ]
	[ "$(expected 4 CG4)" = 7.1 ] && [ "$(expected 4 CG5)" = 7.1 ]
	# Ratios: twice the shares, twice the CPU; equal shares, equal CPU.
	awk -v a="$(measured 4 CG1)" -v b="$(measured 4 CG2)" \
		'BEGIN { exit !(b / a > 1.8 && b / a < 2.2) }' || fail "CG2/CG1 is not about 2"
	near "$(measured 4 CG4)" "$(measured 4 CG5)" 1.5
	assert_no_process cpushares
}

@test "cpushares: CG3 has weight but no task, so it takes nothing until CG4 runs" {
	requires root cgroup-cpu cgroup-cpuset
	run_lab cgroup-cpu cpushares -t 1 --tolerance 3 --tree 'CG1=1024+,CG1/CG2=2048+,CG1/CG3=512'
	assert_success
	# CG3's 512 would make CG1 28.6 % if it counted; without a runnable task it does not.
	near "$(measured 2 CG1)" 33.3 3
	near "$(measured 2 CG2)" 66.7 3
	refute_line --regexp '^ +CG3 +[#.|]+ +shares'
}

@test "cpushares: --tree with another split (1:3) and --json" {
	requires root cgroup-cpu cgroup-cpuset tool:jq
	run_lab cgroup-cpu cpushares -t 1 --tolerance 3 --json --tree 'A=256+,B=768+'
	assert_success
	run jq -r '.stages[1].groups[] | "\(.name) \(.expected) \(.measured)"' <<<"$output"
	assert_success
	assert_line --regexp '^A 25 '
	assert_line --regexp '^B 75 '
	near "$(awk '$1 == "B" {print $3}' <<<"$output")" 75 3
}

@test "cpushares: exit 1 when a group is further from theory than --tolerance" {
	requires root cgroup-cpu cgroup-cpuset
	run_lab cgroup-cpu cpushares -t 0.5 --tolerance 0 --tree 'A=1024+,B=1024+'
	assert_failure 1
	assert_line --partial "result: off by"
}

@test "cpushares: on cgroup v2 CG1's burner runs in the leaf CG1/self, weights 100/200/50" {
	requires root cgroup-cpu cgroup-cpuset
	run_lab cgroup-cpu cpushares -t 0.5 --tolerance 100 --tree 'CG1=1024+,CG1/CG2=2048+'
	assert_success
	if ! grep -q '^cgroup: v2' <<<"$output"; then
		skip "the cpu controller is on cgroup v1 here (the VM lane runs this on v2)"
	fi
	assert_line --regexp '^CG1 +cpu.weight 100 \(default 100\), its burner in the leaf self/'
	assert_line --regexp '^CG1/CG2 +cpu.weight 200 \(default 100\)$'
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
	requires root
	run as_user cpushares -t 1
	assert_failure 77
	assert_output --partial "cannot run here: needs root"
}

@test "cpushares: SIGTERM mid-run removes every cgroup and burner" {
	requires root cgroup-cpu cgroup-cpuset
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

# ---- forkbomb ----------------------------------------------------------------------------

@test "tour: forkbomb: a real fork bomb stops at pids.max 15, forks fail with EAGAIN" {
	requires root cgroup-pids
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

@test "forkbomb: the cap follows pids.max (control: -l 8 stops at 8, not 15)" {
	requires root cgroup-pids
	run_lab cgroup-pids forkbomb -l 8 -t 1
	assert_success
	assert_line --regexp '^pids.current: 8 \(highest seen 8, pids.max 8\)$'
	assert_line "result: contained at 8 processes"
	assert_no_process forkbomb
}

@test "forkbomb: kills the whole cgroup with cgroup.kill on v2, the freezer on v1" {
	requires root cgroup-pids
	run_lab cgroup-pids forkbomb -t 0.5
	assert_success
	if doctor --check cgroup-kill >/dev/null 2>&1; then
		assert_line "kill: cgroup.kill"
	elif grep -q '^cgroup: v1' <<<"$output"; then
		assert_line "kill: freezer.state FROZEN + SIGKILL + THAWED"
	fi
	assert_line "pids.current after kill: 0"
	assert_no_process forkbomb
}

@test "forkbomb: SIGTERM mid-bomb kills the bomb and removes the cgroups" {
	requires root cgroup-pids
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

@test "tour: memlimit: past memory.max the OOM killer sends SIGKILL, peak stays under the limit" {
	requires root cgroup-memory
	show memlimit -m 32
	assert_success
	assert_line --regexp '^victim: killed by SIGKILL after [0-9]+ MiB \(the OOM killer\)$'
	assert_line --regexp '^oom_kill: [1-9][0-9]*$'
	assert_line --regexp '^memory peak: [0-9]+ \([0-9.]+ MiB\) <= limit$'
	# The peak the kernel reports, against the limit we set (32 MiB).
	local peak
	peak=$(awk '/^memory peak:/ {print $3}' <<<"$output")
	[ "$peak" -le $((32 * 1024 * 1024)) ] || fail "peak $peak above the 32 MiB limit"
	[ "$peak" -ge $((16 * 1024 * 1024)) ] || fail "peak $peak: the child never got near the limit"
}

@test "memlimit: control run without a limit, the same program touches 2x the memory and exits 0" {
	requires root cgroup-memory
	run_lab cgroup-memory memlimit -m 32 --baseline
	assert_success
	assert_line "victim: exited 0 after touching 64 MiB"
	assert_line "oom_kill: 0"
}

@test "memlimit: on v2 memory.high throttles before memory.max kills" {
	requires root cgroup-memory
	run_lab cgroup-memory memlimit -m 32
	assert_success
	grep -q '^cgroup: v2' <<<"$output" || skip "memory is on cgroup v1 here (the VM lane runs this on v2)"
	assert_line "memory.swap.max: 0 (0 MiB)"
	assert_line --regexp '^memory.events high: [1-9][0-9]* '
}

@test "memlimit: bad sizes are usage errors, not root is 77" {
	run memlimit -m 1
	assert_failure 2
	run memlimit -m lots
	assert_failure 2
	assert_output --partial "-m: 'lots' is not a number of MiB"
	run memlimit -m 999999
	assert_failure 2
	if [ "$(id -u)" -eq 0 ]; then
		run as_user memlimit
		assert_failure 77
	fi
}

# ---- cpuquota ----------------------------------------------------------------------------

@test "cpuquota: 0.75 CPU, then a live update to 0.25, each measured within 10 %" {
	requires root cgroup-cpu
	run_lab cgroup-cpu cpuquota -t 2
	assert_success
	local p1 p2
	p1=$(awk '/^phase 1:/ {print $7}' <<<"$output")
	p2=$(awk '/^phase 2:/ {print $7}' <<<"$output")
	near "$p1" 0.75 0.075
	near "$p2" 0.25 0.025
	assert_line --regexp '^(cpu.cfs_quota_us: 25000 per cpu.cfs_period_us 100000|cpu.max: 25000 100000) \(0.25 CPU\)$'
	assert_no_process cpuquota
}

@test "cpuquota: other limits follow (--cpus 0.5 --then 0.1)" {
	requires root cgroup-cpu
	run_lab cgroup-cpu cpuquota -t 1 --cpus 0.5 --then 0.1
	assert_success
	near "$(awk '/^phase 1:/ {print $7}' <<<"$output")" 0.5 0.05
	near "$(awk '/^phase 2:/ {print $7}' <<<"$output")" 0.1 0.01
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

@test "cgtree: /proc/PID/cgroup of a process put in cseclab-cgtree/web, and the limits below" {
	requires root cgroup-pids
	run_lab cgroup-pids cgtree --demo
	assert_success
	# The process's own view names the cgroup; cgtree maps it to the directory.
	assert_line --regexp '^  [0-9]+:([a-z,]*pids[a-z,]*)?:/cseclab-cgtree/web +/sys/fs/cgroup/.*cseclab-cgtree/web$'
	assert_line --regexp '^    web/  procs=1 .*pids.max=20  pids.current=1'
	assert_line --regexp '^    db/  procs=0 .*pids.max=10  pids.current=0'
}

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

# ---- devcg -------------------------------------------------------------------------------

@test "tour: devcg: root may mknod a device the cgroup denies, but open fails with EPERM" {
	requires root cgroup-devices
	show devcg
	assert_success
	assert_line "mknod: ok (/tmp/cseclab-null, char 1:3)"
	assert_line "open: Operation not permitted"
}

@test "devcg: control run without the rule, the same open succeeds" {
	requires root cgroup-devices
	run_lab cgroup-devices devcg --no-rule
	assert_success
	assert_line "rule: none (control run)"
	assert_line "mknod: ok (/tmp/cseclab-null, char 1:3)"
	assert_line --regexp '^open: ok \(fd [0-9]+\)$'
}

@test "cpushares: --stress-ng burns with stress-ng workers as the course does, same split" {
	requires root cgroup-cpu cgroup-cpuset tool:stress-ng
	run_lab cgroup-cpu cpushares -t 1 --tolerance 3 --stress-ng --tree 'CG1=1024+,CG1/CG2=2048+'
	assert_success
	near "$(measured 2 CG1)" 33.3 3
	near "$(measured 2 CG2)" 66.7 3
	sleep 0.2
	assert_no_process stress-ng-cpu
}
