load helpers
# lanes: host vm
# Namespaces lab: ns, nsinfo, nsjoin, receiver/sender, chrootbreak, netpair.sh. Each test
# asserts what the kernel answers: namespace inodes, PIDs, errnos, clock readings, mounts.

# Prints "kind inode" for each namespace of the process that runs it.
# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
INODES='for k in cgroup ipc mnt net pid time user uts; do echo "$k $(stat -L -c %i /proc/self/ns/$k)"; done'

setup() {
	TMP=$(mktemp -d /tmp/cseclab-nstest.XXXXXX)
	chmod 755 "$TMP"
	BG=()
	CG=
}

teardown() {
	local p
	for p in "${BG[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	[ -z "$CG" ] || rmdir "$CG" 2>/dev/null || true
	rm -rf "$TMP"
}

# wait_for FILE REGEX: up to 10 s for a line of FILE to match.
wait_for() {
	local i
	for i in $(seq 100); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "timed out waiting for '$2' in $1: $(cat "$1" 2>/dev/null)"
}

# wait_exit PID: up to 10 s for a background job to end; sets $status to its exit status.
wait_exit() {
	local i
	for i in $(seq 100); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	status=0
	wait "$1" || status=$?
}

# The child's PID as the host sees it, from ns's stderr.
child_pid() {
	sed -n "s/^ns: child pid (parent's view): //p" "$1"
}

# The POSIX queues of this IPC namespace: an mqueue filesystem mounted in a private mount
# namespace lists them (the host need not have /dev/mqueue mounted).
# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
queues() {
	mkdir -p "$TMP/mq"
	ns -m sh -c 'mount -t mqueue cseclab-mq "$0" && ls "$0"' "$TMP/mq" 2>/dev/null
}

# only_new FLAG KIND FEATURE: the child of `ns FLAG` has a new KIND namespace and shares all
# other kinds with the host.
only_new() {
	local flag=$1 kind=$2 feature=$3 host k ino want n=0
	requires root "$feature"
	host=$(sh -c "$INODES")
	run_lab "$feature" ns "$flag" sh -c "$INODES"
	assert_success
	while read -r k ino; do
		want=$(awk -v k="$k" '$1 == k { print $2 }' <<<"$host")
		if [ "$k" = "$kind" ]; then
			[ "$ino" != "$want" ] || fail "ns $flag: $k inode $ino is the host's"
		else
			[ "$ino" = "$want" ] || fail "ns $flag: $k inode $ino differs from the host's $want"
		fi
		n=$((n + 1))
	done < <(grep -E '^[a-z]+ [0-9]+$' <<<"$output")
	[ "$n" -eq 8 ] || fail "expected 8 namespace kinds, got $n: $output"
}

# --- ns: PID and mount namespaces, privilege ------------------------------------------------

@test "tour: ns -p -m as root: the child is PID 1 and /proc lists only its own tree" {
	requires lab:namespaces
	show ns -p -m sh -c 'cd /proc && echo pids: [0-9]*'
	assert_success
	assert_line --regexp "^ns: child pid \(parent's view\): [0-9]+$"
	assert_line "ns: child pid (own view): 1"
	assert_line "ns: running: sh"
	# a shell builtin lists /proc: the only process is the shell itself
	assert_line "pids: 1"
}

@test "ns -p without -m: the child is PID 1, but /proc is still the host's and lists its processes" {
	requires root pidns
	run ns -p sh -c 'cd /proc && echo pids: [0-9]*'
	assert_success
	assert_line "ns: child pid (own view): 1"
	# the host's /proc shows the test's own shell and far more than one process
	assert_line --regexp "^pids: .*\\b$$\\b"
	local pids
	pids=$(sed -n 's/^pids: //p' <<<"$output" | wc -w)
	[ "$pids" -gt 3 ] || fail "only $pids processes in the host's /proc"
}

