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

# cgdir CONTROLLER NAME: the container's cgroup directory on the host (cg_dir: any layout).
cgdir() { cg_dir "$(cpid "$2")" "$1"; }

# CPU time of a container's cgroup in nanoseconds (v1 cpuacct.usage, or v2 cpu.stat usage_usec).
cpu_ns() {
	local d
	d=$(cgdir cpuacct "$1")
	if [ -e "$d/cpuacct.usage" ]; then
		cat "$d/cpuacct.usage"
	else
		echo $(($(awk '$1 == "usage_usec" { print $2 }' "$d/cpu.stat") * 1000))
	fi
}

# share_of NAME SECONDS: the share of one CPU the container used over SECONDS, in percent.
share_of() {
	local a b t0 t1
	a=$(cpu_ns "$1")
	t0=$(date +%s%N)
	sleep "$2"
	b=$(cpu_ns "$1")
	t1=$(date +%s%N)
	echo $(((b - a) * 100 / (t1 - t0)))
}

rmdir_parent() {
	local m
	while read -r m; do
		if [ -d "$m/$PARENT" ]; then rmdir "$m/$PARENT"; fi
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

@test "tour: --cpus 0.75 holds stress at most 75% of a CPU; docker update --cpus 0.25 cuts it to 25% live" {
	docker run -d --name cseclab-stress --cgroup-parent "/$PARENT" --cpus 0.75 cseclab/stress --cpu 1 --timeout 60s
	local d before after
	d=$(cgdir cpu cseclab-stress)
	if [ -e "$d/cpu.cfs_quota_us" ]; then
		[ "$(cat "$d/cpu.cfs_quota_us") $(cat "$d/cpu.cfs_period_us")" = "75000 100000" ]
	else
		[ "$(cat "$d/cpu.max")" = "75000 100000" ]
	fi
	sleep 1 # stress-ng starts its worker
	before=$(share_of cseclab-stress 2)
	show docker update --cpus 0.25 cseclab-stress
	assert_success
	if [ -e "$d/cpu.cfs_quota_us" ]; then
		[ "$(cat "$d/cpu.cfs_quota_us")" = 25000 ]
	else
		[ "$(cat "$d/cpu.max")" = "25000 100000" ]
	fi
	sleep 0.3
	local t0 t1
	t0=$(awk '$1 == "nr_throttled" { print $2 }' "$d/cpu.stat")
	after=$(share_of cseclab-stress 2)
	t1=$(awk '$1 == "nr_throttled" { print $2 }' "$d/cpu.stat")
	echo "# one CPU hog: ${before}% of a CPU with --cpus 0.75, ${after}% after docker update --cpus 0.25" >&3
	# Never above the quota (plus measuring slack); other work on these CPUs may keep it below.
	[ "$before" -le 82 ]
	[ "$after" -le 30 ]
	[ "$after" -lt "$before" ]
	# The kernel throttled the group in (nearly) every period once the quota was 25%.
	[ "$((t1 - t0))" -ge 10 ]
}

@test "--cpu-shares 2048 vs 1024 on one pinned CPU (--cpuset-cpus 0): a 2:1 split" {
	requires cgroup-cpuset
	docker run -d --name cseclab-share2048 --cpuset-cpus 0 --cpu-shares 2048 cseclab/busybox sh -c 'while :; do :; done'
	docker run -d --name cseclab-share1024 --cpuset-cpus 0 --cpu-shares 1024 cseclab/busybox sh -c 'while :; do :; done'
	sleep 0.5
	local a0 b0 a1 b1 ratio
	a0=$(cpu_ns cseclab-share2048)
	b0=$(cpu_ns cseclab-share1024)
	sleep 3
	a1=$(cpu_ns cseclab-share2048)
	b1=$(cpu_ns cseclab-share1024)
	ratio=$(((a1 - a0) * 100 / (b1 - b0)))
	echo "# cpu-shares 2048:1024 measured ratio ${ratio}/100 (theory 200)" >&3
	[ "$ratio" -ge 150 ] && [ "$ratio" -le 270 ]
	# Control: equal shares split evenly.
	docker update --cpu-shares 1024 cseclab-share2048 >/dev/null
	sleep 0.5
	a0=$(cpu_ns cseclab-share2048)
	b0=$(cpu_ns cseclab-share1024)
	sleep 2
	a1=$(cpu_ns cseclab-share2048)
	b1=$(cpu_ns cseclab-share1024)
	ratio=$(((a1 - a0) * 100 / (b1 - b0)))
	echo "# cpu-shares 1024:1024 measured ratio ${ratio}/100 (theory 100)" >&3
	[ "$ratio" -ge 70 ] && [ "$ratio" -le 140 ]
}

@test "tour: --memory 64m: a process growing past it is OOM-killed (137); under it, it runs" {
	# tail of /dev/zero keeps the whole "line" (no newline ever comes) in memory.
	show docker run --name cseclab-oom --memory 64m cseclab/busybox tail /dev/zero
	assert_failure 137
	run docker inspect -f '{{.State.OOMKilled}}' cseclab-oom
	assert_output true
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
		[ "$n" -gt "$peak" ] && peak=$n
		[ "$(awk '$1 == "max" { print $2 }' "$d/pids.events")" -gt 0 ] && [ "$i" -ge 20 ] && break
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
