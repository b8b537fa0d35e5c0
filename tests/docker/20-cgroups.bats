load ../helpers
load docker
# lanes: docker
# Cgroups under Docker: COURSE-DEMOS #26-34 (where containers land, --cgroup-parent, docker top
# against tasks, --cpu-shares, --cpus and a live update, --memory, --pids-limit, devices).
# Measurements are ratios within our own cgroups (other work shares these 2 CPUs).

setup_file() {
	docker_setup_file stress
	requires cgroup-cpu cgroup-memory cgroup-pids
}
teardown_file() {
	docker_teardown_file
	rmdir_parent
}
teardown() { rm_containers; }

PARENT=cseclab-stress

# ---- CPU measurements: what limits them (the tolerances below come from these) -------------

# read_usage DIR: U_USED, the CPU time (us) of a cgroup from DIR: v1 cpuacct.usage (ns), v2
# cpu.stat usage_usec. read_stat DIR: ST_PERIODS and ST_THROTTLED from DIR/cpu.stat
# (nr_periods, nr_throttled). Neither forks: two reads in a row are microseconds apart.
read_usage() {
	local k v
	if [ -e "$1/cpuacct.usage" ]; then
		read -r v <"$1/cpuacct.usage"
		U_USED=$((v / 1000))
		return
	fi
	while read -r k v; do
		if [ "$k" = usage_usec ]; then
			U_USED=$v
		fi
	done <"$1/cpu.stat"
}
read_stat() {
	local k v
	while read -r k v; do
		case $k in
		nr_periods) ST_PERIODS=$v ;;
		nr_throttled) ST_THROTTLED=$v ;;
		esac
	done <"$1/cpu.stat"
}
usage_us() {
	read_usage "$1"
	echo "$U_USED"
}

# near_us VALUE TARGET BOUND: |VALUE - TARGET| <= BOUND (integers, us), with a readable failure.
near_us() {
	local d=$(($1 - $2))
	[ "${d#-}" -le "$3" ] || fail "measured $1 us, expected $2 +/- $3 us"
}

# at_period CPUDIR ACCTDIR TARGET: wait until the bandwidth timer has counted period TARGET
# (cpu.stat nr_periods; the quota is refilled at each period's start) and sample right after:
# S_PERIODS, S_THROTTLED, S_USED (us), and S_LATE, at most how long (us) after the period began
# we read S_USED: since the last poll that still showed an earlier period.
at_period() {
	local old_at
	old_at=${EPOCHREALTIME/./}
	read_stat "$1"
	while [ "$ST_PERIODS" -lt "$3" ]; do
		sleep 0.001
		old_at=${EPOCHREALTIME/./}
		read_stat "$1"
	done
	read_usage "$2"
	S_LATE=$((${EPOCHREALTIME/./} - old_at))
	S_USED=$U_USED S_PERIODS=$ST_PERIODS S_THROTTLED=$ST_THROTTLED
}

# quota_window CPUDIR ACCTDIR PERIODS: measure over PERIODS whole periods; sets W_PERIODS,
# W_THROTTLED, W_USED (us) and W_LATE (the later of the two samples' lateness, us).
quota_window() {
	local p0 t0 u0 l0
	read_stat "$1"
	at_period "$1" "$2" $((ST_PERIODS + 1))
	p0=$S_PERIODS t0=$S_THROTTLED u0=$S_USED l0=$S_LATE
	at_period "$1" "$2" $((p0 + $3))
	W_PERIODS=$((S_PERIODS - p0)) W_THROTTLED=$((S_THROTTLED - t0)) W_USED=$((S_USED - u0))
	W_LATE=$((S_LATE > l0 ? S_LATE : l0))
}

# quota_bound BUSY: how far CPU time over whole periods may miss QUOTA x periods: every CPU may
# carry up to a bandwidth slice (sched_cfs_bandwidth_slice_us) of unused runtime into a period or
# run up to a tick past its runtime, at each end of the window; and each of the BUSY CPUs may use
# what it gets between a period's start and our sample (W_LATE).
quota_bound() {
	local ncpu slice
	ncpu=$(getconf _NPROCESSORS_ONLN)
	slice=$(cat /proc/sys/kernel/sched_cfs_bandwidth_slice_us)
	echo $((ncpu * (slice + $(tick_us)) + $1 * W_LATE))
}