@test "tour: as an ordinary user ns -p -m fails with EPERM (CAP_SYS_ADMIN needed)" {
	requires lab:namespaces
	show as_user ns -p -m -v env PS1='ns> ' true
	assert_failure 1
	assert_line "ns: clone: Operation not permitted"
	assert_output --partial "needs CAP_SYS_ADMIN"
	refute_line --partial "child pid"
	# control: the same command as root creates the namespaces
	run ns -p -m -v env PS1='ns> ' true
	assert_success
	assert_line "ns: child pid (own view): 1"
}

@test "ns -v narrates the clone flags, the inodes of parent and child, and the mounts made" {
	requires root pidns mntns
	run ns -p -m -v true
	assert_success
	assert_line "ns: parent: clone(child_main, stack top, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, &opts)"
	assert_line --regexp '^ns: pid +parent [0-9]+ +child [0-9]+ +new$'
	assert_line --regexp '^ns: mnt +parent [0-9]+ +child [0-9]+ +new$'
	assert_line --regexp '^ns: uts +parent ([0-9]+) +child \1 +shared$'
	assert_line --regexp '^ns: net +parent ([0-9]+) +child \1 +shared$'
	assert_line "ns: child: made every mount private (MS_REC|MS_PRIVATE): nothing propagates out"
	assert_line "ns: child: mounted a new proc on /proc: it lists only this PID namespace"
	assert_line "ns: parent: child exited with status 0"
}

# --- ns: one new namespace per flag, the others shared --------------------------------------

@test "ns -p: only the pid namespace inode differs from the host's" { only_new -p pid pidns; }
@test "ns -m: only the mnt namespace inode differs from the host's" { only_new -m mnt mntns; }
@test "ns -u: only the uts namespace inode differs from the host's" { only_new -u uts utsns; }
@test "ns -i: only the ipc namespace inode differs from the host's" { only_new -i ipc ipcns; }
@test "ns -n: only the net namespace inode differs from the host's" { only_new -n net netns; }
@test "ns -U: only the user namespace inode differs from the host's" { only_new -U user userns; }
@test "ns -C: only the cgroup namespace inode differs from the host's" { only_new -C cgroup cgroupns; }
@test "ns -T: only the time namespace inode differs from the host's" { only_new -T time timens; }

# --- ns: what each namespace changes --------------------------------------------------------

# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
@test "ns -u -H: the hostname set inside is seen inside; the host's is unchanged" {
	requires lab:namespaces
	local before
	before=$(cat /proc/sys/kernel/hostname)
	run ns -u -H cseclab-box sh -c 'echo "inside: $(cat /proc/sys/kernel/hostname)"'
	assert_success
	assert_line "inside: cseclab-box"
	[ "$(cat /proc/sys/kernel/hostname)" = "$before" ] || fail "the host's hostname changed"
	[ "$before" != cseclab-box ]
	# control: -H without a UTS namespace would rename the host, so it is refused
	run -2 ns -H cseclab-box true
	assert_output --partial "-H needs -u"
	[ "$(cat /proc/sys/kernel/hostname)" = "$before" ]
}

# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
@test "ns -m: a tmpfs mounted inside is in the child's mount table, absent from the host's" {
	requires root mntns
	mkdir "$TMP/mnt"
	ns -m sh -c 'mount -t tmpfs cseclab-nstest "$0" && echo mounted && exec sleep 30' "$TMP/mnt" \
		>"$TMP/out" 2>"$TMP/err" 3>&- &
	BG+=("$!")
	wait_for "$TMP/out" '^mounted$'
	local pid
	pid=$(child_pid "$TMP/err")
	run grep -c "^cseclab-nstest $TMP/mnt tmpfs" "/proc/$pid/mounts"
	assert_output 1
	run grep -c cseclab-nstest /proc/self/mounts
	assert_output 0
	kill "${BG[@]}"
	assert_no_leftovers
}

