# shellcheck shell=bash
# shellcheck disable=SC2154 # status and output are set by bats' run
# shellcheck disable=SC2016 # sh -c scripts are single-quoted on purpose
# helpers.bash - loaded by every bats file: `load helpers` (or `load ../helpers` from a subfolder).
#
#   requires FEATURE...    skip the test, with doctor's reason, unless the machine has every
#                          FEATURE (keywords of `doctor --check`; an unknown keyword fails loudly)
#   run_lab FEATURE CMD... `run CMD`, then: exit 77 (this machine cannot run it) becomes a skip
#                          with the program's reason, unless doctor says FEATURE is available,
#                          in which case the test fails (a wrong feature check must not hide a lab)
#   as_user CMD...         run CMD as the suite's unprivileged user (uid $CSECLAB_UID)
#   show CMD...            `run CMD` and, during `make tour`, print the command and its output
#   assert_no_leftovers    no cseclab cgroup, queue or mount exists
#   mark_kmsg; wait_kmsg RE  write a marker to the kernel log, then wait for a line matching RE
#                          logged after it (after_mark prints them): LSM audit records
#   skip_if_sanitized PROG a test that confines PROG with a syscall allow-list skips in
#                          `make sanitize`: the ASan runtime's own calls are in no such list
#   cg_mount CONTROLLER    "MOUNTPOINT ROOT VERSION" of the hierarchy that has CONTROLLER
#   cg_rel PID CONTROLLER  PID's cgroup in that hierarchy, as /proc/PID/cgroup names it
#   cg_dir PID CONTROLLER  the directory of that cgroup (any layout: see below)
#   cg_mounts              every cgroup mount point, one a line
#   tick_us; lag_us        the kernel's tick and the scheduler's lag, in us: what limits a CPU
#                          measurement (the tolerances of the CPU tests come from them)
#
# Programs are found on PATH: $CSECLAB_BIN (default: the repo's bin/) comes first.

CSECLAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CSECLAB_ROOT
export CSECLAB_BIN=${CSECLAB_BIN:-$CSECLAB_ROOT/bin}
export PATH="$CSECLAB_BIN:$PATH"
export CSECLAB_LANE=${CSECLAB_LANE:-host}
# The unprivileged user, defined in scripts/lab-user.sh: the uid the name has here (scripts/setup
# creates it; the lab VM has it in /etc/passwd), else its number (a container knows no name).
# shellcheck source=scripts/lab-user.sh
. "$CSECLAB_ROOT/scripts/lab-user.sh"
export CSECLAB_UID=${CSECLAB_UID:-$(id -u "$CSECLAB_LAB_USER" 2>/dev/null || echo "$CSECLAB_LAB_UID")}
export CSECLAB_GID=${CSECLAB_GID:-$(id -g "$CSECLAB_LAB_USER" 2>/dev/null || echo "$CSECLAB_LAB_UID")}
export NO_COLOR=1

bats_require_minimum_version 1.5.0 # run -N (exact exit status) needs it

CSECLAB_BATS_LIBS=${CSECLAB_BATS_LIBS:-/usr/lib/bats}
load "$CSECLAB_BATS_LIBS/bats-support/load.bash"
load "$CSECLAB_BATS_LIBS/bats-assert/load.bash"
load "$CSECLAB_BATS_LIBS/bats-file/load.bash"

# doctor is the single source of truth about what this machine offers.
requires() {
	local f out rc
	for f in "$@"; do
		out=$(doctor --check "$f" 2>&1) && continue
		rc=$?
		if [ "$rc" -eq 2 ]; then
			fail "requires: unknown feature keyword '$f' ($out)"
		fi
		# Only doctor's "no" (1) is a reason to skip: a missing or crashing doctor is a failure.
		[ "$rc" -eq 1 ] || fail "requires: doctor --check $f exited $rc: $out"
		# doctor's answer for a lab already says which of its features is missing
		case $out in needs\ *) skip "$f: $out" ;; *) skip "needs $f: $out" ;; esac
	done
}

