load ../helpers
load docker
# lanes: docker
# The course's resource limits that tests/docker/20-cgroups.bats does not measure: blkio
# (COURSE-DEMOS #28: --device-read-bps, --blkio-weight), the unlimited baseline of the stress
# demo (#30, scaled down: one CPU and 96 MiB instead of two CPUs and 1.5 GB), and the --memory
# half of `--cpus .75 --memory 1g` (#31, 64 MiB here). Every value is read from the
# container's own cgroup files, found from /proc/PID/cgroup and this host's mountinfo: no
# controller mount path is assumed (v1 separate, v1 co-mounted and v2 all work).
# The CPU test measures: run it alone on the machine (scripts/test docker takes care of that).

setup_file() {
	docker_setup_file stress
	requires cgroup-cpu cgroup-memory
}
teardown_file() {
	docker_teardown_file
	rmdir_parent
}
setup() {
	LOOP='' IMG=''
}
teardown() {
	rm_containers
	[ -z "$LOOP" ] || losetup -d "$LOOP"
	[ -z "$IMG" ] || rm -f "$IMG"
}

PARENT=cseclab-limits

rmdir_parent() {
	local d
	for d in $(cg_mounts); do
		if [ -d "$d/$PARENT" ]; then rmdir "$d/$PARENT"; fi
	done
	return 0
}

# The first file of a cgroup directory that exists (the v1 name, then the v2 name).
cg_file() {
	local d=$1 f
	shift
	for f in "$@"; do
		[ -e "$d/$f" ] && { echo "$d/$f"; return 0; }
	done
	return 1
}

# CPU time of container NAME's cgroup in nanoseconds (v1 cpuacct.usage, v2 cpu.stat usage_usec).
cpu_ns() {
	local d
	if d=$(cgdir cpuacct "$1") && [ -e "$d/cpuacct.usage" ]; then
		cat "$d/cpuacct.usage"
	else
		d=$(cgdir cpu "$1") || return 1
		echo $(($(awk '$1 == "usage_usec" { print $2 }' "$d/cpu.stat") * 1000))
	fi
}

# Memory in use by container NAME's cgroup, bytes (v1 memory.usage_in_bytes, v2 memory.current).
mem_bytes() {
	local d
	d=$(cgdir memory "$1") || return 1
	cat "$(cg_file "$d" memory.usage_in_bytes memory.current)"
}

# How often the kernel's OOM killer killed a task of container NAME's cgroup (v1
# memory.oom_control, v2 memory.events: "oom_kill N").
oom_kills() {
	local d
	d=$(cgdir memory "$1") || return 1
	awk '$1 == "oom_kill" { print $2 }' "$(cg_file "$d" memory.oom_control memory.events)"
}

# cpu0_ticks: "BUSY IDLE" of CPU 0 so far, in USER_HZ ticks, from /proc/stat (idle + iowait
# count as idle; steal as busy, since the CPU was not ours then).
cpu0_ticks() {
	awk '$1 == "cpu0" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat
}