# bats test_tags=vm
@test "ns -C: /proc/self/cgroup reads / inside the cgroup namespace, the real path outside" {
	requires root cgroupns
	local v2
	v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[ -n "$v2" ] || skip "no cgroup v2 hierarchy is mounted (needed to place the test in a cgroup of its own)"
	CG=$v2/cseclab-nstest
	mkdir "$CG"
	# The cgroup the mount shows at its mount point (mountinfo field 4): "/" unless, as in a
	# container, the mount shows only a sub-tree.
	local root
	root=$(awk -v m="$v2" '$5 == m { r = $4 } END { print r }' /proc/self/mountinfo)
	# control: in the host's cgroup namespace the path of our cgroup shows
	run sh -c 'echo $$ >"$0/cgroup.procs" && exec ns cat /proc/self/cgroup' "$CG"
	assert_success
	assert_line "0::${root%/}/cseclab-nstest"
	run sh -c 'echo $$ >"$0/cgroup.procs" && exec ns -C cat /proc/self/cgroup' "$CG"
	assert_success
	assert_line "0::/"
	# every hierarchy (v1 ones too) is rooted at the cgroup the child started in
	refute_line --regexp '^[0-9]+:[^:]*:/.+'
}

@test "ns -T --offset: CLOCK_MONOTONIC and /proc/uptime inside run ahead by the offset" {
	requires root timens
	run_lab timens ns -T --offset 86400 cat /proc/uptime
	assert_success
	local parent child inside outside
	parent=$(sed -n 's/^ns: parent CLOCK_MONOTONIC: \([0-9.]*\) s$/\1/p' <<<"$output")
	child=$(sed -n 's/^ns: child CLOCK_MONOTONIC: \([0-9.]*\) s (offset +86400 s)$/\1/p' <<<"$output")
	inside=$(grep -E '^[0-9.]+ [0-9.]+$' <<<"$output" | cut -d' ' -f1)
	outside=$(cut -d' ' -f1 /proc/uptime)
	[ -n "$parent" ] && [ -n "$child" ] && [ -n "$inside" ] || fail "missing clock lines: $output"
	# +/- 5 s: each pair of clocks is read by two processes one after the other (milliseconds
	# apart here, up to seconds in an emulated VM); an offset not applied is 86400 s off.
	awk -v p="$parent" -v c="$child" 'BEGIN { d = c - p - 86400; exit !(d > -5 && d < 5) }' ||
		fail "monotonic: child $child - parent $parent is not 86400 s"
	awk -v i="$inside" -v o="$outside" 'BEGIN { d = i - o - 86400; exit !(d > -5 && d < 5) }' ||
		fail "boottime: /proc/uptime inside $inside - outside $outside is not 86400 s"
	# control: offset 0, the clocks agree
	run_lab timens ns -T --offset 0 true
	parent=$(sed -n 's/^ns: parent CLOCK_MONOTONIC: \([0-9.]*\) s$/\1/p' <<<"$output")
	child=$(sed -n 's/^ns: child CLOCK_MONOTONIC: \([0-9.]*\) s (offset +0 s)$/\1/p' <<<"$output")
	awk -v p="$parent" -v c="$child" 'BEGIN { d = c - p; exit !(d > -5 && d < 5) }' ||
		fail "offset 0: child $child, parent $parent"
}

# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
@test "ns -U as an ordinary user: uid 0 inside is the caller outside; full capabilities inside, yet a root-owned host file stays unwritable" {
	requires lab:user-namespaces root
	local f=$TMP/root-owned d=$TMP/user-owned full last
	echo original >"$f"
	chmod 644 "$f"
	mkdir "$d"
	chown "$CSECLAB_UID:$CSECLAB_GID" "$d"
	last=$(cat /proc/sys/kernel/cap_last_cap)
	full=$(printf '%016x' $(((1 << (last + 1)) - 1)))
	# control: the same user without -U has no capabilities
	run as_user grep CapEff /proc/self/status
	assert_output --regexp '^CapEff:[[:space:]]+0000000000000000$'
	run_lab unpriv-userns as_user ns -U sh -c '
		echo "uid: $(id -u) gid: $(id -g)"
		cat /proc/self/uid_map
		grep CapEff /proc/self/status
		touch "$0/made-inside"
		if echo changed >>"$1"; then echo "write: allowed"; else echo "write: denied"; fi' "$d" "$f"
	assert_success
	assert_line "uid: 0 gid: 0"
	assert_line --regexp "^ +0 +$CSECLAB_UID +1$"
	assert_line --regexp "^CapEff:[[:space:]]+$full$"
	assert_line "write: denied"
	assert_output --partial "Permission denied"
	# the file root inside created belongs to the caller outside
	[ "$(stat -c %u "$d/made-inside")" = "$CSECLAB_UID" ] || fail "made-inside owner: $(stat -c %u "$d/made-inside")"
	[ "$(cat "$f")" = original ]
}