run_lab() {
	local feature=$1 out
	shift
	run "$@"
	if [ "$status" -eq 77 ]; then
		if out=$(doctor --check "$feature" 2>&1); then
			fail "$1 says it cannot run here (exit 77: $output), but doctor says '$feature' is available: $out"
		fi
		skip "$1: ${output##*cannot run here: }"
	fi
}

as_user() {
	setpriv --reuid="$CSECLAB_UID" --regid="$CSECLAB_GID" --clear-groups --reset-env -- \
		env PATH="$CSECLAB_BIN:/usr/local/bin:/usr/bin:/bin" NO_COLOR=1 "$@"
}

# For `make tour`: the step's title once, then each command and its real output, on fd 3.
show() {
	run "$@"
	if [ -n "${CSECLAB_TOUR:-}" ]; then
		if [ "${_tour_titled:-}" != "$BATS_TEST_NUMBER" ]; then
			printf '\n== %s\n' "${BATS_TEST_DESCRIPTION#tour: }" >&3
			_tour_titled=$BATS_TEST_NUMBER
		fi
		printf '$ %s\n' "$*" >&3
		printf '%s\n' "$output" | sed 's/^/  /' >&3
	fi
}

skip_if_sanitized() {
	local bin
	bin=$(command -v "$1") || return 0
	if grep -q __asan_init "$bin" 2>/dev/null; then
		skip "$1 is built with ASan here (make sanitize): its runtime makes system calls that no allow-list traced from the program can foresee"
	fi
}

# What the suite may have left: cgroups, POSIX queues and mounts named cseclab*.
leftovers() {
	local d m
	while read -r m; do
		for d in "$m"/cseclab* "$m"/*/cseclab* "$m"/*/*/cseclab*; do
			if [ -e "$d" ]; then echo "cgroup $d"; fi
		done
	done < <(cg_mounts)
	# POSIX queues: /dev/mqueue is not mounted everywhere, so look through a private mount
	unshare -m sh -c 'd=$(mktemp -d) && mount -t mqueue cseclab-mq "$d" &&
		for q in "$d"/cseclab*; do [ -e "$q" ] && echo "queue /${q##*/}"; done;
		umount "$d"; rmdir "$d"' 2>/dev/null
	grep cseclab /proc/self/mounts | sed 's/^/mount /'
	ip netns list 2>/dev/null | awk '$1 ~ /^cseclab/ { print "network namespace " $1 }'
	return 0
}

assert_no_leftovers() {
	local l
	l=$(leftovers)
	[ -z "$l" ] || fail "left behind: $l"
}

# A marker in the kernel log, then (after_mark) only the lines logged since: old records of an
# earlier test cannot satisfy this one.
mark_kmsg() {
	MARK="cseclab-mark-$BATS_TEST_NUMBER-$RANDOM"
	echo "$MARK" >/dev/kmsg
}
after_mark() {
	dmesg | sed -n "/$MARK/,\$p"
}
# Wait (kauditd prints asynchronously) for a kernel log line since the mark matching $1.
wait_kmsg() {
	local _
	for _ in $(seq 30); do
		after_mark | grep -E "$1" && return 0
		sleep 0.1
	done
	after_mark
	fail "no kernel log line matching: $1"
}

# ---- cgroup paths -----------------------------------------------------------------------------
# Never assume a layout: cpu and cpuacct may be two v1 hierarchies or one (cpu,cpuacct), v2 has
# one tree, and a mount may show only a sub-tree (inside a container its root, field 4 of
# mountinfo, is the container's cgroup). Every path comes from /proc/self/mountinfo and
# /proc/PID/cgroup, as the kernel states them.

# The visible cgroup mounts (a later mount on the same mount point hides an earlier one), in
# mountinfo order: "MOUNTPOINT ROOT FSTYPE ,SUPEROPTS,".
_cg_mountinfo() {
	awk '{
		for (i = 7; $i != "-"; i++)
			;
		if ($(i + 1) != "cgroup" && $(i + 1) != "cgroup2")
			next
		if (!($5 in fs))
			order[++n] = $5
		fs[$5] = $(i + 1); root[$5] = $4; opts[$5] = "," $(i + 3) ","
	}
	END { for (k = 1; k <= n; k++) print order[k], root[order[k]], fs[order[k]], opts[order[k]] }' \
		/proc/self/mountinfo
}