rmdir_parent() {
	local m
	while read -r m; do
		if [ -d "$m/$PARENT" ]; then rmdir "$m/$PARENT" || true; fi # best effort: the last test checks it is gone
	done < <(cg_mounts)
	return 0
}

@test "tour: a container's cgroup is docker/<id> in every hierarchy (cgroupfs driver)" {
	local id
	id=$(docker run -d --name cseclab-cg cseclab/busybox sleep 60)
	show cat "/proc/$(cpid cseclab-cg)/cgroup"
	if [ "$(cg_mount memory | cut -d" " -f3)" = 2 ]; then
		assert_line "0::/docker/$id"
	else
		# A v1 line names every controller of its hierarchy: "4:cpu,cpuacct:/docker/<id>".
		local c
		for c in memory pids cpu; do
			assert_line --regexp "^[0-9]+:([a-z_=,]*,)?$c(,[a-z_=,]*)?:/docker/$id\$"
		done
	fi
	run grep -cx "$(cpid cseclab-cg)" "$(cgdir memory cseclab-cg)/cgroup.procs"
	assert_output 1
}

@test "--cgroup-parent /$PARENT with --cpus 0.75: docker top PIDs are exactly the cgroup's tasks" {
	local id d top tasks
	id=$(docker run -d --name cseclab-stress --cgroup-parent "/$PARENT" --cpus 0.75 --memory 1g \
		cseclab/stress --cpu 1 --timeout 60s)
	# The kernel puts the container under the parent, in the pids hierarchy too.
	run cg_rel "$(cpid cseclab-stress)" pids
	assert_output "/$PARENT/$id"
	d=$(cgdir pids cseclab-stress)
	assert_equal "${d##*/}" "$id"
	sleep 1 # stress-ng forks its worker
	top=$(docker top cseclab-stress -o pid | tail -n +2 | sort -n | tr '\n' ' ')
	tasks=$(sort -n "$d/tasks" 2>/dev/null || sort -n "$d/cgroup.threads")
	tasks=$(echo "$tasks" | tr '\n' ' ')
	echo "docker top: $top / tasks: $tasks"
	[ "$top" = "$tasks" ]
	[ "$(echo "$top" | wc -w)" -ge 2 ]
}

# bats test_tags=measures-cpu
@test "tour: --cpus 0.75 holds stress at most 75% of a CPU; docker update --cpus 0.25 cuts it to 25% live" {
	docker run -d --name cseclab-stress --cgroup-parent "/$PARENT" --cpus 0.75 cseclab/stress --cpu 1 --timeout 60s
	local d a used1 periods1 throttled1 bound1 used2 bound2
	d=$(cgdir cpu cseclab-stress)
	a=$(cgdir cpuacct cseclab-stress)
	if [ -e "$d/cpu.cfs_quota_us" ]; then
		assert_equal "$(cat "$d/cpu.cfs_quota_us") $(cat "$d/cpu.cfs_period_us")" "75000 100000"
	else
		assert_equal "$(cat "$d/cpu.max")" "75000 100000"
	fi
	sleep 1 # stress-ng starts its worker
	# 20 whole periods (2 s). One stress worker: one CPU busy at a time.
	quota_window "$d" "$a" 20
	used1=$W_USED periods1=$W_PERIODS throttled1=$W_THROTTLED bound1=$(quota_bound 1)
	show docker update --cpus 0.25 cseclab-stress
	assert_success
	if [ -e "$d/cpu.cfs_quota_us" ]; then
		assert_equal "$(cat "$d/cpu.cfs_quota_us")" 25000
	else
		assert_equal "$(cat "$d/cpu.max")" "25000 100000"
	fi
	quota_window "$d" "$a" 20
	used2=$W_USED bound2=$(quota_bound 1)
	echo "# one CPU hog over 20 periods: ${used1} us with --cpus 0.75 (75000 x 20 +/- $bound1), ${used2} us after docker update --cpus 0.25 (25000 x 20 +/- $bound2)" >&3
	# The kernel counted whole periods, and throttled the group in every one of them at 25%.
	assert_equal "$periods1 $W_PERIODS" "20 20"
	assert_equal "$W_THROTTLED" 20
	# Never above the quota, at 75% or at 25%: CPU time <= quota x periods + bound.
	[ $((used1 - 75000 * 20)) -le "$bound1" ] || fail "--cpus 0.75: $used1 us, more than 1500000 + $bound1"
	[ $((used2 - 25000 * 20)) -le "$bound2" ] || fail "--cpus 0.25: $used2 us, more than 500000 + $bound2"
	# Throttled in every period, the group used its quota: CPU time >= quota x periods - bound.
	[ $((25000 * 20 - used2)) -le "$bound2" ] || fail "--cpus 0.25: $used2 us, less than 500000 - $bound2"
	if [ "$throttled1" -lt 20 ]; then
		skip "busy: at --cpus 0.75 the container was throttled in only $throttled1 of 20 periods: other work on these CPUs kept it from its quota ($used1 us)"
	fi
	[ $((75000 * 20 - used1)) -le "$bound1" ] || fail "--cpus 0.75: $used1 us, less than 1500000 - $bound1"
}