@test "ns -U -p -m as an ordinary user: the user namespace owns the new PID namespace, so /proc can be mounted" {
	requires lab:user-namespaces root
	run_lab unpriv-userns as_user ns -U -p -m sh -c 'cd /proc && echo pids: [0-9]*; id -u'
	assert_success
	assert_line "ns: child pid (own view): 1"
	assert_line "pids: 1"
	assert_line 0
}

@test "ns -n: the new network namespace has only lo, and it is down" {
	requires root netns
	run --separate-stderr ns -n cat /proc/net/dev
	assert_success
	# /proc/net/dev lists the interfaces of the reader's network namespace
	assert_equal "$(grep -E '^ *[a-z0-9]+:' <<<"$output" | cut -d: -f1 | xargs)" lo
	if command -v ip >/dev/null; then
		run ns -n ip -o link show
		assert_line --regexp '^1: lo: <LOOPBACK> .* state DOWN'
	fi
}

@test "ns exits with the child's status, 128+N when signal N killed it, 127 when CMD cannot run" {
	requires root
	run -7 ns sh -c 'exit 7'
	run -143 ns sh -c 'kill -TERM $$'
	run -127 ns cseclab-no-such-command
	assert_line "ns: execvp cseclab-no-such-command: No such file or directory"
}

@test "PID 1 of a new PID namespace ignores SIGKILL sent from inside it, not from the host" {
	requires root pidns
	# control: an ordinary process killing itself dies of SIGKILL
	run -137 ns sh -c 'kill -KILL $$; echo "still alive"'
	refute_output --partial "still alive"
	run -0 ns -p sh -c 'kill -KILL $$; echo "still alive"'
	assert_line "still alive"
	# from the host (the parent namespace) SIGKILL does work
	ns -p sleep 30 >/dev/null 2>"$TMP/err" 3>&- &
	local nspid=$!
	BG+=("$nspid")
	wait_for "$TMP/err" '^ns: running: sleep$'
	kill -KILL "$(child_pid "$TMP/err")"
	wait_exit "$nspid"
	[ "$status" -eq 137 ] || fail "ns exited $status, expected 137"
}

@test "ns killed by SIGTERM takes its child with it (PR_SET_PDEATHSIG)" {
	requires root pidns
	ns -p sleep 30 >/dev/null 2>"$TMP/err" 3>&- &
	local nspid=$! child
	BG+=("$nspid")
	wait_for "$TMP/err" '^ns: running: sleep$'
	child=$(child_pid "$TMP/err")
	kill -0 "$child"
	kill -TERM "$nspid"
	wait_exit "$nspid"
	[ "$status" -eq 143 ] || fail "ns exited $status"
	local i
	for i in $(seq 50); do
		kill -0 "$child" 2>/dev/null || return 0
		sleep 0.1
	done
	fail "child $child outlived ns"
}

# --- ns -r: pivot_root versus chroot ---------------------------------------------------------

# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
@test "ns -m -r: after pivot_root the host's files are gone and chrootbreak cannot climb out" {
	requires root mntns pidns tool:busybox
	run -0 "$CSECLAB_ROOT/scripts/mkrootfs" "$TMP/root" "$CSECLAB_BIN/chrootbreak"
	echo host-only >"$TMP/marker"
	run ns -m -p -r "$TMP/root" sh -c '
		[ -x /bin/busybox ] && echo "busybox: yes"
		[ -e "$0" ] || echo "marker: absent"
		exec chrootbreak cat "$0"' "$TMP/marker"
	assert_failure 1
	assert_line "busybox: yes"
	assert_line "marker: absent"
	assert_line --regexp '^chrootbreak: not escaped'
	refute_line host-only
	assert_no_leftovers
}

# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
@test "ns -m -r --chroot: chrootbreak climbs out of the chroot and reads a host file" {
	requires root mntns pidns tool:busybox
	run -0 "$CSECLAB_ROOT/scripts/mkrootfs" "$TMP/root" "$CSECLAB_BIN/chrootbreak"
	echo host-only >"$TMP/marker"
	run ns -m -p -r "$TMP/root" --chroot sh -c '
		[ -e "$0" ] || echo "marker: absent"
		exec chrootbreak cat "$0"' "$TMP/marker"
	assert_success
	assert_line "marker: absent"
	assert_line --regexp '^chrootbreak: escaped: [0-9]+ climbs up'
	assert_line host-only
	assert_no_leftovers
}

# --- nsinfo, nsjoin ---------------------------------------------------------------------------

@test "nsinfo: two shells in the host's namespaces share every inode, as readlink /proc/PID/ns shows" {
	run nsinfo $$ "$PPID"
	assert_success
	assert_line --regexp "^namespace +$$\\("
	local k ino
	for k in cgroup ipc mnt net pid user uts; do
		ino=$(readlink "/proc/$$/ns/$k" | tr -dc 0-9)
		assert_line --regexp "^$k +$ino +$ino +same$"
	done
	refute_output --partial differs
}

# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
@test "nsinfo inside ns -p -m: mnt, pid and pid_for_children differ from the host's, the rest are equal" {
	requires lab:namespaces
	local host k ino n=0
	host=$(nsinfo)
	run ns -p -m nsinfo
	assert_success
	while read -r k ino; do
		local want
		want=$(awk -v k="$k" '$1 == k { print $2 }' <<<"$host")
		case $k in
		mnt | pid | pid_for_children) [ "$ino" != "$want" ] || fail "$k is the host's" ;;
		*) [ "$ino" = "$want" ] || fail "$k $ino differs from the host's $want" ;;
		esac
		n=$((n + 1))
	done < <(grep -E '^[a-z_]+ +[0-9]+ *$' <<<"$output")
	# every kind the kernel has (/proc/self/ns) was compared: an empty loop would pass
	[ "$n" -eq "$(find /proc/self/ns/ -mindepth 1 | wc -l)" ] || fail "compared $n kinds: $output"
	# with the two side by side nsinfo marks exactly those kinds
	run ns -u -n sh -c 'exec nsinfo self "$PPID"'
	assert_success
	assert_equal "$(awk '$NF == "differs" { print $1 }' <<<"$output" | xargs)" "net uts"
}

# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
@test "nsjoin -p -m: a command joins the target's PID namespace and sees only its processes" {
	requires lab:namespaces
	ns -p -m sleep 30 >/dev/null 2>"$TMP/err" 3>&- &
	BG+=("$!")
	wait_for "$TMP/err" '^ns: running: sleep$'
	local child
	child=$(child_pid "$TMP/err")
	# a shell builtin walks /proc: "PID comm" per process
	run nsjoin -t "$child" -p -m sh -c 'for d in /proc/[0-9]*; do read -r c <"$d/comm"; echo "${d#/proc/} $c"; done'
	assert_success
	assert_line "1 sleep"
	assert_equal "$(grep -cE '^[0-9]+ [a-z]+$' <<<"$output")" 2
	# control: joining only the mount namespace, this process is still in the host's PID namespace
	run nsjoin -t "$child" -m sh -c 'echo "self: $$"'
	assert_success
	refute_line "self: 1"
	refute_line "self: 2"
}