cg_mounts() { _cg_mountinfo | cut -d" " -f1; }

# The v1 hierarchy whose super options name CONTROLLER, else the cgroup2 mount whose
# cgroup.controllers lists it (v2 has no cpuacct: its counters are cpu.stat's, in every cgroup).
cg_mount() {
	local c=$1 mnt root fs opts ctl
	while read -r mnt root fs opts; do
		[ "$fs" = cgroup ] && [[ $opts == *",$c,"* ]] && { echo "$mnt $root 1"; return 0; }
	done < <(_cg_mountinfo)
	if [ "$c" = cpuacct ]; then c=cpu; fi
	while read -r mnt root fs opts; do
		[ "$fs" = cgroup2 ] || continue
		ctl=$(cat "$mnt/cgroup.controllers" 2>/dev/null) || continue
		[[ " $ctl " == *" $c "* ]] && { echo "$mnt $root 2"; return 0; }
	done < <(_cg_mountinfo)
	echo "cg_mount: no cgroup hierarchy with $1 is mounted" >&2
	return 1
}

cg_rel() {
	local where ver
	where=$(cg_mount "$2") || return 1
	ver=${where##* }
	awk -v c="$2" -v v="$ver" '{
		i = index($0, ":"); rest = substr($0, i + 1); j = index(rest, ":")
		ctrls = substr(rest, 1, j - 1); path = substr(rest, j + 1)
		if (v == 2 && substr($0, 1, i - 1) == "0" && ctrls == "") { print path; found = 1; exit }
		if (v == 1 && index("," ctrls ",", "," c ",")) { print path; found = 1; exit }
	}
	END { exit !found }' "/proc/$1/cgroup" || {
		echo "cg_rel: /proc/$1/cgroup has no line for $2" >&2
		return 1
	}
}

# The directory: the cgroup's path minus the mount's root, under the mount point.
cg_dir() {
	local mnt root ver rel
	read -r mnt root ver < <(cg_mount "$2") || return 1
	rel=$(cg_rel "$1" "$2") || return 1
	if [ "$root" != / ]; then
		if [ "$rel" != "$root" ] && [ "${rel#"$root"/}" = "$rel" ]; then
			echo "cg_dir: $2 cgroup $rel of $1 is outside the mount $mnt (root $root)" >&2
			return 1
		fi
		rel=${rel#"$root"}
	fi
	if [ "$rel" = / ]; then rel=; fi
	echo "$mnt$rel"
}

# ---- what limits a CPU measurement (tests/20-cgroups.bats, tests/docker/20-cgroups.bats) ----

# The kernel's tick (1 / CONFIG_HZ) in microseconds: a busy task runs at least this long before
# the scheduler looks at it again (to switch to another task, or to throttle its cgroup). From
# the kernel's configuration; 10000 (HZ=100, the longest tick Linux offers) if it is unreadable.
tick_us() {
	local hz
	hz=$({ cat "/boot/config-$(uname -r)" 2>/dev/null || zcat /proc/config.gz 2>/dev/null; } |
		sed -n 's/^CONFIG_HZ=\([0-9][0-9]*\)$/\1/p')
	echo $((1000000 / ${hz:-100}))
}

# The scheduler's lag in microseconds: how far an entity sharing a CPU by weight may be ahead of
# or behind its fair share at any moment. CFS (kernels before 6.6) lets the running entity use
# its slice, at most sched_latency (6 ms x (1 + log2 of the CPUs, counted up to 8)), and checks
# at each tick; EEVDF (6.6+) bounds the lag by its base slice (smaller), also checked at ticks.
lag_us() {
	local n f=1
	n=$(getconf _NPROCESSORS_ONLN)
	[ "$n" -le 8 ] || n=8
	while [ "$n" -ge 2 ]; do
		f=$((f + 1))
		n=$((n / 2))
	done
	echo $((6000 * f + $(tick_us)))
}