# bats test_tags=measures-cpu
@test "blkio: --device-read-bps holds a direct read to the set rate (the kernel's counters agree); --blkio-weight is applied, or discarded as the engine says" {
	requires root
	local probe d
	docker run -d --name cseclab-blkprobe cseclab/busybox sleep 60 >/dev/null
	d=$(cgdir blkio cseclab-blkprobe) || d=$(cgdir io cseclab-blkprobe) || skip "no blkio (v1) or io (v2) controller for containers here"
	probe=$(cg_file "$d" blkio.throttle.read_bps_device io.max) || skip "no blkio.throttle.read_bps_device or io.max in $d"
	docker rm -f cseclab-blkprobe >/dev/null
	# A block device of our own: a loop device on a sparse file (reads return zeros).
	IMG=$(mktemp /tmp/cseclab-blkio.XXXXXX)
	truncate -s 64M "$IMG"
	LOOP=$(losetup --find --show "$IMG") || skip "losetup: cannot attach a loop device here"
	local majmin limit=1048576 bytes=$((3 * 1048576))
	majmin=$(printf '%d:%d' "0x$(stat -c %t "$LOOP")" "0x$(stat -c %T "$LOOP")")
	run -0 docker run -d --name cseclab-blkio --device "$LOOP:/dev/cseclab-disk" \
		--device-read-bps "$LOOP:$limit" --blkio-weight 300 cseclab/busybox sleep 60
	# The engine's warning when the kernel has no weight file for it (e.g. no BFQ/CFQ).
	local weight_warned=$output
	d=$(cgdir blkio cseclab-blkio) || d=$(cgdir io cseclab-blkio)
	if [ -e "$d/blkio.throttle.read_bps_device" ]; then
		run -0 cat "$d/blkio.throttle.read_bps_device"
		assert_line "$majmin $limit"
	else
		run -0 cat "$d/io.max"
		assert_line --regexp "^$majmin rbps=$limit "
	fi
	# --blkio-weight: v1 blkio.weight (CFQ) or blkio.bfq.weight (BFQ), v2 io.weight or
	# io.bfq.weight. Docker 20.10 looks for blkio.weight only: without it the engine says it
	# discards the weight, and the cgroup keeps its default.
	local wf
	wf=$(cg_file "$d" blkio.weight blkio.bfq.weight io.bfq.weight io.weight) || wf=
	if [[ $weight_warned == *"does not support Block I/O weight"* ]]; then
		echo "# the engine: $(grep -o 'Your kernel does not support Block I/O weight[^.]*. [^.]*.' <<<"$weight_warned")" >&3
		if [ -n "$wf" ]; then
			run -0 cat "$wf"
			refute_output --regexp "(^| )300$"
		fi
	else
		[ -n "$wf" ] || fail "no weight file in $d, yet the engine took --blkio-weight"
		run -0 cat "$wf"
		assert_output --regexp "(^| )300$"
	fi
	# 3 MiB read with O_DIRECT (no page cache) at 1 MiB/s. blk-throttle hands out each
	# cgroup's budget in slices (100 ms on v1, the same on v2 for rotational-less devices) and
	# may let one slice through early: the time is at least (3 MiB - 0.1 s x 1 MiB/s) / 1 MiB/s
	# = 2.9 s, a rate of at most 1.04 MiB/s; 1.1 leaves room for the timer. Well below the
	# limit would mean something else throttled: half of it is the floor.
	local t0 t1 ms rate
	t0=$(date +%s%N)
	run -0 docker exec cseclab-blkio dd if=/dev/cseclab-disk of=/dev/null bs=64k count=48 iflag=direct
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	rate=$((bytes * 1000 / ms))
	echo "# --device-read-bps $limit: $bytes bytes read in $ms ms: $rate B/s" >&3
	[ "$rate" -le $((limit * 11 / 10)) ] || fail "read at $rate B/s, above the limit $limit B/s"
	[ "$rate" -ge $((limit / 2)) ] || fail "read at $rate B/s, far below the limit $limit B/s"
	# The kernel counted the bytes of that device in this cgroup.
	if [ -e "$d/blkio.throttle.io_service_bytes" ]; then
		run -0 cat "$d/blkio.throttle.io_service_bytes"
		assert_line "$majmin Read $bytes"
	else
		run -0 cat "$d/io.stat"
		assert_line --regexp "^$majmin rbytes=$bytes "
	fi
	# Control: the same read in a container without the limit is much faster.
	docker run -d --name cseclab-blkfree --device "$LOOP:/dev/cseclab-disk" cseclab/busybox sleep 60 >/dev/null
	t0=$(date +%s%N)
	run -0 docker exec cseclab-blkfree dd if=/dev/cseclab-disk of=/dev/null bs=64k count=48 iflag=direct
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	echo "# without the limit: $bytes bytes in $ms ms" >&3
	[ $((bytes * 1000 / ms)) -ge $((limit * 2)) ] || fail "unthrottled read too slow to tell apart: $ms ms"
}