@test "nsjoin as an ordinary user cannot enter root's namespaces" {
	requires root utsns
	ns -u -H cseclab-box sleep 30 >/dev/null 2>"$TMP/err" 3>&- &
	BG+=("$!")
	wait_for "$TMP/err" '^ns: running: sleep$'
	local child
	child=$(child_pid "$TMP/err")
	run as_user nsjoin -t "$child" -u hostname
	assert_failure 1
	assert_output "nsjoin: /proc/$child/ns/uts: Permission denied"
	run -0 nsjoin -t "$child" -u hostname
	assert_output cseclab-box
}

# --- POSIX message queues across IPC namespaces (course demos 11-16) ------------------------

@test "tour: a queue in a new IPC namespace: the host's sender gets ENOENT, three senders joined with nsjoin -i deliver" {
	requires lab:mqueue
	local q=/cseclab-nstest rpid child id
	ns -i receiver -q "$q" -n 3 >"$TMP/out" 2>"$TMP/err" 3>&- &
	rpid=$!
	BG+=("$rpid")
	wait_for "$TMP/out" '^receiver: waiting for messages$'
	child=$(child_pid "$TMP/err")
	show sender -q "$q" -i host "from the host"
	assert_failure 1
	assert_output --regexp "^sender: mq_open $q: No such file or directory \\(no such queue in this IPC namespace, ipc:\\[[0-9]+\\]\\)$"
	for id in sender1 sender2 sender3; do
		show nsjoin -t "$child" -i sender -q "$q" -i "$id" "hello from $id"
		assert_success
		assert_output "sender: sent 1 message(s) to $q as $id"
	done
	wait_exit "$rpid"
	[ "$status" -eq 0 ] || fail "receiver exited $status: $(cat "$TMP/out" "$TMP/err")"
	show cat "$TMP/out"
	assert_line "message from sender1: hello from sender1"
	assert_line "message from sender2: hello from sender2"
	assert_line "message from sender3: hello from sender3"
	refute_output --partial "from the host"
	# the receiver's IPC namespace is not the host's
	assert_line --regexp "^receiver: queue $q ready in ipc:\\[[0-9]+\\]"
	refute_line --partial "$(readlink /proc/self/ns/ipc)"
	assert_no_leftovers
}

@test "receiver in the host's IPC namespace interrupted with SIGINT removes its queue" {
	requires lab:mqueue
	local q=/cseclab-nsint rpid
	receiver -q "$q" >"$TMP/out" 2>&1 3>&- &
	rpid=$!
	BG+=("$rpid")
	wait_for "$TMP/out" '^receiver: waiting for messages$'
	# control: while it runs the queue exists and takes messages
	run -0 sender -q "$q" hi
	if [ "$(id -u)" -eq 0 ]; then
		run queues
		assert_line "${q#/}"
	fi
	kill -INT "$rpid"
	wait_exit "$rpid"
	[ "$status" -eq 130 ] || fail "receiver exited $status, expected 130 (SIGINT)"
	run -1 sender -q "$q" hi
	assert_output --partial "No such file or directory"
	if [ "$(id -u)" -eq 0 ]; then
		run queues
		refute_output --partial "${q#/}"
	fi
	assert_no_leftovers
}

@test "sender: too long a message fails with EMSGSIZE, a full queue with --nonblock with EAGAIN" {
	requires lab:mqueue
	local q=/cseclab-nsfull rpid
	receiver -q "$q" --max-messages 2 --message-size 16 >"$TMP/out" 2>&1 3>&- &
	rpid=$!
	BG+=("$rpid")
	wait_for "$TMP/out" '^receiver: waiting for messages$'
	run -1 sender -q "$q" -i x "a message far longer than sixteen bytes"
	assert_output "sender: mq_send: Message too long: the message is 41 bytes, the queue takes at most 16"
	# stop the receiver so nothing drains the queue: 2 fit, the third is refused
	kill -STOP "$rpid"
	run -1 sender -q "$q" --nonblock -n 3 hi
	assert_output "sender: mq_send: Resource temporarily unavailable: the queue is full (2 messages waiting) after 2 sent"
	kill -CONT "$rpid"
	wait_for "$TMP/out" '^message from [0-9]+: hi$'
	kill -TERM "$rpid"
	wait_exit "$rpid"
	[ "$status" -eq 143 ]
	assert_no_leftovers
}