# bats test_tags=measures-cpu
@test "--cpu-shares 2048 vs 1024 on one pinned CPU (--cpuset-cpus 0): a 2:1 split" {
	requires cgroup-cpuset
	docker run -d --name cseclab-share2048 --cpuset-cpus 0 --cpu-shares 2048 cseclab/busybox sh -c 'while :; do :; done'
	docker run -d --name cseclab-share1024 --cpuset-cpus 0 --cpu-shares 1024 cseclab/busybox sh -c 'while :; do :; done'
	local a b lag a0 b0 a1 b1 total
	a=$(cgdir cpuacct cseclab-share2048)
	b=$(cgdir cpuacct cseclab-share1024)
	# The two containers share CPU 0 directly (siblings under docker/): each one's time is its
	# share of their total within two lags (the lag may differ at the window's two ends).
	lag=$(lag_us)
	sleep 0.5
	a0=$(usage_us "$a")
	b0=$(usage_us "$b")
	sleep 3
	a1=$(usage_us "$a")
	b1=$(usage_us "$b")
	total=$((a1 - a0 + b1 - b0))
	echo "# cpu-shares 2048:1024: $((a1 - a0)) us and $((b1 - b0)) us of $total (theory 2:1, +/- $((2 * lag)) us)" >&3
	# 2/3 and 1/2 of the total are total/6 apart: with less than 4 lags x 6 of CPU time
	# between them, other work left too little to tell a 2:1 split from none.
	if [ "$total" -lt $((24 * lag)) ]; then
		skip "busy: the two containers got only $total us of CPU 0 in 3 s"
	fi
	near_us $((a1 - a0)) $((total * 2 / 3)) $((2 * lag))
	# Control: equal shares split evenly.
	docker update --cpu-shares 1024 cseclab-share2048 >/dev/null
	sleep 0.5
	a0=$(usage_us "$a")
	b0=$(usage_us "$b")
	sleep 2
	a1=$(usage_us "$a")
	b1=$(usage_us "$b")
	total=$((a1 - a0 + b1 - b0))
	echo "# cpu-shares 1024:1024: $((a1 - a0)) us and $((b1 - b0)) us of $total (theory 1:1, +/- $((2 * lag)) us)" >&3
	near_us $((a1 - a0)) $((total / 2)) $((2 * lag))
}

@test "tour: --memory 64m: a process growing past it is OOM-killed (137); under it, it runs" {
	requires kmsg
	mark_kmsg
	# tail of /dev/zero keeps the whole "line" (no newline ever comes) in memory.
	show docker run --name cseclab-oom --memory 64m cseclab/busybox tail /dev/zero
	assert_failure 137
	# The kernel's record names the container's memory cgroup. (docker inspect's OOMKilled
	# is not the kernel's answer: dockerd sets it only when containerd's OOM event comes
	# before the exit event, and on a loaded machine it sometimes comes after.)
	local id
	id=$(docker inspect -f '{{.Id}}' cseclab-oom)
	wait_kmsg "oom-kill:.*oom_memcg=[^,]*$id"
	echo "# docker inspect: OOMKilled $(docker inspect -f '{{.State.OOMKilled}}' cseclab-oom)" >&3
	docker rm cseclab-oom
	# Control: 16 MiB under the same limit.
	run docker run --rm --memory 64m cseclab/busybox sh -c 'head -c 16m /dev/zero | tail >/dev/null && echo fits'
	assert_success
	assert_output fits
}