# bats test_tags=measures-cpu
@test "unlimited baseline: without limits the stress container takes the whole pinned CPU and more memory than with --cpus 0.75 --memory 64m" {
	requires cgroup-cpuset
	local args=(--cpu 1 --vm 1 --vm-bytes 96m --vm-keep --timeout 30s) i
	docker run -d --name cseclab-unlimited --cpuset-cpus 0 cseclab/stress "${args[@]}" >/dev/null
	# Until the vm worker holds its 96 MiB (at most 10 s).
	for ((i = 0; i < 100; i++)); do
		[ "$(mem_bytes cseclab-unlimited)" -ge $((96 << 20)) ] && break
		sleep 0.1
	done
	local mem_u c0 c1 b0 i0 b1 i1 window busy idle other
	mem_u=$(mem_bytes cseclab-unlimited)
	read -r b0 i0 < <(cpu0_ticks)
	c0=$(cpu_ns cseclab-unlimited)
	sleep 2
	c1=$(cpu_ns cseclab-unlimited)
	read -r b1 i1 < <(cpu0_ticks)
	busy=$((b1 - b0)) idle=$((i1 - i0)) window=$((b1 - b0 + i1 - i0))
	# Ticks are 1/100 s (USER_HZ); the container's time in the same unit.
	local mine=$(((c1 - c0) / 10000000))
	other=$((busy - mine))
	echo "# unlimited, pinned to CPU 0: CPU 0 busy $busy of $window ticks, the container $mine, others $other, idle $idle; memory $((mem_u >> 20)) MiB" >&3
	[ "$mem_u" -ge $((96 << 20)) ] || fail "the unlimited container holds $mem_u bytes, less than the 96 MiB asked for"
	# The whole CPU: two busy workers leave CPU 0 no idle time. One tick of 200 is the
	# accounting's resolution; 5 % allows for it and for the workers' brief sleeps.
	[ "$idle" -le $((window / 20)) ] || fail "CPU 0 was idle $idle of $window ticks under two unlimited workers"
	if [ "$other" -gt $((window * 2 / 5)) ]; then
		skip "CPU 0 was busy with other work ($other of $window ticks): the container's share cannot be measured"
	fi
	docker rm -f cseclab-unlimited >/dev/null

	# The limited run: the course's --cpus 0.75, memory scaled to 64 MiB (no swap allowed, so
	# the result does not depend on whether this machine has swap).
	docker run -d --name cseclab-limited --cpuset-cpus 0 --cpus 0.75 --memory 64m --memory-swap 64m \
		cseclab/stress "${args[@]}" >/dev/null
	sleep 1
	local mem_l lc0 lc1 t0 t1 limited
	t0=$(date +%s%N)
	lc0=$(cpu_ns cseclab-limited)
	sleep 2
	lc1=$(cpu_ns cseclab-limited)
	t1=$(date +%s%N)
	mem_l=$(mem_bytes cseclab-limited)
	limited=$(((lc1 - lc0) * 100 / (t1 - t0)))
	echo "# --cpus 0.75 --memory 64m: ${limited}% of CPU 0, memory $((mem_l >> 20)) MiB, OOM kills $(oom_kills cseclab-limited)" >&3
	[ "$mem_l" -le $((64 << 20)) ]
	[ "$mem_u" -gt "$mem_l" ]
	# The quota gives 75 ms per 100 ms period; a 2 s window not aligned to periods can hold one
	# period's quota more: (20 + 1) x 75 ms / 2000 ms = 79 %, and 80 with the bandwidth slice.
	[ "$limited" -le 80 ] || fail "--cpus 0.75 used ${limited}% of CPU 0"
}

@test "--cpus .75 --memory 64m (the course's 1g, scaled): the limit is in the cgroup; an allocation past it is OOM-killed (137, oom_kill counted)" {
	docker run -d --name cseclab-mem31 --cgroup-parent "/$PARENT" --cpus 0.75 --memory 64m --memory-swap 64m \
		cseclab/stress --cpu 1 --timeout 60s >/dev/null
	local d
	d=$(cgdir memory cseclab-mem31)
	[[ $d == */$PARENT/* ]] || fail "the container's memory cgroup $d is not under /$PARENT"
	run -0 cat "$(cg_file "$d" memory.limit_in_bytes memory.max)"
	assert_output $((64 << 20))
	local before after
	before=$(oom_kills cseclab-mem31)
	# tail of /dev/zero keeps growing its one endless "line": in the container's cgroup, past 64 MiB.
	run docker exec cseclab-mem31 tail /dev/zero
	assert_failure 137
	after=$(oom_kills cseclab-mem31)
	echo "# oom_kill of the container's cgroup: $before before, $after after" >&3
	[ "$after" -gt "$before" ] || fail "oom_kill did not grow: $before -> $after"
	# The container itself lives on: only the process that grew was killed.
	run -0 docker inspect -f '{{.State.Running}}' cseclab-mem31
	assert_output true
	# Control: 16 MiB fits under the same limit, and no new OOM kill is counted.
	run -0 docker exec cseclab-mem31 sh -c 'head -c 16m /dev/zero | tail >/dev/null && echo fits'
	assert_output fits
	[ "$(oom_kills cseclab-mem31)" = "$after" ]
}

@test "limits: every container of this file is gone, and the parent cgroup with them" {
	rm_containers
	rmdir_parent
	assert_no_docker_leftovers
	local d
	for d in $(cg_mounts); do
		[ ! -e "$d/$PARENT" ] || fail "left behind: $d/$PARENT"
	done
}