@test "receiver: a queue above fs.mqueue.msg_max fails with EINVAL without CAP_SYS_RESOURCE" {
	requires lab:mqueue tool:setpriv
	local max
	max=$(cat /proc/sys/fs/mqueue/msg_max)
	run -1 setpriv --inh-caps=-sys_resource --bounding-set=-sys_resource -- \
		receiver -q /cseclab-nsbig --max-messages $((max + 1))
	assert_output --partial "mq_open /cseclab-nsbig: Invalid argument: $((max + 1)) messages of 256 bytes exceeds fs.mqueue.msg_max=$max"
	# control: at the limit it works
	setpriv --inh-caps=-sys_resource --bounding-set=-sys_resource -- \
		receiver -q /cseclab-nsbig --max-messages "$max" >"$TMP/out" 2>&1 3>&- &
	BG+=("$!")
	wait_for "$TMP/out" "^receiver: queue /cseclab-nsbig ready in ipc:\\[[0-9]+\\] \\($max messages of 256 bytes\\)$"
	kill -TERM "${BG[@]}"
	wait_exit "${BG[0]}"
	assert_no_leftovers
}

# --- network ---------------------------------------------------------------------------------

@test "netpair: two network namespaces joined by a veth pair ping each other; nothing is left" {
	requires lab:netpair tool:ip tool:ping
	run_lab veth "$CSECLAB_ROOT/labs/namespaces/netpair.sh"
	assert_success
	assert_line "netpair: cseclab-a has: lo DOWN"
	assert_line "netpair: the host's namespace has no cseclab-va: yes"
	assert_line "netpair: ping cseclab-a -> cseclab-b: 3 sent, 3 received"
	run -0 ip netns list
	refute_output --partial cseclab
}

# --- usage and bad input ---------------------------------------------------------------------

@test "--help of every namespaces program: usage on stdout, exit 0" {
	local p
	for p in ns nsinfo nsjoin receiver sender chrootbreak; do
		run --separate-stderr "$p" --help
		assert_success
		assert_output --partial "Usage: $p"
		[ -z "$stderr" ] || fail "$p --help wrote to stderr: $stderr"
	done
	run -0 "$CSECLAB_ROOT/labs/namespaces/netpair.sh" --help
	run -0 "$CSECLAB_ROOT/scripts/mkrootfs" --help
}

@test "bad input: unknown or missing arguments exit 2, a PID or rootfs that does not exist exits 1, nothing left" {
	local nopid
	nopid=$(($(cat /proc/sys/kernel/pid_max) + 1))
	run -2 ns --bogus
	assert_line "ns: unknown option '--bogus'"
	run -2 ns -H
	assert_line "ns: option '-H' needs an argument"
	run -2 ns --offset 5 true
	assert_line "ns: --offset needs -T"
	run -2 ns -T --offset soon true
	run -2 ns -m --chroot true
	run -2 ns -r "$TMP" true
	run -1 ns -m -r /cseclab-no-such-root true
	assert_output "ns: root /cseclab-no-such-root: No such file or directory"
	run -2 nsinfo --bogus
	run -2 nsinfo abc
	run -1 nsinfo "$nopid"
	assert_output "nsinfo: no process $nopid (/proc/$nopid/comm: No such file or directory)"
	run -2 nsjoin -i true
	assert_line "nsjoin: missing -t PID"
	run -2 nsjoin -t 1 true
	run -2 nsjoin -t abc -i true
	run -1 nsjoin -t "$nopid" -i true
	assert_output "nsjoin: no process $nopid (/proc/$nopid: No such file or directory)"
	run -2 sender
	assert_line "sender: missing TEXT"
	run -2 sender -q /tmp/evil x
	run -2 sender -n 0 x
	run -1 sender -q /cseclab-nsnone x
	run -2 receiver -n 0
	run -2 receiver -q cseclab
	run -2 receiver extra
	run -2 chrootbreak --bogus
	run -2 "$CSECLAB_ROOT/scripts/mkrootfs"
	run -2 "$CSECLAB_ROOT/labs/namespaces/netpair.sh" extra
	assert_no_leftovers
}

