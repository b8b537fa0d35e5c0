load helpers
# lanes: host vm
#
# The capstone: minibox (labs/runtime) beside runc, one bundle, two runtimes. Each parity test
# runs the same config.json with `runc run` and `minibox run` and compares what the kernel
# answers inside (namespace inodes, capability sets, /proc/self/status, scprobe's errnos, the
# cgroup files, mountinfo, exit statuses); where they differ on purpose, the test asserts the
# difference (the chapter says why). The host lane (cgroup v1 here) runs them all; the VM lane
# (cgroup v2) those whose answers depend on the cgroup version: the cgroup2 mount, the limits'
# v2 files, the BPF device program, the cgroup and user namespaces, an OOM kill by memory.max.
# Bundles share one busybox rootfs with nsinfo, capshow and scprobe (scripts/mkrootfs).

setup_file() {
	RT=$(mktemp -d /tmp/cseclab-runtime.XXXXXX)
	chmod 755 "$RT"
	export RT
	if command -v busybox >/dev/null && command -v jq >/dev/null; then
		# Only the commands the tests run: a link per busybox applet is slow under emulation.
		"$CSECLAB_ROOT/scripts/mkrootfs" --applets "sh cat cut dd grep head hostname id ls \
			mknod sed sleep sort stat true wc" "$RT/rootfs" "$CSECLAB_BIN/nsinfo" \
			"$CSECLAB_BIN/capshow" "$CSECLAB_BIN/scprobe" >/dev/null
		minibox spec -b "$RT"
		mkdir -p "$RT/marks"
	fi
}

teardown_file() {
	rm -rf "$RT"
}

setup() {
	requires lab:runtime tool:runc tool:busybox tool:jq
	[ -f "$RT/config.json" ] || fail "setup_file could not build the bundle in $RT"
	BG=()
}

teardown() {
	local p id
	for p in "${BG[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	for id in $(runc --root /run/cseclab-runc list -q 2>/dev/null); do
		case $id in cseclab-*) runc --root /run/cseclab-runc delete -f "$id" 2>/dev/null ;; esac
	done
	return 0
}

# bundle NAME [JQ]: $RT/NAME/config.json, minibox spec's config with root.path the shared
# rootfs, linux.cgroupsPath /cseclab-mb-NAME, the process ARGS (a shell command line) and JQ.
bundle() {
	local name=$1 filter=${2:-.}
	mkdir -p "$RT/$name"
	jq --arg root "$RT/rootfs" --arg cg "/cseclab-mb-$name" \
		".root.path = \$root | .linux.cgroupsPath = \$cg | $filter" \
		"$RT/config.json" >"$RT/$name/config.json"
}

# cmd SHELL-LINE: a JQ filter setting process.args to sh -c SHELL-LINE.
cmd() {
	jq -cn --arg c "$1" '["sh", "-c", $c]' | sed 's/^/.process.args = /'
}

# on RUNTIME NAME: `run` the bundle with runc or minibox (container ID cseclab-mb-NAME).
on() {
	if [ "$1" = runc ]; then
		run --separate-stderr runc --root /run/cseclab-runc run -b "$RT/$2" "cseclab-mb-$2"
	else
		run --separate-stderr minibox run -b "$RT/$2" "cseclab-mb-$2"
	fi
}

# both NAME: run the bundle with each runtime; R_OUT R_RC, M_OUT M_RC. Neither leaves anything.
both() {
	on runc "$1"
	R_OUT=$output R_RC=$status R_ERR=$stderr
	on minibox "$1"
	M_OUT=$output M_RC=$status M_ERR=$stderr
	assert_clean
}

# assert_clean: no cgroup, mount or container of this file's is left (other tests may run
# beside it: assert_clean would see theirs).
assert_clean() {
	local l
	l=$(leftovers | grep -e cseclab-mb- -e "$RT" || true)
	l+=$(runc --root /run/cseclab-runc list -q 2>/dev/null | grep cseclab-mb- || true)
	[ -z "$l" ] || fail "left behind: $l"
}