@test "--memory without --memory-swap allows as much swap again; --memory-swap equal to --memory allows none" {
	docker run -d --name cseclab-mem --memory 64m cseclab/busybox sleep 60
	docker run -d --name cseclab-memsw --memory 64m --memory-swap 64m cseclab/busybox sleep 60
	local d
	d=$(cgdir memory cseclab-mem)
	if [ -e "$d/memory.limit_in_bytes" ]; then
		[ "$(cat "$d/memory.limit_in_bytes")" = 67108864 ]
		[ -e "$d/memory.memsw.limit_in_bytes" ] || skip "no swap accounting (memory.memsw.*) in this kernel"
		[ "$(cat "$d/memory.memsw.limit_in_bytes")" = 134217728 ]
		[ "$(cat "$(cgdir memory cseclab-memsw)/memory.memsw.limit_in_bytes")" = 67108864 ]
	else
		[ "$(cat "$d/memory.max")" = 67108864 ]
		[ "$(cat "$d/memory.swap.max")" = 67108864 ]
		[ "$(cat "$(cgdir memory cseclab-memsw)/memory.swap.max")" = 0 ]
	fi
}

@test "tour: --pids-limit 15 contains a fork bomb at 15 processes" {
	docker run -d --name cseclab-forkbomb --pids-limit 15 cseclab/busybox sh -c 'bomb() { bomb | bomb & }; bomb; sleep 30'
	local d i n peak=0
	d=$(cgdir pids cseclab-forkbomb)
	[ "$(cat "$d/pids.max")" = 15 ]
	# The bomb's processes die and respawn: sample the count until the kernel has refused a
	# fork at the limit (pids.events "max N" counts those refusals), at most 10 seconds.
	for ((i = 0; i < 200; i++)); do
		n=$(cat "$d/pids.current")
		if [ "$n" -gt "$peak" ]; then peak=$n; fi
		if [ "$(awk '$1 == "max" { print $2 }' "$d/pids.events")" -gt 0 ] && [ "$i" -ge 20 ]; then break; fi
		sleep 0.05
	done
	echo "# fork bomb under --pids-limit 15: $peak processes at most in our samples" >&3
	[ "$peak" -le 15 ]
	show cat "$d/pids.max" "$d/pids.events"
	assert_line 15
	# The kernel refused forks past the limit.
	assert_line --regexp '^max [1-9][0-9]*$'
	# Control: the default container has no pids limit.
	docker run -d --name cseclab-nolimit cseclab/busybox sleep 30
	[ "$(cat "$(cgdir pids cseclab-nolimit)/pids.max")" = max ]
}

@test "devices: /dev/kmsg made with mknod cannot be opened by default; --device-cgroup-rule c 1:11 r opens it" {
	# Both runs have CAP_SYSLOG (reading the kernel log needs it when dmesg_restrict=1), so only
	# the devices cgroup differs. mknod itself is allowed: Docker's rules include "c *:* m".
	local cmd='mknod /dev/cseclab-kmsg c 1 11 && head -c 1 /dev/cseclab-kmsg | wc -c'
	run docker run --rm --cap-add SYSLOG cseclab/busybox sh -c "$cmd"
	assert_output --partial 'head: /dev/cseclab-kmsg: Operation not permitted'
	run docker run --rm --cap-add SYSLOG --device-cgroup-rule 'c 1:11 r' cseclab/busybox sh -c "$cmd"
	assert_success
	assert_output 1
	docker run -d --name cseclab-devices --device-cgroup-rule 'c 1:11 r' cseclab/busybox sleep 30
	# v1 lists the container's rules in devices.list; v2 has no devices controller (the rules
	# are a BPF program attached to the cgroup: the two runs above are its answer).
	if cg_mount devices >/dev/null 2>&1; then
		run cat "$(cgdir devices cseclab-devices)/devices.list"
		assert_line 'c 1:11 r'
		assert_line 'c 1:3 rwm'
	fi
}

@test "every container of this file is gone, and the parent cgroup with them" {
	rm_containers
	rmdir_parent
	assert_no_docker_leftovers
}