# --- user and time namespaces: setgroups only when needed, -U with -T, setns into a time namespace

@test "ns -U: root writes the maps with setgroups still allowed; an ordinary user must deny it" {
	requires root userns unpriv-userns tool:setpriv
	run -0 ns -U cat /proc/self/setgroups
	assert_line allow
	# the kernel's answer to setgroups(2) inside: allowed for root's namespace ...
	run -0 ns -U setpriv --clear-groups true
	# ... and refused in the ordinary user's, whose gid_map needed setgroups denied first
	run -0 as_user ns -U cat /proc/self/setgroups
	assert_line deny
	run ! as_user ns -U setpriv --clear-groups true
	assert_line "setpriv: setgroups failed: Operation not permitted"
}

@test "ns -U -T as an ordinary user: the user namespace comes first, so the time namespace can be made" {
	requires timens unpriv-userns
	local inside outside
	run -0 as_user ns -U -T --offset 86400 cat /proc/uptime
	inside=$(grep -E '^[0-9.]+ [0-9.]+$' <<<"$output" | cut -d' ' -f1)
	outside=$(cut -d' ' -f1 /proc/uptime)
	[ -n "$inside" ] || fail "no /proc/uptime line: $output"
	# The two reads are one process exit apart: 5 s covers a loaded machine.
	awk -v i="$inside" -v o="$outside" 'BEGIN { d = i - o - 86400; exit !(d > -5 && d < 5) }' ||
		fail "boottime: /proc/uptime inside $inside - outside $outside is not 86400 s"
	# Control: -T alone as the ordinary user. The kernel refuses the time namespace (no
	# CAP_SYS_ADMIN in the user namespace that would own it), and the hint names -U.
	run -1 as_user ns -T true
	assert_line "ns: unshare(CLONE_NEWTIME): Operation not permitted"
	assert_line --partial "or add -U"
}

# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
@test "nsjoin -T: setns moves nsjoin itself into the target's time namespace, and its clock jumps by the offset" {
	requires root timens
	local child own target njpid jump
	ns -T --offset 86400 sleep 30 >/dev/null 2>"$TMP/err" 3>&- &
	BG+=("$!")
	wait_for "$TMP/err" '^ns: running: sleep$'
	child=$(child_pid "$TMP/err")
	target=$(readlink "/proc/$child/ns/time")
	own=$(readlink /proc/self/ns/time)
	[ "$target" != "$own" ] || fail "the target shares our time namespace ($own)"
	nsjoin -v -T -t "$child" sh -c 'echo "cmd pid=$$"; readlink /proc/self/ns/time' >"$TMP/out" 2>&1 3>&- &
	njpid=$!
	wait_exit "$njpid"
	assert_equal "$status" 0
	run cat "$TMP/out"
	# No fork: the command runs as nsjoin's own process, already in the target's namespace.
	assert_line "cmd pid=$njpid"
	assert_line "$target"
	assert_line "nsjoin: time: pid $njpid moved itself: $own -> $target"
	# CLOCK_MONOTONIC read by nsjoin just before and just after setns: the offset, plus the
	# time between the two reads (one system call; 5 s covers a loaded machine).
	jump=$(sed -n "s/^nsjoin: time: CLOCK_MONOTONIC of pid $njpid: .* s (+\([0-9.]*\) s)$/\1/p" <<<"$output")
	[ -n "$jump" ] || fail "no clock line: $output"
	awk -v j="$jump" 'BEGIN { d = j - 86400; exit !(d >= 0 && d < 5) }' ||
		fail "CLOCK_MONOTONIC jumped by $jump s, not 86400 s"
}