# same: both runtimes printed the same and exited the same.
same() {
	[ "$R_RC" = "$M_RC" ] || fail "exit status: runc $R_RC, minibox $M_RC (stderr: $R_ERR / $M_ERR)"
	[ "$R_OUT" = "$M_OUT" ] || fail "runc and minibox differ:
$(diff <(echo "$R_OUT") <(echo "$M_OUT"))"
}

cgroup_v2() { [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; }

# ---- the bundle ------------------------------------------------------------------------------

@test "runtime: minibox spec writes runc spec's config, with terminal false and its own hostname" {
	cd "$BATS_TEST_TMPDIR"
	runc spec
	run jq -S 'del(.process.terminal, .hostname)' config.json
	want=$output
	run -0 jq -S 'del(.process.terminal, .hostname)' "$RT/config.json"
	assert_equal "$output" "$want"
	run -0 jq -r '"\(.process.terminal) \(.hostname)"' "$RT/config.json"
	assert_output "false minibox"
	run -1 minibox spec -b "$RT"
	assert_output --partial "config.json: File exists"
}

# bats test_tags=vm
@test "runtime: runc spec's own config.json, terminal false, runs unchanged under both" {
	cd "$BATS_TEST_TMPDIR"
	runc spec
	mkdir -p spec
	jq --arg root "$RT/rootfs" '.process.terminal = false | .root.path = $root |
		.process.args = ["sh", "-c", "hostname; id; grep -E \"^(NoNewPrivs|CapBnd)\" /proc/self/status"]' \
		config.json >spec/config.json
	cp -r spec "$RT/spec"
	both spec
	same
	assert_equal "$M_RC" 0
	assert_equal "$M_OUT" "runc
uid=0(root) gid=0(root)
CapBnd:	0000000020000420
NoNewPrivs:	1"
}

@test "runtime: unknown properties are ignored, as the runtime-spec asks" {
	bundle unknown "$(cmd 'echo ran') | .cseclabFuture = {\"x\": 1} | .process.cseclabKnob = true | .linux.cseclab = [1]"
	both unknown
	same
	assert_equal "$M_OUT" ran
}

@test "runtime: minibox's command line: --help, a bad option, a missing ID, an ordinary user" {
	run --separate-stderr minibox --help
	assert_success
	assert_line --index 0 --partial "Usage: minibox run"
	assert_equal "$stderr" ""
	run --separate-stderr minibox --bogus run x
	assert_equal "$status" 2
	assert_equal "$stderr" "minibox: unknown option '--bogus'
Try 'minibox --help' for more information."
	run -2 minibox run
	assert_line --index 0 "minibox: run needs one container ID"
	run -2 minibox run 'bad/id'
	# An ordinary user gets as far as the checks of the bundle, then: this needs root (77).
	bundle user77 '.process.args = ["true"]'
	run -77 as_user minibox run -b "$RT/user77" cseclab-mb-user77
	assert_output --partial "cannot run here"
	assert_clean
}

# ---- parity, field by field ------------------------------------------------------------------

@test "runtime: namespaces: the same kinds differ from the host's under both (nsinfo)" {
	bundle ns "$(cmd nsinfo)"
	both ns
	assert_equal "$R_RC" 0
	assert_equal "$M_RC" 0
	host=$(nsinfo)
	# Which kinds differ from the host's: the config's five (pid twice: pid_for_children).
	differ() { join <(sort <<<"$host") <(sort <<<"$1") | awk '$2 != $3 { print $1 }' | xargs; }
	assert_equal "$(differ "$R_OUT")" "ipc mnt net pid pid_for_children uts"
	assert_equal "$(differ "$M_OUT")" "ipc mnt net pid pid_for_children uts"
}

@test "runtime: capabilities: the five sets and no_new_privs are the same (capshow)" {
	bundle caps "$(cmd 'capshow | grep -E "^(effective|permitted|inheritable|ambient|bounding|no_new_privs):"')"
	both caps
	same
	assert_line --index 0 --regexp '^effective: +0x0000000020000420 kill,net_bind_service,audit_write$'
	assert_line --index 5 'no_new_privs: 1'
}

@test "runtime: a non-root user gets its groups and, through ambient, one capability" {
	bundle user "$(cmd 'grep -E "^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapAmb):" /proc/self/status') |
		.process.user = {uid: 1000, gid: 1000, additionalGids: [10, 20]} |
		.process.capabilities.inheritable = [\"CAP_NET_BIND_SERVICE\"] |
		.process.capabilities.ambient = [\"CAP_NET_BIND_SERVICE\"]"
	both user
	same
	assert_equal "$M_OUT" "Uid:	1000	1000	1000	1000
Gid:	1000	1000	1000	1000
Groups:	10 20 
CapInh:	0000000000000400
CapPrm:	0000000000000400
CapEff:	0000000000000400
CapAmb:	0000000000000400"
}

@test "runtime: hostname, cwd, env and the rlimit are the config's under both" {
	# shellcheck disable=SC2016 # $CSECLAB_VAR is the container's
	bundle uts "$(cmd 'hostname; ulimit -n; ulimit -Hn; pwd; echo "$CSECLAB_VAR"') |
		.hostname = \"cseclab-box\" | .process.cwd = \"/tmp\" |
		.process.env += [\"CSECLAB_VAR=from-config\"] |
		.process.rlimits = [{type: \"RLIMIT_NOFILE\", soft: 321, hard: 654}]"
	both uts
	same
	assert_equal "$M_OUT" "cseclab-box
321
654
/tmp
from-config"
	[ "$(hostname)" != cseclab-box ] || fail "control: the host is named cseclab-box too"
}

@test "runtime: masked and read-only paths: /dev/null, an empty tmpfs, EROFS" {
	bundle paths "$(cmd 'wc -c </proc/timer_list; ls -A /proc/acpi | wc -l; echo x 2>&1 >/proc/sys/kernel/domainname | sed "s/.*: //"')"
	both paths
	same
	assert_equal "$M_OUT" "0
0
Read-only file system"
	# control: the host's /proc/timer_list is not empty
	[ "$(wc -c </proc/timer_list)" -gt 0 ]
}

# bats test_tags=vm
@test "runtime: the mounts and their flags are the same (mountinfo less IDs and devices)" {
	bundle mounts "$(cmd 'cut -d" " -f4- /proc/self/mountinfo') |
		.mounts += [{destination: \"/data\", type: \"bind\", source: \"$RT/marks\",
			options: [\"rbind\", \"ro\", \"nosuid\", \"nodev\"]}]"
	both mounts
	same
	assert_line --regexp " /data ro,nosuid,nodev,[a-z,]+ - "
	assert_line --partial "$RT/rootfs / ro,relatime - "
	assert_line --regexp '^/ /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro$'
	assert_line --regexp '^/ /proc/acpi ro,relatime - tmpfs tmpfs ro(,inode64)?$'
}

@test "runtime: seccomp: the same profile gives the same answers, but for runc's ENOSYS stub" {
	jq '{defaultAction, defaultErrnoRet,
		architectures: ([.archMap[] | select(.architecture == "SCMP_ARCH_X86_64")][0] |
			[.architecture] + .subArchitectures),
		syscalls: [.syscalls[] | select((.includes.caps // []) == [] and
			((.includes.arches // ["amd64"]) | index("amd64")) != null and
			(.includes.minKernel // "") == "") | del(.includes, .excludes, .comment)]}' \
		"$CSECLAB_ROOT/docker/profiles/default-no-chmod.json" >"$RT/oci-seccomp.json"
	bundle sc "$(cmd 'scprobe; grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status') |
		.linux.seccomp = $(cat "$RT/oci-seccomp.json")"
	both sc
	assert_equal "$R_RC" 0
	assert_equal "$M_RC" 0
	assert_line 'chmod: errno EPERM'
	assert_line 'Seccomp:	2'
	assert_line 'NoNewPrivs:	1'
	# Where they differ, runc says ENOSYS (a syscall newer than any the profile names) and
	# minibox the profile's default, EPERM: nothing else differs.
	run diff <(echo "$R_OUT") <(echo "$M_OUT")
	diffs=$(grep -E '^[<>]' <<<"$output" | sed -E 's/^([<>]) ([a-z0-9_]+): errno (E[A-Z]+)$/\1 \3/' | sort -u | xargs)
	assert_equal "$diffs" "< ENOSYS > EPERM"
	# control: outside any filter the syscalls that differ never answer EPERM: minibox's EPERM
	# is the profile's (and where this kernel has them, runc's ENOSYS is its stub's)
	mapfile -t names < <(grep -E '^[<>]' <<<"$output" | sed -E 's/^. ([a-z0-9_]+):.*/\1/' | sort -u)
	for name in "${names[@]}"; do
		run scprobe "$name"
		refute_output --partial EPERM
	done
}

@test "runtime: without noNewPrivileges the filter is loaded before the privileges drop" {
	bundle scnnp "$(cmd 'grep -E "^(Seccomp|NoNewPrivs|Uid):" /proc/self/status') |
		.process.noNewPrivileges = false | .process.user.uid = 1000 |
		.linux.seccomp = $(cat "$RT/oci-seccomp.json" 2>/dev/null || echo '{"defaultAction": "SCMP_ACT_ALLOW"}')"
	both scnnp
	same
	assert_equal "$M_OUT" "Uid:	1000	1000	1000	1000
NoNewPrivs:	0
Seccomp:	2"
}

# bats test_tags=vm
@test "runtime: cgroup limits read inside are the same (v1 files, v2 files: cpu.weight by runc's formula)" {
	local read
	if cgroup_v2; then
		read='cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.weight /sys/fs/cgroup/cpu.max'
	else
		read='cd /sys/fs/cgroup; cat memory/memory.limit_in_bytes pids/pids.max cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us'
	fi
	bundle limits "$(cmd "$read") | .linux.namespaces += [{type: \"cgroup\"}] |
		.linux.resources += {memory: {limit: 67108864}, pids: {limit: 32},
			cpu: {shares: 512, quota: 50000, period: 100000}}"
	both limits
	same
	if cgroup_v2; then
		assert_equal "$M_OUT" "67108864
32
20
50000 100000"
	else
		assert_equal "$M_OUT" "67108864
32
512
50000
100000"
	fi
}

# bats test_tags=vm
@test "runtime: devices: a node made inside opens only if the rules allow it (EPERM otherwise)" {
	# 42 is the major number for demos: no driver has it. Opening 42:42 fails either way;
	# with EPERM when the devices rules refuse it, with ENXIO (no driver) when they let it by.
	local caps='.process.capabilities.bounding += ["CAP_MKNOD"] |
		.process.capabilities.effective += ["CAP_MKNOD"] |
		.process.capabilities.permitted += ["CAP_MKNOD"]'
	bundle dev "$(cmd 'mknod /dev/cseclab-null c 1 3 && head -c 1 /dev/cseclab-null && echo null: ok; mknod /dev/cseclab-42 c 42 42 && echo mknod: ok; head -c 0 /dev/cseclab-42 2>&1 | sed "s/.*: //"') | $caps"
	both dev
	same
	assert_equal "$M_OUT" "null: ok
mknod: ok
Operation not permitted"
	# control: with an allow-all rule the same open gets past the cgroup, to the driver
	bundle devall "$(cmd 'mknod /dev/cseclab-42 c 42 42; head -c 0 /dev/cseclab-42 2>&1 | sed "s/.*: //"') |
		$caps | .linux.resources.devices = [{allow: true, access: \"rwm\"}]"
	both devall
	same
	assert_equal "$M_OUT" "No such device or address"
}

@test "runtime: v1: devices.list is the same set of rules under both" {
	if cgroup_v2; then skip "cgroup v2: no devices.list (the VM lane checks the BPF program by its answers)"; fi
	bundle devlist "$(cmd 'sort /sys/fs/cgroup/devices/devices.list')"
	both devlist
	same
	assert_line 'c 1:3 rwm'
	assert_line 'c 136:* rwm'
	refute_line 'a *:* rwm'
}

# bats test_tags=vm
@test "runtime: a cgroup namespace made after the join: /proc/self/cgroup shows / under both" {
	requires cgroupns
	bundle cgns "$(cmd 'cut -d: -f2- /proc/self/cgroup') | .linux.namespaces += [{type: \"cgroup\"}]"
	both cgns
	same
	refute_output --partial cseclab
	assert_line --regexp ':/$'
	# control: without the namespace the container sees its cgroup's path
	bundle nocgns "$(cmd 'cut -d: -f2- /proc/self/cgroup')"
	both nocgns
	same
	assert_line --regexp ':/cseclab-mb-nocgns$'
}

# bats test_tags=vm
@test "runtime: a user namespace: the same ID map, owners and capabilities" {
	requires userns
	bundle userns "$(cmd 'cat /proc/self/uid_map; stat -c "%u %g" /dev/null /; grep -E "^Cap(Eff|Bnd):" /proc/self/status; cut -d" " -f4- /proc/self/mountinfo | grep -c .') |
		.linux.namespaces += [{type: \"user\"}] |
		.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}] |
		.linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]"
	both userns
	same
	assert_line --index 0 --regexp '^ +0 +100000 +65536$'
	# the host's root owns /dev/null (a bind mount: mknod is refused) and the rootfs: unmapped
	assert_line --index 1 '65534 65534'
	assert_line --index 2 '65534 65534'
}

# ---- exit status, signals, OOM ---------------------------------------------------------------

# bats test_tags=vm
@test "runtime: the exit status: 0, 3, and 137 when the OOM killer kills PID 1" {
	requires cgroup-memory kmsg
	bundle exit3 "$(cmd 'exit 3')"
	both exit3
	same
	assert_equal "$M_RC" 3
	bundle oom '.process.args = ["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"] |
		.linux.resources.memory = {limit: 16777216}'
	mark_kmsg
	on runc oom
	assert_equal "$status" 137
	wait_kmsg 'oom_memcg=/cseclab-mb-oom'
	mark_kmsg
	on minibox oom
	assert_equal "$status" 137
	wait_kmsg 'oom_memcg=/cseclab-mb-oom'
	assert_clean
}

# wait_line FILE REGEX: up to 10 s for a line of FILE to match.
wait_line() {
	local i
	for i in $(seq 100); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "timed out waiting for '$2' in $1: $(cat "$1" 2>/dev/null)"
}

# wait_gone PID: up to 10 s for a background job to end; sets $status to its exit status.
wait_gone() {
	local i
	for i in $(seq 100); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	status=0
	wait "$1" || status=$?
}

# start RUNTIME NAME: the bundle in the background; $PID is the runtime's, output in $RT/NAME.out
start() {
	if [ "$1" = runc ]; then
		runc --root /run/cseclab-runc run -b "$RT/$2" "cseclab-mb-$2" >"$RT/$2.out" 2>&1 &
	else
		minibox run -b "$RT/$2" "cseclab-mb-$2" >"$RT/$2.out" 2>&1 &
	fi
	PID=$!
	BG+=("$PID")
}

@test "runtime: SIGTERM to the runtime reaches PID 1, which exits by its handler (3)" {
	bundle trap "$(cmd 'trap "exit 3" TERM; echo ready; while :; do sleep 0.1; done')"
	for rt in runc minibox; do
		start "$rt" trap
		wait_line "$RT/trap.out" '^ready$'
		kill -TERM "$PID"
		wait_gone "$PID"
		[ "$status" -eq 3 ] || fail "$rt: exit status $status, expected 3: $(cat "$RT/trap.out")"
	done
	assert_clean
}

@test "runtime: PID 1 without a handler ignores SIGTERM; SIGKILL from the host ends it (137)" {
	bundle nohandler '.process.args = ["sleep", "1000"]'
	for rt in runc minibox; do
		start "$rt" nohandler
		# The container's process once it runs sleep (before, it is the runtime's).
		pid1=$(cg_procs nohandler sleep) || true
		[ -n "$pid1" ] || fail "$rt: no process in the container's cgroup"
		kill -TERM "$PID"
		sleep 0.5
		kill -0 "$pid1" || fail "$rt: PID 1 ($pid1) died of a signal it has no handler for"
		kill -0 "$PID" || fail "$rt: the runtime exited though its container runs"
		kill -KILL "$pid1"
		wait_gone "$PID"
		[ "$status" -eq 137 ] || fail "$rt: exit status $status, expected 137"
	done
	assert_clean
}

# ---- what runc 1.1.5 cannot do ---------------------------------------------------------------

@test "runtime: a time namespace: minibox moves the clocks, runc 1.1.5 refuses the kind" {
	requires timens
	bundle time "$(cmd 'cut -d. -f1 /proc/uptime') | .linux.namespaces += [{type: \"time\"}] |
		.linux.timeOffsets = {boottime: {secs: 864000, nanosecs: 0}}"
	on runc time
	assert_failure
	on minibox time
	assert_success
	up=$(cut -d. -f1 /proc/uptime)
	[ "$output" -ge $((up + 864000 - 5)) ] || fail "uptime inside $output, outside $up"
	assert_clean
}

# ---- bad bundles: exit 2, nothing started, nothing left ---------------------------------------

# bad NAME JQ PLACE: the bundle (its process would write $RT/marks/NAME) makes minibox exit 2
# with "config.json: PLACE" before it starts anything.
bad() {
	bundle "$1" "$(cmd "echo started >/marks/$1") |
		.mounts += [{destination: \"/marks\", type: \"bind\", source: \"$RT/marks\", options: [\"rbind\"]}] | $2"
	run --separate-stderr minibox run -b "$RT/$1" "cseclab-mb-$1"
	[ "$status" -eq 2 ] || fail "$1: exit $status, expected 2: $stderr"
	[[ $stderr == *"config.json: $3"* ]] || fail "$1: no 'config.json: $3' in: $stderr"
	[ ! -e "$RT/marks/$1" ] || fail "$1: the process ran"
}

@test "runtime: 14 kinds of bad bundle: exit 2, the place named, nothing started or left" {
	# control: the bundle unbroken runs and writes its mark
	bundle good "$(cmd 'echo started >/marks/good') |
		.mounts += [{destination: \"/marks\", type: \"bind\", source: \"$RT/marks\", options: [\"rbind\"]}]"
	run -0 minibox run -b "$RT/good" cseclab-mb-good
	[ -e "$RT/marks/good" ]
	bad terminal '.process.terminal = true' 'process.terminal'
	bad noargs '.process.args = []' 'process.args'
	bad argtype '.process.args = "sh"' 'process.args'
	bad noprog '.process.args = ["cseclab-nowhere"]' 'process.args[0]'
	bad noroot '.root.path = "/nonexistent"' 'root.path'
	bad nskind '.linux.namespaces += [{type: "cseclab"}]' 'linux.namespaces[5]'
	bad nstwice '.linux.namespaces += [{type: "pid"}]' 'linux.namespaces[5]'
	bad cap '.process.capabilities.bounding += ["CAP_CSECLAB"]' 'process.capabilities.bounding'
	bad rlimit '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 10, hard: 5}]' 'process.rlimits[0]'
	bad bindsrc '.mounts += [{destination: "/x", type: "bind", source: "/nonexistent"}]' 'mounts[8]'
	bad hooks '.hooks = {prestart: [{path: "/bin/true"}]}' 'hooks'
	bad swap '.linux.resources.memory = {limit: 1000000, swap: 2000000}' 'linux.resources.memory.swap'
	bad cgpath '.linux.cgroupsPath = "/system.slice/x"' 'linux.cgroupsPath'
	bad seccomp '.linux.seccomp = {defaultAction: "SCMP_ACT_MAYBE"}' 'linux.seccomp.default.action'
	printf '{"ociVersion": ' >"$RT/noroot/config.json"
	run --separate-stderr minibox run -b "$RT/noroot" cseclab-mb-noroot
	[ "$status" -eq 2 ] || fail "truncated JSON: exit $status"
	[[ $stderr == *"config.json: line 1"* ]] || fail "truncated JSON: $stderr"
	assert_clean
}

# ---- robustness --------------------------------------------------------------------------------

# cg_procs NAME COMM: the PID of the process running COMM in cgroup cseclab-mb-NAME (v1 pids
# hierarchy, or v2), waiting up to 10 s for it.
cg_procs() {
	local p _
	for _ in $(seq 100); do
		while read -r p; do
			if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ]; then
				echo "$p"
				return 0
			fi
		done < <(cat "/sys/fs/cgroup/pids/cseclab-mb-$1/cgroup.procs" \
			"/sys/fs/cgroup/cseclab-mb-$1/cgroup.procs" 2>/dev/null)
		sleep 0.1
	done
	return 1
}

@test "runtime: minibox killed by SIGKILL: its container dies with it, the next run removes the cgroup" {
	bundle killed '.process.args = ["sleep", "1000"]'
	start minibox killed
	pid1=$(cg_procs killed sleep) || fail "the container never ran sleep: $(cat "$RT/killed.out")"
	kill -KILL "$PID"
	wait_gone "$PID"
	for _ in $(seq 50); do
		kill -0 "$pid1" 2>/dev/null || break
		sleep 0.1
	done
	run ! kill -0 "$pid1"
	# What SIGKILL leaves (no handler ran): the cgroup, which scripts/cleanup would remove...
	run -0 "$CSECLAB_ROOT/scripts/cleanup" --dry-run
	assert_output --regexp "would remove: cgroup /sys/fs/cgroup/(pids/)?cseclab-mb-killed"
	# ...and the next run of the same container removes before it starts.
	bundle killed2 '.process.args = ["true"] | .linux.cgroupsPath = "/cseclab-mb-killed"'
	run -0 minibox run -b "$RT/killed2" cseclab-mb-killed
	assert_clean
}

@test "runtime: minibox --timings: the cost of each stage, the run as long as the program" {
	bundle timings '.process.args = ["sleep", "0.3"]'
	run --separate-stderr minibox run --timings -b "$RT/timings" cseclab-mb-timings
	assert_success
	for s in config cgroup clone userns mounts pivot_root finalize caps seccomp exec run teardown total; do
		grep -qE "^minibox: timing: $s +[0-9]+\.[0-9]{3} ms$" <<<"$stderr" ||
			fail "no timing for $s in: $stderr"
	done
	ms=$(sed -nE 's/^minibox: timing: run +([0-9]+)\..*/\1/p' <<<"$stderr")
	[ "$ms" -ge 300 ] || fail "the run took $ms ms, sleep 0.3 alone takes 300"
	assert_clean
}

@test "runtime: SIGTERM during the set-up: minibox kills the child, removes the cgroup, dies of it" {
	requires tool:strace
	bundle intr '.process.args = ["sh", "-c", "echo started"]'
	# strace holds the child's pivot_root for 3 s: the set-up is then surely under way.
	strace -f -o /dev/null -e trace=pivot_root -e inject=pivot_root:delay_enter=3000000 \
		minibox run -b "$RT/intr" cseclab-mb-intr >"$RT/intr.out" 2>&1 &
	BG+=("$!")
	# minibox's pid, once its cgroup exists (the set-up is then past the parent's part).
	for _ in $(seq 20); do
		mb=$(pgrep -xf "minibox run -b $RT/intr cseclab-mb-intr" | head -n 1) || true
		if [ -n "$mb" ] && { [ -d /sys/fs/cgroup/pids/cseclab-mb-intr ] ||
			[ -d /sys/fs/cgroup/cseclab-mb-intr ]; }; then
			break
		fi
		sleep 0.1
	done
	[ -n "$mb" ] || fail "minibox did not start"
	kill -TERM "$mb"
	for _ in $(seq 50); do
		kill -0 "$mb" 2>/dev/null || break
		sleep 0.1
	done
	run ! kill -0 "$mb"
	# strace ends as its tracee did: killed by SIGTERM (128 + 15)
	status=0
	wait "${BG[0]}" || status=$?
	assert_equal "$status" 143
	run ! pgrep -f "cseclab-mb-intr"
	run ! grep -q started "$RT/intr.out"
	assert_clean
}
