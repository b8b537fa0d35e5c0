load helpers
# lanes: host
#
# Seccomp, second half: Docker-format profiles loaded by hand (seccomp-run), a trace turned into
# a profile (sctrace), and scprobe's harmless calls as the eye. Every "refused" answer is
# compared with a control run of the same calls without the profile, in which the kernel gives
# its own answer (ENOENT, EBADF, EINVAL...), so EPERM cannot come from something else.

DOCKER_DEFAULT=/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json
# Docker's 14 default capabilities, as a bounding set: the profile's includes/excludes "caps"
# are checked against it, as dockerd does with the container's.
DOCKER_CAPS=-all,+chown,+dac_override,+fsetid,+fowner,+mknod,+net_raw,+setgid,+setuid,+setfcap,+setpcap,+net_bind_service,+sys_chroot,+kill,+audit_write

setup() {
	P=$CSECLAB_ROOT/docker/profiles
}

teardown() {
	if [ -n "${server_pid:-}" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	assert_no_leftovers
}

needs_docker_default() {
	requires lab:seccomp
	[ -r "$DOCKER_DEFAULT" ] || skip "needs Docker's default profile: apt-get install golang-github-docker-docker-dev"
}

# Run CMD with Docker's bounding set (root keeps only those capabilities after exec).
docker_caps() {
	setpriv --bounding-set="$DOCKER_CAPS" -- "$@"
}

# ---- Docker's default profile ----------------------------------------------------------------

@test "tour: Docker's default profile with Docker's capabilities: unshare, keyctl, mount refused, clone3 ENOSYS" {
	needs_docker_default
	run docker_caps scprobe unshare keyctl mount clone3
	assert_success
	assert_output "$(printf '%s\n' 'unshare: ok' 'keyctl: errno ENOKEY' 'mount: errno ENOENT' 'clone3: errno EINVAL')"
	show docker_caps seccomp-run --profile "$DOCKER_DEFAULT" -- scprobe unshare keyctl mount clone3
	assert_success
	assert_output "$(printf '%s\n' 'unshare: errno EPERM' 'keyctl: errno EPERM' 'mount: errno EPERM' 'clone3: errno ENOSYS')"
}

@test "seccomp-run: Docker's default lets chmod and fork work" {
	needs_docker_default
	local f=$BATS_TEST_TMPDIR/file
	touch "$f"
	chmod 644 "$f"
	# shellcheck disable=SC2016 # $1 is for the inner sh
	run docker_caps seccomp-run --profile "$DOCKER_DEFAULT" -- \
		sh -c 'chmod 600 "$1" && stat -c "mode: %a" "$1"; (exit 7); echo "child: $?"' sh "$f"
	assert_success
	assert_line 'mode: 600'
	assert_line 'child: 7'
}

@test "seccomp-run: Seccomp: 2 and NoNewPrivs: 1 in /proc/self/status under a profile, 0 without" {
	needs_docker_default
	run grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status
	assert_line --regexp '^Seccomp:[[:space:]]+0$'
	run seccomp-run --profile "$DOCKER_DEFAULT" -- grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status
	assert_success
	assert_line --regexp '^Seccomp:[[:space:]]+2$'
	assert_line --regexp '^NoNewPrivs:[[:space:]]+1$'
}

@test "seccomp-run: clone3 ENOSYS depends on the bounding set (excludes caps CAP_SYS_ADMIN)" {
	needs_docker_default
	run docker_caps seccomp-run --profile "$DOCKER_DEFAULT" --explain clone3
	assert_success
	assert_line 'syscalls[13]: allow: skipped, includes.caps: CAP_SYS_ADMIN is not in the bounding set'
	assert_line 'syscalls[16]: errno 38 (ENOSYS): applies'
	assert_line 'verdict: errno 38 (ENOSYS) (syscalls[16])'
	# With CAP_SYS_ADMIN in the bounding set the rule is dropped and clone3 is allowed.
	run setpriv --bounding-set=-all,+sys_admin -- seccomp-run --profile "$DOCKER_DEFAULT" -- scprobe clone3
	assert_output 'clone3: errno EINVAL'
	run docker_caps seccomp-run --profile "$DOCKER_DEFAULT" -- scprobe clone3
	assert_output 'clone3: errno ENOSYS'
}

@test "seccomp-run: the default action is errno EPERM, shown as 'Operation not permitted'" {
	needs_docker_default
	run docker_caps seccomp-run --profile "$DOCKER_DEFAULT" --explain add_key
	assert_line 'verdict: errno 1 (EPERM) (default action, no rule applies)'
	run docker_caps scprobe add_key # control: the kernel's own answer to a NULL type
	assert_output 'add_key: errno EFAULT'
	run docker_caps seccomp-run --profile "$DOCKER_DEFAULT" -- scprobe add_key
	assert_output 'add_key: errno EPERM'
	# A real tool: a user namespace needs no capability, so only the filter can refuse it.
	run docker_caps unshare -U true
	assert_success
	run docker_caps seccomp-run --profile "$DOCKER_DEFAULT" -- unshare -U true
	assert_failure 1
	assert_output 'unshare: unshare failed: Operation not permitted'
}

@test "seccomp-run: adding CAP_SYS_TIME also allows clock_settime (includes caps)" {
	needs_docker_default
	run docker_caps seccomp-run --profile "$DOCKER_DEFAULT" -- scprobe clock_settime
	assert_output 'clock_settime: errno EPERM'
	run setpriv --bounding-set="$DOCKER_CAPS,+sys_time" -- \
		seccomp-run --profile "$DOCKER_DEFAULT" -- scprobe clock_settime
	assert_output 'clock_settime: errno EFAULT' # the kernel's answer to a NULL timespec
}

@test "seccomp-run: Docker's clone rule allows fork but refuses a namespace flag" {
	needs_docker_default
	run docker_caps scprobe clone clone-newns
	assert_output "$(printf '%s\n' 'clone: errno EINVAL' 'clone-newns: errno EINVAL')"
	run docker_caps seccomp-run --profile "$DOCKER_DEFAULT" -- scprobe clone clone-newns
	assert_output "$(printf '%s\n' 'clone: errno EINVAL' 'clone-newns: errno EPERM')"
	run docker_caps seccomp-run --profile "$DOCKER_DEFAULT" --explain clone
	assert_line 'verdict: allow when arg0 & 0x7e020000 == 0 (syscalls[14]); otherwise errno 1 (EPERM) (default)'
}

# ---- the lab's profiles -----------------------------------------------------------------------

@test "tour: deny-all refuses the execve of CMD itself (EPERM), CMD never runs" {
	requires lab:seccomp
	local marker=$BATS_TEST_TMPDIR/ran
	run touch "$marker" # control: without the profile the command runs
	assert_success
	assert_file_exists "$marker"
	rm "$marker"
	show seccomp-run --profile "$P/deny.json" -- touch "$marker"
	assert_failure 1
	assert_output 'seccomp-run: execve touch: Operation not permitted (refused by the profile: CMD never ran)'
	assert_file_not_exists "$marker"
}

@test "seccomp-run: default-no-chmod refuses chmod (EPERM) while the rest works" {
	needs_docker_default
	local f=$BATS_TEST_TMPDIR/file
	echo hello >"$f"
	chmod 644 "$f"
	run docker_caps seccomp-run --profile "$DOCKER_DEFAULT" -- chmod 600 "$f"
	assert_success # control: Docker's default allows it
	chmod 644 "$f"
	run docker_caps seccomp-run --profile "$P/default-no-chmod.json" -- chmod 600 "$f"
	assert_failure 1
	assert_output --partial 'Operation not permitted'
	run stat -c %a "$f"
	assert_output 644
	# shellcheck disable=SC2016 # $1 is for the inner sh
	run docker_caps seccomp-run --profile "$P/default-no-chmod.json" -- \
		sh -c 'cat "$1"; cp "$1" "$1.copy"; mkdir "$1.d"; ls "$1.d"; (exit 3); echo "child: $?"' sh "$f"
	assert_success
	assert_line hello
	assert_line 'child: 3'
	assert_file_exists "$f.copy"
	run docker_caps seccomp-run --profile "$P/default-no-chmod.json" -- scprobe chmod fchmod fchmodat
	assert_output "$(printf '%s\n' 'chmod: errno EPERM' 'fchmod: errno EPERM' 'fchmodat: errno EPERM')"
}

@test "mkprofiles: default-no-chmod.json is Docker's default minus the chmod family, nothing else" {
	needs_docker_default
	requires tool:jq
	PROFILES_DIR=$BATS_TEST_TMPDIR run "$CSECLAB_ROOT/scripts/mkprofiles" no-chmod
	assert_success
	run cmp "$BATS_TEST_TMPDIR/default-no-chmod.json" "$P/default-no-chmod.json"
	assert_success
	run bash -c "diff <(jq -r '.syscalls[].names[]' '$DOCKER_DEFAULT' | sort) \
		<(jq -r '.syscalls[].names[]' '$P/default-no-chmod.json' | sort) | grep '^[<>]'"
	assert_output "$(printf '%s\n' '< chmod' '< fchmod' '< fchmodat')"
}

# ---- sctrace: from a trace to a profile --------------------------------------------------------

# Starts CMD... in the background, output in $BATS_TEST_TMPDIR/server.log; sets server_pid and
# port once apiserver says it listens (or returns 1 when it ended first).
start_server() {
	"$@" >"$BATS_TEST_TMPDIR/server.log" 2>&1 &
	server_pid=$!
	local i
	for i in $(seq 100); do
		port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$BATS_TEST_TMPDIR/server.log")
		[ -n "$port" ] && return 0
		kill -0 "$server_pid" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

stop_server() {
	kill -TERM "$server_pid"
	wait "$server_pid"
	server_status=$?
	server_pid=
}

@test "tour: sctrace writes apiserver's profile; under it 201/200, without listen it fails at listen" {
	requires lab:sctrace tool:curl
	local prof=$BATS_TEST_TMPDIR/apiserver.json url
	skip_if_sanitized apiserver
	start_server sctrace -o "$prof" -- apiserver -p 0
	url=http://127.0.0.1:$port/countries
	run curl -s -o /dev/null -w '%{http_code}' -X POST \
		-d '{"code":"IE","name":"Ireland","capital":"Dublin","continent":"Europe"}' "$url"
	assert_output 201
	curl -s -o /dev/null "$url"
	curl -s -o /dev/null "$url/IE"
	curl -s -o /dev/null "$url/XX"
	stop_server
	assert_equal "$server_status" 0
	assert_file_exists "$prof"

	start_server seccomp-run --profile "$prof" -- apiserver -p 0
	url=http://127.0.0.1:$port/countries
	show curl -s -o /dev/null -w '%{http_code}\n' -X POST \
		-d '{"code":"IE","name":"Ireland","capital":"Dublin","continent":"Europe"}' "$url"
	assert_output 201
	run curl -s -o /dev/null -w '%{http_code}' "$url/IE"
	assert_output 200
	stop_server
	assert_equal "$server_status" 0

	jq '.syscalls[0].names -= ["listen"]' "$prof" >"$BATS_TEST_TMPDIR/nolisten.json"
	show seccomp-run --profile "$BATS_TEST_TMPDIR/nolisten.json" -- apiserver -p 0
	assert_failure 1
	assert_output 'apiserver: listen: Operation not permitted'
}

@test "sctrace: its syscall set is strace -f -c's, plus exit_group (which strace -c never counts)" {
	requires lab:sctrace tool:strace
	local work='ls / >/dev/null; (exit 3); cat /etc/hostname >/dev/null'
	run strace -f -c -o "$BATS_TEST_TMPDIR/strace.txt" sh -c "$work"
	assert_success
	awk 'NR > 2 && $1 !~ /^-/ && $NF != "total" { print $NF }' "$BATS_TEST_TMPDIR/strace.txt" |
		sort >"$BATS_TEST_TMPDIR/strace.set"
	run sctrace -c sh -c "$work"
	assert_success
	assert_line --regexp '^total: [0-9]+ calls, [0-9]+ distinct$'
	awk '$1 ~ /^[0-9]+$/ { print $2 }' <<<"$output" | sort >"$BATS_TEST_TMPDIR/sctrace.set"
	run diff "$BATS_TEST_TMPDIR/strace.set" "$BATS_TEST_TMPDIR/sctrace.set"
	assert_output --regexp '^[0-9]+a[0-9]+'$'\n''> exit_group$'
	run wc -l <"$BATS_TEST_TMPDIR/strace.set"
	(("$output" > 15))
}

@test "sctrace: follows forks, and EXITKILL kills the traced tree when sctrace dies" {
	requires lab:sctrace
	run sctrace -c sh -c '(exit 5); echo finished'
	assert_success
	assert_line finished
	assert_line --regexp '^ +[0-9]+  clone$'
	sctrace -c -- sh -c 'sleep 1000 & wait' 2>/dev/null &
	local tracer=$! sleeper i
	for i in $(seq 100); do
		sleeper=$(pgrep -x -f 'sleep 1000' -P "$(pgrep -P "$tracer" -x sh)") && break
		sleep 0.05
	done
	[ -n "$sleeper" ]
	kill -KILL "$tracer"
	wait "$tracer" || true
	for i in $(seq 100); do
		kill -0 "$sleeper" 2>/dev/null || break
		sleep 0.05
	done
	run kill -0 "$sleeper"
	assert_failure
}

@test "sctrace: exit status of CMD passes through; a signal death is 128+N" {
	requires lab:sctrace
	run sctrace -c -- sh -c 'exit 9'
	assert_equal "$status" 9
	run sctrace -c -- sh -c 'kill -TERM $$'
	assert_equal "$status" 143
}

@test "sctrace: an x32 call (getpid | 0x40000000) is named, profiled under SCMP_ARCH_X32, and gets the kernel's own answer" {
	requires lab:sctrace tool:perl
	[ "$(uname -m)" = x86_64 ] || skip "the x32 ABI is x86_64's"
	# shellcheck disable=SC2016 # perl's variables
	local x32='$r = syscall(0x40000027); print $r >= 0 ? "getpid: ok\n" : "getpid: $!\n"'
	local prof=$BATS_TEST_TMPDIR/x32.json want
	# Control, no filter: the kernel's answer (ENOSYS where CONFIG_X86_X32_ABI is off).
	run perl -e "$x32"
	assert_success
	want=$output
	run sctrace -c -o "$prof" -- perl -e "$x32"
	assert_success
	assert_line "$want"
	assert_line --regexp '^ +1  getpid \(SCMP_ARCH_X32\)$'
	run jq -r '.architectures | join(" ")' "$prof"
	assert_output "SCMP_ARCH_X86_64 SCMP_ARCH_X32"
	# Under the profile the x32 entry point is allowed, so the call reaches the kernel again
	# (without SCMP_ARCH_X32, libseccomp's filter kills it as a bad architecture: SIGSYS).
	run seccomp-run --profile "$prof" -- perl -e "$x32"
	assert_success
	assert_output "$want"
}

@test "sctrace: a number libseccomp cannot name is left out of the profile, with a warning; the profile loads" {
	requires lab:sctrace tool:perl
	local prof=$BATS_TEST_TMPDIR/unnamed.json
	# shellcheck disable=SC2016 # perl's variables
	local call='syscall(1000) < 0 or die "no error"; print "syscall 1000: $!\n"'
	run perl -e "$call" # control: the kernel has no system call 1000
	assert_success
	assert_output "syscall 1000: Function not implemented"
	run sctrace -o "$prof" -- perl -e "$call"
	assert_success
	assert_line "syscall 1000: Function not implemented"
	assert_line --regexp "^sctrace: syscall_1000 \(SCMP_ARCH_[A-Z0-9_]+\): libseccomp has no name for it; left out of $prof\$"
	# Docker's format names calls, so the profile cannot allow it: the default action answers.
	run seccomp-run --profile "$prof" -- perl -e "$call"
	assert_success
	assert_output "syscall 1000: Operation not permitted"
}

@test "sctrace: an empty PATH element is the current directory, as in sh" {
	requires lab:sctrace
	cd "$CSECLAB_BIN"
	run env PATH=":/usr/bin:/bin" sh -c 'scprobe --help' # control: sh finds ./scprobe
	assert_success
	assert_line --partial "Usage: scprobe"
	run env PATH=":/usr/bin:/bin" ./sctrace -c -- scprobe --help
	assert_success
	assert_line --partial "Usage: scprobe"
	run env PATH="/usr/bin:/bin:" ./sctrace -c -- scprobe --help
	assert_success
	assert_line --partial "Usage: scprobe"
	run env PATH="/usr/bin:/bin" ./sctrace -c -- scprobe --help # no empty element: not found
	assert_failure 1
	assert_output "sctrace: scprobe: command not found"
}

@test "sctrace: a pid the kernel hands out again (ns_last_pid) is a new child: its first SIGSTOP is not delivered" {
	requires root pidns seccomp-trace ptrace tool:perl
	local script=$BATS_TEST_TMPDIR/recycle.pl
	# Fork, reap, set ns_last_pid one below that pid, fork again: the same pid. The parent asks
	# with WUNTRACED whether the second child was stopped (by a SIGSTOP delivered to it).
	cat >"$script" <<'PERL'
use POSIX ":sys_wait_h";
my $p = fork // die "fork: $!";
exit 0 if !$p;
waitpid($p, 0);
open(my $f, ">", "/proc/sys/kernel/ns_last_pid") or die "ns_last_pid: $!";
print $f $p - 1;
close($f) or die "ns_last_pid: $!";
my $q = fork // die "fork: $!";
if (!$q) { select(undef, undef, undef, 1); exit 0 }
waitpid($q, WUNTRACED);
my $s = ${^CHILD_ERROR_NATIVE};
print "pid $p, then $q: ", WIFSTOPPED($s) ? "stopped by signal " . WSTOPSIG($s) : "exited " . WEXITSTATUS($s), "\n";
PERL
	local line
	run unshare --pid --fork --kill-child perl "$script" # control, untraced
	assert_success
	assert_output --regexp '^pid [0-9]+, then [0-9]+: exited 0$'
	run timeout 60 unshare --pid --fork --kill-child sctrace -c -- perl "$script"
	assert_success
	line=$(grep '^pid ' <<<"$output")
	[ "$(sed -E 's/^pid ([0-9]+), then ([0-9]+):.*/\1 \2/' <<<"$line")" = "$(sed -E 's/^pid ([0-9]+),.*/\1 \1/' <<<"$line")" ] ||
		fail "the pid was not handed out again: $line"
	assert_equal "${line#*: }" "exited 0"
}

# ---- malformed profiles ------------------------------------------------------------------------

@test "seccomp-run: malformed profiles name the place, exit 2, and CMD never runs" {
	requires lab:seccomp
	local d=$BATS_TEST_TMPDIR marker=$BATS_TEST_TMPDIR/ran name
	local -A profile=(
		[json]='{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [}'
		[action]='{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOPE"}]}'
		[syscall]='{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "raed"], "action": "SCMP_ACT_ALLOW"}]}'
		[op]='{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_ABOUT"}]}]}'
		[type]='{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": "read", "action": "SCMP_ACT_ALLOW"}]}'
		[index]='{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}'
		[cap]='{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_EVERYTHING"]}}]}'
		[default]='{"syscalls": []}'
	)
	local -A expect=(
		[json]="$d/json.json: line 1, column 50: "
		[action]="$d/action.json: syscalls[0].action: unknown action \"SCMP_ACT_NOPE\""
		[syscall]="$d/syscall.json: syscalls[0].names[1]: unknown syscall \"raed\""
		[op]="$d/op.json: syscalls[0].args[0].op: unknown operator \"SCMP_CMP_ABOUT\""
		[type]="$d/type.json: syscalls[0].names: expected an array, found a string"
		[index]="$d/index.json: syscalls[0].args[0].index: 6 is out of range 0..5"
		[cap]="$d/cap.json: syscalls[0].includes.caps[0]: unknown capability \"CAP_SYS_EVERYTHING\""
		[default]="$d/default.json: defaultAction: missing"
	)
	for name in "${!profile[@]}"; do
		printf '%s\n' "${profile[$name]}" >"$d/$name.json"
		run seccomp-run --profile "$d/$name.json" -- touch "$marker"
		assert_equal "$status" 2
		assert_output --partial "seccomp-run: ${expect[$name]}"
		assert_file_not_exists "$marker"
	done
	run seccomp-run --profile "$P/deny.json" --explain read # control: a good profile loads
	assert_success
}

@test "seccomp-run: --no-nnp keeps no_new_privs off with CAP_SYS_ADMIN, the kernel refuses it without" {
	needs_docker_default
	run seccomp-run --no-nnp --profile "$DOCKER_DEFAULT" -- grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status
	assert_success
	assert_line --regexp '^NoNewPrivs:[[:space:]]+0$'
	assert_line --regexp '^Seccomp:[[:space:]]+2$'
	run as_user seccomp-run --no-nnp --profile "$DOCKER_DEFAULT" -- true
	assert_failure 1
	assert_output --partial 'seccomp_load: Permission denied'
	run as_user seccomp-run --profile "$DOCKER_DEFAULT" -- true # control: with no_new_privs
	assert_success
}

@test "seccomp-run, sctrace, scprobe: --help on stdout (exit 0), usage errors exit 2" {
	local p
	for p in seccomp-run sctrace scprobe; do
		run "$p" --help
		assert_success
		assert_line --partial 'Usage:'
		run "$p" --no-such-option
		assert_equal "$status" 2
	done
	run seccomp-run -- true
	assert_equal "$status" 2
	run scprobe no-such-probe
	assert_equal "$status" 2
}

# ---- what libseccomp makes of a profile, and the fields seccomp-run cannot honour -------------

# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
@test "seccomp-run --explain on duplicate rules says what libseccomp compiled: the first unconditional rule wins" {
	requires seccomp-filter seccomp-errno
	local prof=$BATS_TEST_TMPDIR/dup.json prof2=$BATS_TEST_TMPDIR/dup2.json
	cat >"$prof" <<-'JSON'
		{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		 {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
		 {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22}]}
	JSON
	run -0 seccomp-run --profile "$prof" --explain getppid --dump
	assert_line 'syscalls[0]: errno 1 (EPERM): applies'
	assert_line 'syscalls[1]: errno 22 (EINVAL): dropped by libseccomp: the unconditional rule errno 1 (EPERM) (syscalls[0]) decides'
	assert_line 'verdict: errno 1 (EPERM) (syscalls[0])'
	# the compiled filter (libseccomp's own PFC text) agrees
	assert_line --regexp '^ +action ERRNO\(1\);$'
	refute_line --regexp 'ERRNO\(22\)'
	# and so does the kernel: control without the profile, then under it
	run -0 scprobe getppid
	assert_output 'getppid: ok'
	run -0 seccomp-run --profile "$prof" -- scprobe getppid
	assert_output 'getppid: errno EPERM'
	# A later unconditional rule wipes the conditional ones before it; later ones are dropped.
	cat >"$prof2" <<-'JSON'
		{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		 {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22,
		  "args": [{"index": 0, "value": 5, "op": "SCMP_CMP_EQ"}]},
		 {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
		 {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
		  "args": [{"index": 0, "value": 6, "op": "SCMP_CMP_EQ"}]}]}
	JSON
	run -0 seccomp-run --profile "$prof2" --explain getppid --dump
	assert_line 'syscalls[1]: errno 1 (EPERM): applies; libseccomp drops the conditional rules added before it'
	assert_line 'syscalls[2]: errno 13 (EACCES) when arg0 == 0x6: dropped by libseccomp: the unconditional rule errno 1 (EPERM) (syscalls[1]) decides'
	assert_line 'verdict: errno 1 (EPERM) (syscalls[1])'
	assert_line --regexp '^ +action ERRNO\(1\);$'
	refute_line --regexp 'ERRNO\((22|13)\)'
	refute_line --regexp '\$a0'
}

@test "seccomp-run refuses flags, listenerPath and listenerMetadata it cannot honour, with exit 2 before CMD runs" {
	requires seccomp-filter
	local prof=$BATS_TEST_TMPDIR/p.json marker=$BATS_TEST_TMPDIR/ran field
	local -A why=(
		['"flags": "not-a-list", "listenerPath": 42']='flags: expected an array, found a string'
		['"flags": [7]']='flags[0]: expected a string, found an integer'
		['"flags": ["SECCOMP_FILTER_FLAG_BOGUS"]']='flags[0]: unknown flag "SECCOMP_FILTER_FLAG_BOGUS"'
		['"flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]']='flags[0]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: not supported'
		['"listenerPath": 42']='listenerPath: expected a string, found an integer'
		['"listenerPath": "/run/cseclab-agent.sock"']='listenerPath: "/run/cseclab-agent.sock": seccomp-run has no seccomp agent'
		['"listenerMetadata": ["x"]']='listenerMetadata: expected a string, found an array'
	)
	for field in "${!why[@]}"; do
		echo "{\"defaultAction\": \"SCMP_ACT_ALLOW\", $field, \"syscalls\": []}" >"$prof"
		run -2 seccomp-run --profile "$prof" -- touch "$marker"
		assert_output --partial "seccomp-run: $prof: ${why[$field]}"
		assert_file_not_exists "$marker"
	done
	# control: flags it can apply, and an empty listenerPath (none), and CMD runs
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_TSYNC"], "listenerPath": "", "syscalls": []}' >"$prof"
	run -0 seccomp-run --profile "$prof" -- touch "$marker"
	assert_file_exists "$marker"
}

# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
@test "seccomp-run passes SECCOMP_FILTER_FLAG_LOG and SPEC_ALLOW to seccomp(2), and the kernel then logs the errno action" {
	requires root seccomp-filter seccomp-log tool:strace
	grep -qw errno /proc/sys/kernel/seccomp/actions_logged ||
		skip "kernel.seccomp.actions_logged lacks errno: the kernel would log nothing"
	local log=$BATS_TEST_TMPDIR/log.json plain=$BATS_TEST_TMPDIR/plain.json trace=$BATS_TEST_TMPDIR/trace
	local rule='"syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO"}]'
	echo "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"], $rule}" >"$log"
	echo "{\"defaultAction\": \"SCMP_ACT_ALLOW\", $rule}" >"$plain"
	# The flags as the kernel received them; control: none without "flags".
	run -0 strace -f -e trace=seccomp -o "$trace" seccomp-run --profile "$log" -- true
	run -0 grep -c 'seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG|SECCOMP_FILTER_FLAG_SPEC_ALLOW, {' "$trace"
	assert_output 1
	run -0 strace -f -e trace=seccomp -o "$trace" seccomp-run --profile "$plain" -- true
	run -0 grep -c 'seccomp(SECCOMP_SET_MODE_FILTER, 0, {' "$trace"
	assert_output 1
	# LOG: an errno action is logged (audit type 1326) only with the flag; CMD's pid tells which.
	mark_kmsg
	run -0 seccomp-run --profile "$plain" -- sh -c 'echo "pid=$$"; exec scprobe getppid'
	assert_line 'getppid: errno EPERM'
	local plain_pid=${lines[0]#pid=}
	run -0 seccomp-run --profile "$log" -- sh -c 'echo "pid=$$"; exec scprobe getppid'
	assert_line 'getppid: errno EPERM'
	local log_pid=${lines[0]#pid=}
	wait_kmsg "type=1326 .* pid=$log_pid comm=\"scprobe\" .* syscall=110 "
	run after_mark
	refute_output --regexp "type=1326 .* pid=$plain_pid "
}

@test "seccomp-run lowers only CMD's soft RLIMIT_CORE: the hard limit stays, CMD may raise the soft one" {
	requires seccomp-filter
	local prof=$BATS_TEST_TMPDIR/allow.json hard
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}' >"$prof"
	hard=$(sh -c 'ulimit -H -c')
	[ "$hard" != 0 ] || skip "the hard core limit is already 0 here: nothing to keep"
	run -0 seccomp-run --profile "$prof" -- sh -c 'ulimit -S -c; ulimit -H -c'
	assert_equal "${lines[0]}" 0
	assert_equal "${lines[1]}" "$hard"
	# the kernel lets CMD raise its soft limit back up to the hard one
	run -0 seccomp-run --profile "$prof" -- sh -c "ulimit -S -c $hard && ulimit -S -c"
	assert_output "$hard"
}
