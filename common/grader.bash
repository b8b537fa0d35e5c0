# shellcheck shell=bash
# shellcheck disable=SC2034 # the EX_* variables are for the graders that source this file
# common/grader.bash - the plumbing of every exercise grader (labs/<topic>/exercises/NN-name/check).
#
# A grader is `check DIR`: DIR holds the learner's hand-in. It sources this file, calls
# `grader_init --budget SECS "$@"` (the whole grading ends within SECS, default 60), checks one
# assertion after another, and ends with `graded`. What it prints is stable, line by line:
#   ok: ASSERTION                               pass "ASSERTION": it holds
#   FAIL: ASSERTION (kernel said: WHAT)         fail N "ASSERTION" "WHAT": the first that does
#   hint: see hints.md #N                       not hold, the hint to read; exit 1
#   cannot run here: REASON                     cannot_run "REASON"; exit 77
#   note: TEXT                                  note "TEXT": commentary, never graded
# `exercise check` (bin/exercise) reads these lines; the tests (tests/exercises.bash) match them.
#
# Never trust what the learner's program prints: observe the kernel (/proc/PID/status, namespace
# inodes, signals, errnos, cgroup files, the HTTP answers of a server). Run the learner's work
# as the unprivileged user unless the task needs root (ex_spawn --root). Everything a grader
# creates is named cseclab-ex-*; the EXIT trap kills every process the hand-in started (they
# all live in one cseclab-ex-* cgroup, else in their own process groups) and removes the rest,
# also when the learner's program crashes, hangs or forks.
#
# After grader_init:
#   EX_DIR EX_NAME   the exercise's folder and name (NN- stripped)
#   EX_WORK          a private copy of the hand-in, readable by the unprivileged user
#   EX_TMP           a scratch folder (/tmp/cseclab-ex-NAME.XXXXXX, mode 0755), removed at exit
#   CSECLAB_ROOT CSECLAB_BIN   the suite and its programs (bin/ is first on PATH)
#   EX_UID EX_GID    the unprivileged user (`cseclab`, else 4242)
# Helpers:
#   ex_netns "$@"               (before grader_init, as root) run the whole grader in a fresh
#                               network namespace, lo up: ports, sysctls and sockets of its own
#   need_root WHY; need_feature FEATURE...  (doctor's keywords); need_tool CMD...
#   ex_compile OUT SRC... [-- LIBS...]  the learner's C, with the project's flags (-Werror)
#   ex_build OUT SRC... [-- LIBS...]    the grader's own C (a probe next to check), same flags
#   ex_spawn [--root] CMD...    start CMD in the background: EX_PID (CMD's own PID), EX_OUT and
#                               EX_ERR (files: its stdout and its stderr)
#   ex_finish PID SECS          wait for a spawned PID to end, SECS at most (then kill it):
#                               EX_STATUS and EX_HOW ("exited with status 1", "killed by SIGSYS",
#                               "did not finish within 10 s")
#   ex_run [--root] [-t SECS] CMD...   ex_spawn, then ex_finish (default 10 s)
#   ex_find_comm COMM           the PID of a process of the hand-in whose comm is COMM (15 chars)
#   ex_wait SECS CMD...         poll CMD until it succeeds (0) or SECS pass (1)
#   ex_alive PID                PID still exists and is no zombie
#   ex_procs                    the PIDs the hand-in started that are alive now
#   ex_status PID KEY           the value of KEY in /proc/PID/status (tabs removed)
#   ex_listener PORT            the PID of the process that listens on TCP PORT (this netns)
#   ex_wait_listener PORT SECS PID   wait until a process listens on PORT (sets EX_LISTENER) or
#                               PID (what was spawned) is gone; 1 when nothing listens
#   ex_quote FILE [LINES]       FILE's first lines (2) as one short line, to quote in a FAIL
#   ex_capnames HEX             a capability set as names (capsh --decode), "none" for 0
#   ex_http URL                 the HTTP status code (000: no answer), body in $EX_TMP/http.body
#   ex_on_cleanup CMD...        run CMD at exit, before the scratch folder goes
#   ex_kill_all                 kill every process the hand-in started (grader_init traps it)

