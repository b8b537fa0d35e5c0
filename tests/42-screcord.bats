load helpers
# lanes: host vm
#
# screcord: the system calls a profile needs, counted in the kernel by an eBPF program on the raw
# tracepoint sys_enter, with no stop per call. Its control is sctrace (one seccomp trace stop per
# call), whose tables and profiles tests/41-seccomp-profiles.bats checks against strace: for the
# same run, screcord must print the same table, call for call, and write a profile that works.
# What it cannot see is shown too: calls before it attaches, calls a seccomp filter refused.
# The VM lane (cgroup v2 only, Debian's 6.1 kernel: CO-RE relocations against another BTF) runs
# the few tests tagged vm (a test runs 25 times slower there); it has no curl or perl, so
# apiserver is asked with bash's /dev/tcp.

setup_file() {
	V2=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
	export V2
}

# doctor's row of screcord (root, bpf(2) that loads a tracing program, kernel BTF, the raw
# tracepoint sys_enter) decides for every test; run_lab then fails a test in which screcord says
# it cannot run here (exit 77) while doctor says it can. A test that makes or reads a cgroup in
# $V2 asks for cgroup-v2-mount too: screcord itself follows threads without one (--pids).
setup() {
	requires lab:screcord
}

teardown() {
	if [ -n "${server_pid:-}" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	if [ -n "${sleeper:-}" ]; then
		kill -KILL "$sleeper" 2>/dev/null || true
		wait "$sleeper" 2>/dev/null || true # a dying task keeps its cgroup busy
	fi
	if [ -n "${OWN_CG:-}" ] && [ -d "$OWN_CG" ]; then rmdir "$OWN_CG"; fi
	assert_no_leftovers
}

# The table of a -c run: "calls syscall" lines and the total line, from $output.
table() { grep -E '^ +[0-9]+  |^ +calls  syscall$|^total: ' <<<"$output"; }

# The syscall names of a table in $output, sorted.
names() { awk '$1 ~ /^[0-9]+$/ { print $2 }' <<<"$output" | sort; }

# ---- the same table as sctrace -------------------------------------------------------------------

# bats test_tags=vm
@test "screcord: a shell's process tree gives sctrace's table, call for call (both count from CMD's execve)" {
	requires seccomp-trace ptrace
	local work='ls / >/dev/null; (exit 3); cat /etc/hostname >/dev/null'
	run sctrace -c -- sh -c "$work"
	assert_success
	local want
	want=$(table)
	run_lab lab:screcord screcord -c -- sh -c "$work"
	assert_success
	assert_equal "$(table)" "$want"
	# sh, ls and cat: the children were counted, each from its own execve
	assert_line --regexp '^ +3  execve$'
	assert_line --regexp '^total: [0-9]+ calls, [0-9]+ distinct$'
}

@test "screcord --pids: the threads followed through fork and exit give the cgroup's table" {
	requires tool:perl
	# A thread of its own makes 1000 getppid calls: missed if the clone is not followed.
	local work='use threads; threads->create(sub { getppid() for 1..1000 })->join; print "joined\n"'
	run_lab lab:screcord screcord --pids -c -- perl -e "$work"
	assert_success
	assert_line joined
	assert_line --regexp '^ +1000  getppid$'
	assert_line --regexp '^ +1  clone3?$'
	local pids
	pids=$(names)
	run_lab lab:screcord screcord -c -- perl -e "$work"
	assert_success
	assert_line --regexp '^ +1000  getppid$'
	assert_equal "$(names)" "$pids"
}

# bats test_tags=vm
@test "screcord: int \$0x80 calls are counted under SCMP_ARCH_X86, as sctrace counts them" {
	requires ia32 utsns seccomp-trace ptrace
	run sctrace -c -- archbypass --no-filter
	assert_success
	local want
	want=$(table)
	run_lab lab:screcord screcord -c -- archbypass --no-filter
	assert_success
	assert_line "unshare (int \$0x80, nr 310): ok"
	# unshare through both entries: 272 of x86_64's table, 310 of i386's
	assert_line --regexp '^ +1  unshare$'
	assert_line --regexp '^ +1  unshare \(SCMP_ARCH_X86\)$'
	assert_equal "$(table)" "$want"
}

@test "screcord: an x32 number and numbers libseccomp cannot name: sctrace's table and warnings" {
	requires seccomp-trace ptrace tool:perl
	[ "$(uname -m)" = x86_64 ] || skip "the x32 ABI is x86_64's"
	# shellcheck disable=SC2016 # perl's variables
	local work='syscall(0x40000027); syscall(1000); syscall(100000); print "done\n"'
	run sctrace -c -o "$BATS_TEST_TMPDIR/sctrace.json" -- perl -e "$work"
	assert_success
	local want
	want=$(sed 's/^sctrace: /screcord: /; s/sctrace\.json/screcord.json/' <<<"$output")
	run_lab lab:screcord screcord -c -o "$BATS_TEST_TMPDIR/screcord.json" -- perl -e "$work"
	assert_success
	assert_output "$want"
	assert_line --regexp '^ +1  getpid \(SCMP_ARCH_X32\)$'
	assert_line --regexp '^ +1  syscall_100000$'
	run jq -r '.architectures | join(" ")' "$BATS_TEST_TMPDIR/screcord.json"
	assert_output "SCMP_ARCH_X86_64 SCMP_ARCH_X32"
}

# ---- apiserver: the set, and the profile at work ---------------------------------------------

# Starts CMD... in the background, output in $BATS_TEST_TMPDIR/server.log; sets server_pid and
# port once apiserver says it listens (or returns 1 when it ended first).
start_server() {
	"$@" >"$BATS_TEST_TMPDIR/server.log" 2>&1 3>&- &
	server_pid=$!
	local i
	for i in $(seq 200); do
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
	run cat "$BATS_TEST_TMPDIR/server.log"
}

# http METHOD PATH [BODY]: the status code apiserver answers, asked with bash's /dev/tcp.
http() {
	local fd code body=${3:-}
	exec {fd}<>"/dev/tcp/127.0.0.1/$port" || return 1
	printf '%s %s HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
		"$1" "$2" "${#body}" "$body" >&"$fd"
	read -r _ code _ <&"$fd"
	exec {fd}<&-
	echo "$code"
}

IE='{"code":"IE","name":"Ireland","capital":"Dublin","continent":"Europe"}'

# The course's use of the API: create, list, get, miss.
use_api() {
	run http POST /countries "$IE"
	assert_output 201
	run http GET /countries
	assert_output 200
	run http GET /countries/IE
	assert_output 200
	run http GET /countries/XX
	assert_output 404
}

@test "screcord: apiserver's syscall set, recorded while the API is used, is sctrace's" {
	requires seccomp-trace ptrace
	skip_if_sanitized apiserver
	start_server sctrace -c -- apiserver -p 0
	use_api
	stop_server
	assert_equal "$server_status" 0
	local want
	want=$(names)
	start_server screcord -c -- apiserver -p 0
	use_api
	stop_server
	assert_equal "$server_status" 0
	assert_line --regexp '^ +1  listen$'
	assert_equal "$(names)" "$want"
}

# bats test_tags=vm
@test "screcord writes apiserver's profile; under it 201/200, without listen it fails at listen" {
	requires seccomp-filter tool:jq
	skip_if_sanitized apiserver
	local prof=$BATS_TEST_TMPDIR/apiserver.json
	start_server screcord -o "$prof" -- apiserver -p 0
	use_api
	stop_server
	assert_equal "$server_status" 0
	run jq -r '.defaultAction, .syscalls[0].action' "$prof"
	assert_output $'SCMP_ACT_ERRNO\nSCMP_ACT_ALLOW'

	start_server seccomp-run --profile "$prof" -- apiserver -p 0
	use_api
	stop_server
	assert_equal "$server_status" 0

	jq '.syscalls[0].names -= ["listen"]' "$prof" >"$BATS_TEST_TMPDIR/nolisten.json"
	run seccomp-run --profile "$BATS_TEST_TMPDIR/nolisten.json" -- apiserver -p 0
	assert_failure 1
	assert_output 'apiserver: listen: Operation not permitted'
}

# ---- what screcord cannot see ----------------------------------------------------------------

@test "a call a seccomp filter refuses never reaches sys_enter: strace counts it, sctrace and screcord do not" {
	requires seccomp-filter seccomp-errno seccomp-trace ptrace tool:strace
	local prof=$BATS_TEST_TMPDIR/no-getppid.json
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO"}]}' >"$prof"
	run strace -f -c -o "$BATS_TEST_TMPDIR/strace.txt" seccomp-run -p "$prof" -- scprobe getppid
	assert_success
	assert_output 'getppid: errno EPERM'
	# strace stops the call on entry, before seccomp runs: counted, with its error
	run grep -E ' 1 +1 getppid$' "$BATS_TEST_TMPDIR/strace.txt"
	assert_success
	run sctrace -c -- seccomp-run -p "$prof" -- scprobe getppid
	assert_success
	refute_line --regexp ' getppid$'
	run_lab lab:screcord screcord -c -- seccomp-run -p "$prof" -- scprobe getppid
	assert_success
	assert_line 'getppid: errno EPERM'
	refute_line --regexp ' getppid$'
	# control: without the filter, screcord counts it
	run_lab lab:screcord screcord -c -- scprobe getppid
	assert_line --regexp '^ +1  getppid$'
}

@test "screcord --cgroup: a cgroup made first records what starts in it, and ends when it empties" {
	requires cgroup-v2-mount
	OWN_CG=$V2/cseclab-screcord-own
	mkdir "$OWN_CG"
	screcord -c --cgroup "$OWN_CG" 2>"$BATS_TEST_TMPDIR/rec.log" 3>&- &
	local rec=$! i
	for i in $(seq 100); do
		grep -q '^screcord: recording ' "$BATS_TEST_TMPDIR/rec.log" && break
		sleep 0.05
	done
	run cat "$BATS_TEST_TMPDIR/rec.log"
	assert_output "screcord: recording $OWN_CG until SIGINT or SIGTERM, or until it is empty"
	# shellcheck disable=SC2016 # $$ is the inner shell's
	sh -c 'echo $$ >"$1/cgroup.procs" && exec scprobe getppid' sh "$OWN_CG"
	wait "$rec"
	run cat "$BATS_TEST_TMPDIR/rec.log"
	assert_line --regexp '^ +1  execve$'
	assert_line --regexp '^ +1  getppid$'
}

@test "screcord --cgroup waits on cgroup.events, not in a loop: a 2 s sleep in the cgroup costs it little CPU" {
	OWN_CG=$V2/cseclab-screcord-own
	mkdir "$OWN_CG"
	screcord -o /dev/null --cgroup "$OWN_CG" 2>"$BATS_TEST_TMPDIR/rec.log" 3>&- &
	local rec=$! i ticks
	for i in $(seq 100); do
		grep -q '^screcord: recording ' "$BATS_TEST_TMPDIR/rec.log" && break
		sleep 0.05
	done
	# shellcheck disable=SC2016 # $$ is the inner shell's
	sh -c 'echo $$ >"$1/cgroup.procs" && exec sleep 3' sh "$OWN_CG" 3>&- &
	sleeper=$!
	sleep 2
	# the change poll(2) wakes on has happened: the cgroup went from empty to populated
	run cat "$OWN_CG/cgroup.events"
	assert_line 'populated 1'
	# utime + stime in clock ticks (proc(5)); a loop that polls without reading spins a CPU
	ticks=$(awk '{ print $14 + $15 }' "/proc/$rec/stat")
	if [ "$ticks" -ge "$(($(getconf CLK_TCK) / 4))" ]; then
		fail "screcord used $ticks ticks of CPU in 2 s of waiting"
	fi
	wait "$sleeper"
	sleeper=
	wait "$rec"
}

@test "screcord --cgroup on a cgroup already running: says so, and misses the execve and the loader" {
	requires cgroup-v2-mount
	OWN_CG=$V2/cseclab-screcord-own
	mkdir "$OWN_CG"
	# shellcheck disable=SC2016 # $$ is the inner shell's
	sh -c 'echo $$ >"$1/cgroup.procs" && exec sleep 1000' sh "$OWN_CG" 3>&- &
	sleeper=$!
	local i
	for i in $(seq 100); do
		[ "$(cat "/proc/$sleeper/comm")" = sleep ] && break
		sleep 0.05
	done
	screcord -c --cgroup "$OWN_CG" 2>"$BATS_TEST_TMPDIR/rec.log" 3>&- &
	local rec=$!
	for i in $(seq 100); do
		grep -q '^screcord: recording ' "$BATS_TEST_TMPDIR/rec.log" && break
		sleep 0.05
	done
	kill -INT "$rec"
	wait "$rec"
	run cat "$BATS_TEST_TMPDIR/rec.log"
	assert_line "screcord: $OWN_CG already runs processes: what they did before now (their execve, the loader, their start-up) is not recorded"
	refute_line --regexp ' (execve|openat|mmap)$'
	assert_line 'total: 0 calls, 0 distinct'
	# control: recorded from its start, the same command shows them
	run_lab lab:screcord screcord -c -- sleep 0
	assert_line --regexp '^ +1  execve$'
	assert_line --regexp '^ +[0-9]+  mmap$'
}

# ---- the run's cgroup, signals, exit status, usage ---------------------------------------------

# The link ids a running screcord (pid $1) holds: the kernel lists them in its fdinfo.
link_ids() { sed -n 's/^link_id:[[:space:]]*//p' /proc/"$1"/fdinfo/* 2>/dev/null; }

# bats test_tags=vm
@test "screcord: CMD runs in cseclab-screcord-PID; SIGTERM goes to CMD (143), then that cgroup and the BPF links are gone" {
	requires cgroup-v2-mount
	screcord -o "$BATS_TEST_TMPDIR/sleep.json" -- sleep 1000 2>/dev/null 3>&- &
	local rec=$! i links
	for i in $(seq 100); do
		sleeper=$(cat "$V2/cseclab-screcord-$rec/cgroup.procs" 2>/dev/null) && [ -n "$sleeper" ] && break
		sleep 0.05
	done
	[ "$(cat "/proc/$sleeper/comm")" = sleep ] || fail "no sleep in $V2/cseclab-screcord-$rec"
	links=$(link_ids "$rec")
	[ "$(wc -w <<<"$links")" -eq 2 ] || fail "screcord holds links '$links', not sys_enter and sched_process_exec"
	if command -v bpftool >/dev/null; then
		for i in $links; do bpftool link show id "$i" >/dev/null || fail "link $i not listed"; done
	fi
	kill -TERM "$rec"
	local st=0
	wait "$rec" || st=$?
	assert_equal "$st" 143
	assert_file_not_exists "$V2/cseclab-screcord-$rec"
	# The first signal let the run end its own way: the profile is written.
	run jq -r '.syscalls[0].names | index("execve") != null' "$BATS_TEST_TMPDIR/sleep.json"
	assert_output true
	if command -v bpftool >/dev/null; then
		for i in $links; do
			run bpftool link show id "$i"
			assert_failure
		done
	fi
}

@test "screcord: a second SIGINT, CMD ignoring the first: its cgroup's tasks are killed, the cgroup removed, screcord dies of SIGINT" {
	requires cgroup-v2-mount tool:bpftool
	screcord -o /dev/null -- sh -c 'trap "" INT; sleep 1000' 2>/dev/null 3>&- &
	local rec=$! i p links
	for i in $(seq 100); do
		while read -r p; do
			if [ "$(cat "/proc/$p/comm")" = sleep ]; then sleeper=$p; fi
		done < <(cat "$V2/cseclab-screcord-$rec/cgroup.procs" 2>/dev/null)
		[ -n "$sleeper" ] && break
		sleep 0.05
	done
	[ -n "$sleeper" ] || fail "no sleep in $V2/cseclab-screcord-$rec"
	links=$(link_ids "$rec")
	kill -INT "$rec"
	sleep 0.2
	kill -0 "$sleeper" # the first one went to sh, which ignores it; sleep too
	kill -INT "$rec"
	local st=0
	wait "$rec" || st=$?
	assert_equal "$st" 130
	# SIGKILLed; its parent (sh) too, so init reaps it: gone in a moment
	for i in $(seq 100); do
		kill -0 "$sleeper" 2>/dev/null || break
		sleep 0.05
	done
	run kill -0 "$sleeper"
	assert_failure
	assert_file_not_exists "$V2/cseclab-screcord-$rec"
	[ -n "$links" ] || fail "no links in screcord's fdinfo"
	for i in $links; do
		run bpftool link show id "$i"
		assert_failure
	done
}

@test "screcord: exit status of CMD passes through; a signal death is 128+N; a command not found is 127" {
	run_lab lab:screcord screcord -c -- sh -c 'exit 9'
	assert_equal "$status" 9
	run_lab lab:screcord screcord -c -- sh -c 'kill -TERM $$'
	assert_equal "$status" 143
	run -127 screcord -c -- cseclab-no-such-command
	assert_line 'screcord: cseclab-no-such-command: No such file or directory'
	# nothing ran: no execve succeeded, so nothing was counted
	assert_line 'total: 0 calls, 0 distinct'
}

@test "screcord: --help on stdout (exit 0); usage errors exit 2 with the Try line; --cgroup wants a cgroup v2 directory" {
	run screcord --help
	assert_success
	assert_line --partial 'Usage: screcord'
	run -2 screcord --no-such-option
	assert_output $'screcord: unknown option \'--no-such-option\'\nTry \'screcord --help\' for more information.'
	run -2 screcord -o
	assert_line "screcord: option '-o' needs an argument"
	run -2 screcord -c
	assert_line --partial 'no command to record'
	run -2 screcord --cgroup "$V2" -- true
	run -1 screcord --cgroup /tmp
	assert_output --partial '/tmp: not a cgroup v2 directory'
}