EX_BUDGET=60
_ex_over=0
_ex_napping=0
EX_PASSED=0
_ex_cleanups=()
_ex_pgids=()
_ex_cg=
_ex_nspawn=0

note() { printf 'note: %s\n' "$*"; }

pass() {
	printf 'ok: %s\n' "$1"
	EX_PASSED=$((EX_PASSED + 1))
}

# fail HINT ASSERTION WHAT: the one FAIL line (newlines of WHAT folded, 300 characters at most).
fail() {
	local what=${3//$'\n'/; }
	[ ${#what} -le 300 ] || what="${what:0:297}..."
	printf 'FAIL: %s (kernel said: %s)\n' "$2" "$what"
	printf 'hint: see hints.md #%s\n' "$1"
	exit 1
}

cannot_run() {
	printf 'cannot run here: %s\n' "$1"
	exit 77
}

graded() {
	[ "$EX_PASSED" -gt 0 ] || { echo "grader: no assertion was checked" >&2; exit 2; }
	exit 0
}

need_root() {
	[ "$(id -u)" -eq 0 ] || cannot_run "needs root: $1 (run exercise check as root)"
}

need_feature() {
	local f out
	for f in "$@"; do
		out=$(doctor --check "$f" 2>&1) || cannot_run "needs $f: $out"
	done
}

need_tool() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null || cannot_run "needs the command $t (make setup installs it)"
	done
}

ex_netns() {
	if [ -z "${_EX_NETNS:-}" ]; then
		[ "$(id -u)" -eq 0 ] || cannot_run "needs root: the grader works in a network namespace of its own"
		command -v unshare >/dev/null || cannot_run "needs the command unshare (util-linux)"
		_EX_NETNS=1 exec unshare --net -- "$0" "$@"
	fi
	ip link set lo up || cannot_run "cannot bring up lo in a new network namespace"
}

# ---- set-up and teardown --------------------------------------------------------------------

grader_init() {
	if [ "${1:-}" = --budget ]; then
		EX_BUDGET=$2
		shift 2
	fi
	local src=${1:-}
	EX_DIR=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
	EX_NAME=$(basename "$EX_DIR")
	EX_NAME=${EX_NAME#[0-9][0-9]-}
	if [ $# -ne 1 ] || [ ! -d "$src" ]; then
		echo "Usage: check DIR   (grade the hand-in of exercise $EX_NAME in DIR)" >&2
		exit 2
	fi
	CSECLAB_ROOT=${CSECLAB_ROOT:-$(cd "$EX_DIR/../../../.." && pwd)}
	[ -d "$CSECLAB_ROOT/labs" ] || CSECLAB_ROOT=$(cd "$EX_DIR/../../.." && pwd) # docker/exercises
	CSECLAB_BIN=${CSECLAB_BIN:-$CSECLAB_ROOT/bin}
	export CSECLAB_ROOT CSECLAB_BIN PATH="$CSECLAB_BIN:$PATH" LC_ALL=C
	EX_UID=${CSECLAB_UID:-$(id -u cseclab 2>/dev/null || echo 4242)}
	EX_GID=${CSECLAB_GID:-$(id -g cseclab 2>/dev/null || echo 4242)}
	[ -x "$CSECLAB_BIN/doctor" ] || cannot_run "the labs are not built: run make in $CSECLAB_ROOT"

	EX_TMP=$(mktemp -d "/tmp/cseclab-ex-$EX_NAME.XXXXXX")
	chmod 0755 "$EX_TMP"
	trap _ex_exit EXIT
	trap '_ex_over=1; [ "$_ex_napping" = 1 ] || _ex_budget_spent' USR1
	trap 'exit 130' INT
	trap 'exit 143' TERM
	mkfifo "$EX_TMP/.nap"
	exec {_ex_napfd}<>"$EX_TMP/.nap"
	EX_WORK=$EX_TMP/work
	# A copy: the learner's folder may be out of the unprivileged user's reach (/root is 0700),
	# and the hand-in must not change while it is graded.
	cp -r "$src" "$EX_WORK"
	chmod -R a+rX "$EX_WORK"
	_ex_make_cgroup
	# The budget: a grader stuck on a hand-in that never answers still ends, and cleans up.
	(
		trap - EXIT USR1 INT
		trap 'kill $! 2>/dev/null; exit 0' TERM
		sleep "$EX_BUDGET" &
		wait $!
		kill -USR1 $$ 2>/dev/null
	) &
	_ex_watchdog=$!
}

_ex_budget_spent() {
	[ "$BASHPID" = "$$" ] || exit 1
	printf 'FAIL: the grading ends within %s s (kernel said: the hand-in was still running)\n' \
		"$EX_BUDGET"
	printf 'hint: see hints.md #1\n'
	exit 1
}

# Where the hand-in's processes go: a cgroup of the pids controller (its pids.max stops a fork
# bomb), else of any cgroup2 mount; without root or cgroups, process groups only.
_ex_make_cgroup() {
	local mnt fs opts dir
	[ "$(id -u)" -eq 0 ] || return 0
	while read -r mnt fs opts; do
		dir=
		if [ "$fs" = cgroup ] && [[ ,$opts, == *,pids,* ]]; then
			dir=$mnt
		elif [ "$fs" = cgroup2 ] && [ -z "$_ex_cg" ]; then
			dir=$mnt
		fi
		[ -n "$dir" ] || continue
		dir=$dir/cseclab-ex-$EX_NAME-$$
		mkdir "$dir" 2>/dev/null || continue
		[ -z "$_ex_cg" ] || rmdir "$_ex_cg"
		_ex_cg=$dir
		if [ -e "$dir/pids.max" ]; then
			echo 256 >"$dir/pids.max"
			break
		fi
	done < <(awk '{ for (i = 7; $i != "-"; i++); if ($(i+1) ~ /^cgroup2?$/) print $5, $(i+1), $(i+3) }' \
		/proc/self/mountinfo)
}

ex_on_cleanup() { _ex_cleanups+=("$*"); }

ex_procs() {
	local p
	{
		if [ -n "$_ex_cg" ]; then
			cat "$_ex_cg/cgroup.procs" 2>/dev/null
		fi
		for p in "${_ex_pgids[@]}"; do
			pgrep -g "$p" 2>/dev/null
		done
	} | sort -un
}

ex_kill_all() {
	local i p
	for i in $(seq 50); do
		if [ -n "$_ex_cg" ] && [ -e "$_ex_cg/cgroup.kill" ]; then
			echo 1 >"$_ex_cg/cgroup.kill" 2>/dev/null
		fi
		for p in "${_ex_pgids[@]}"; do
			kill -KILL -- "-$p" 2>/dev/null
		done
		p=$(for p in $(ex_procs); do if ex_alive "$p"; then echo "$p"; fi; done)
		[ -n "$p" ] || return 0
		# shellcheck disable=SC2086 # a list of PIDs
		kill -KILL $p 2>/dev/null
		[ "$i" -lt 10 ] || sleep 0.1
	done
	echo "grader: could not kill every process of the hand-in: $(ex_procs | tr '\n' ' ')" >&2
}

_ex_exit() {
	local rc=$? i
	# A subshell may get here too (a signal before its own traps were set): only the grader
	# itself cleans up.
	[ "$BASHPID" = "$$" ] || exit "$rc"
	trap - EXIT USR1
	kill "$_ex_watchdog" 2>/dev/null
	ex_kill_all
	for ((i = ${#_ex_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_ex_cleanups[i]}" >/dev/null 2>&1
	done
	if [ -n "$_ex_cg" ]; then
		for i in $(seq 20); do
			rmdir "$_ex_cg" 2>/dev/null && break
			sleep 0.05
		done
	fi
	rm -rf "$EX_TMP"
	exit "$rc"
}

# ---- the learner's C ------------------------------------------------------------------------

# ex_compile OUT SRC... [-- LIBS...]: build with the project's flags; a FAIL names gcc's error.
ex_compile() {
	local out=$1 srcs=() libs=() err
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		srcs+=("$1")
		shift
	done
	[ $# -eq 0 ] || { shift; libs=("$@"); }
	need_tool "${CC:-cc}"
	if ! "${CC:-cc}" -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
		-Wmissing-prototypes -O2 -D_FORTIFY_SOURCE=2 -o "$out" "${srcs[@]}" "${libs[@]}" \
		2>"$EX_TMP/cc.err"; then
		err=$(grep -m1 -E 'error|undefined reference' "$EX_TMP/cc.err" || head -1 "$EX_TMP/cc.err")
		fail 1 "$(basename "${srcs[0]}") compiles with -std=gnu11 -Wall -Wextra -Werror" \
			"${err#"$EX_WORK"/}"
	fi
	chmod 0755 "$out"
	pass "$(basename "${srcs[0]}") compiles with -std=gnu11 -Wall -Wextra -Werror"
}

ex_build() {
	local out=$1 srcs=() libs=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		srcs+=("$1")
		shift
	done
	[ $# -eq 0 ] || { shift; libs=("$@"); }
	need_tool "${CC:-cc}"
	"${CC:-cc}" -std=gnu11 -Wall -Wextra -Werror -O2 -o "$out" "${srcs[@]}" "${libs[@]}" ||
		{ echo "grader: cannot build ${srcs[*]}" >&2; exit 2; }
	chmod 0755 "$out"
}

# ---- running the hand-in ----------------------------------------------------------------------

# The body of a spawned process: join the cgroup, its own session, the unprivileged user, then
# become CMD (same PID: EX_PID is CMD's PID).
_ex_become() {
	local root=$1
	shift
	trap - EXIT USR1 INT TERM
	if [ -n "$_ex_cg" ]; then
		echo "$BASHPID" >"$_ex_cg/cgroup.procs" || exit 125
	fi
	if [ "$root" = 0 ] && [ "$(id -u)" -eq 0 ]; then
		set -- setpriv --reuid="$EX_UID" --regid="$EX_GID" --clear-groups -- "$@"
	fi
	exec setsid env -i PATH="$CSECLAB_BIN:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		HOME="$EX_TMP" LC_ALL=C "$@"
}

# A supervisor subshell waits for CMD and writes its wait status to a file: the grader never
# waits for CMD itself (so bash reports no "Killed" job on stderr), and a CMD that never ends
# only keeps the supervisor waiting until ex_kill_all.
ex_spawn() {
	local root=0 n
	if [ "${1:-}" = --root ]; then
		root=1
		shift
	fi
	_ex_nspawn=$((_ex_nspawn + 1))
	n=$_ex_nspawn
	EX_OUT=$EX_TMP/out.$n
	EX_ERR=$EX_TMP/err.$n
	(
		trap - EXIT USR1 INT TERM
		(_ex_become "$root" "$@") </dev/null >"$EX_OUT" 2>"$EX_ERR" &
		echo $! >"$EX_TMP/pid.$n.tmp"
		mv "$EX_TMP/pid.$n.tmp" "$EX_TMP/pid.$n"
		wait $!
		echo $? >"$EX_TMP/status.$n.tmp"
		mv "$EX_TMP/status.$n.tmp" "$EX_TMP/status.$n"
	) 2>/dev/null &
	until [ -e "$EX_TMP/pid.$n" ]; do
		_ex_nap 0.005
	done
	EX_PID=$(<"$EX_TMP/pid.$n")
	echo "$n" >"$EX_TMP/spawn.$EX_PID"
	_ex_pgids+=("$EX_PID")
}

# How a process ended, from its wait status (bash's: 128+N for signal N).
_ex_how() {
	local s=$1 sig
	if [ "$s" -gt 128 ]; then
		sig=$(kill -l $((s - 128)) 2>/dev/null)
		echo "killed by SIG${sig:-$((s - 128))}"
	else
		echo "exited with status $s"
	fi
}

ex_run() {
	local root=() secs=10
	if [ "${1:-}" = --root ]; then
		root=(--root)
		shift
	fi
	if [ "${1:-}" = -t ]; then
		secs=$2
		shift 2
	fi
	ex_spawn "${root[@]}" "$@"
	ex_finish "$EX_PID" "$secs"
}

ex_finish() {
	local pid=$1 secs=$2 n timed_out=0
	n=$(<"$EX_TMP/spawn.$pid")
	_ex_deadline "$secs"
	until [ -e "$EX_TMP/status.$n" ]; do
		if [ "$timed_out" = 0 ] && _ex_past "$_ex_dl"; then
			timed_out=1
			kill -KILL "$pid" 2>/dev/null
		fi
		_ex_nap 0.01
	done
	EX_STATUS=$(<"$EX_TMP/status.$n")
	if [ "$timed_out" = 1 ]; then
		EX_HOW="did not finish within $secs s"
	else
		EX_HOW=$(_ex_how "$EX_STATUS")
	fi
	return 0
}

# _ex_deadline SECS (a decimal): _ex_dl is now + SECS, in microseconds; _ex_past DL: it is
# past DL. _ex_nap SECS sleeps without a process (a read that times out). No fork: they poll.
_ex_deadline() {
	local i=${1%%.*} f=
	if [[ $1 == *.* ]]; then f=${1#*.}; fi
	f=${f}000000
	_ex_dl=$((${EPOCHREALTIME/[.,]/} + ${i:-0} * 1000000 + 10#${f:0:6}))
}
_ex_past() { [ "${EPOCHREALTIME/[.,]/}" -ge "$1" ]; }
# (bash 5.2 crashes when a trap exits the shell in the middle of `read -t`: the budget's trap
# only marks the time as spent there, and the nap ends the grading after the read.)
_ex_nap() {
	_ex_napping=1
	read -r -t "$1" -u "$_ex_napfd" _ 2>/dev/null
	_ex_napping=0
	[ "$_ex_over" = 0 ] || _ex_budget_spent
	return 0
}

ex_wait() {
	local end
	_ex_deadline "$1"
	end=$_ex_dl
	shift
	while ! "$@" 2>/dev/null; do
		! _ex_past "$end" || return 1
		_ex_nap 0.02
	done
}

ex_find_comm() {
	local p
	for p in $(ex_procs); do
		if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "${1:0:15}" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

ex_alive() {
	[ -e "/proc/$1/status" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

ex_status() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null | tr '\t' ' '
}

ex_listener() {
	ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2
}

# The first LINES lines (default 2) of a file, folded into one line, for a "kernel said".
ex_quote() {
	head -n "${2:-2}" "$1" 2>/dev/null | head -c 200 | tr '\n' ' ' | sed 's/ $//'
}

ex_capnames() {
	local v=$((16#${1:-0}))
	if [ "$v" -eq 0 ]; then
		echo none
	else
		capsh --decode="$1" 2>/dev/null | sed 's/^0x[0-9a-f]*=//' || echo "0x$1"
	fi
}

ex_wait_listener() {
	local port=$1 launcher=$3
	EX_LISTENER=
	# shellcheck disable=SC2317 # called by ex_wait
	_ex_listening() { EX_LISTENER=$(ex_listener "$port") && [ -n "$EX_LISTENER" ] || ! ex_alive "$launcher"; }
	ex_wait "$2" _ex_listening
	[ -n "$EX_LISTENER" ]
}

ex_http() {
	curl -s -o "$EX_TMP/http.body" -w '%{http_code}' --max-time 3 "$@" 2>/dev/null || true
}
