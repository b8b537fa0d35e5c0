# shellcheck shell=bash
# box.bash - the grader of every level of the box exercises (labs/runtime/exercises/NN-boxK-*),
# sourced by each level's check after common/grader.bash and `grader_init --budget 30 "$@"`:
# `box_grade LEVEL EARLIER_HINT`.
#
# Level K checks what levels 0..K ask for, in order: the learner's box.c grows one mechanism a
# level, and an assertion of an earlier level that fails points to EARLIER_HINT, the hint that
# says "an earlier level's part broke". It builds box.c and the probe (probe.c, static), a
# busybox ROOTFS (scripts/mkrootfs) holding the probe and chrootbreak, then runs as root, in a
# throw-away mount and UTS namespace of the grader's (a mistake cannot pivot or rename the
# host):
#   run A  box ROOTFS /cseclab-ex-probe [report] wait   the probe waits on a FIFO while the
#          grader reads it from outside (/proc/PID/status, ns/, root, mountinfo, cgroup, its
#          /dev and /proc); from level 5 it first reports the errnos its own calls got; then
#          the grader kills it with SIGKILL: box must exit 137 (and, level 4, remove its cgroup)
#   run B  box ROOTFS /cseclab-ex-probe exit 3          box must exit 3

BOX_HOSTNAME=cseclab-box
BOX_PIDS_MAX=32
BOX_MEMORY_MAX=67108864
BOX_DOCKER_CAPS=a80425fb # Docker's default 14 capabilities

# bfail LEVEL HINT ASSERTION WHAT: a failed assertion of LEVEL (an earlier one: EARLIER_HINT).
bfail() {
	local hint=$2
	[ "$1" -ge "$BOX_LEVEL" ] || hint=$BOX_EARLIER
	fail "$hint" "$3" "$4"
}

errname() {
	case $1 in
	0) echo "it worked" ;;
	1) echo EPERM ;;
	13) echo EACCES ;;
	30) echo EROFS ;;
	sig*) echo "the process was killed by signal ${1#sig}" ;;
	'') echo "no answer" ;;
	*) echo "errno $1" ;;
	esac
}

# What the probe's report says CALL got.
reported() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$report"; }

ns() { readlink "/proc/$1/ns/$2"; }

# The directory of PID's cgroup in the hierarchy of CONTROLLER: v1's, else cgroup2's.
cg_dir() {
	local path mnt
	path=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' \
		"/proc/$1/cgroup" 2>/dev/null)
	if [ -n "$path" ]; then
		mnt=$(awk -v c="$2" '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup") {
			n = split($(i+3), o, ","); for (j = 1; j <= n; j++) if (o[j] == c) { print $5; exit } } }' \
			/proc/self/mountinfo)
	else
		path=$(awk -F: '$1 == 0 { print $3 }' "/proc/$1/cgroup" 2>/dev/null)
		mnt=$(awk '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup2") { print $5; exit } }' \
			/proc/self/mountinfo)
	fi
	echo "$mnt$path"
}

# Every cseclab-box-PID that box PID may have made (the grader removes them at exit).
box_cgroups() {
	awk -v n="cseclab-box-$1" '{ for (i = 7; $i != "-"; i++); if ($(i+1) ~ /^cgroup2?$/) print $5 "/" n }' \
		/proc/self/mountinfo
}

box_grade() {
	BOX_LEVEL=$1
	BOX_EARLIER=$2
	need_root "box makes namespaces, mounts and cgroups: the grader runs it as root"
	[ "$BOX_LEVEL" -lt 1 ] || need_feature pidns utsns mntns ipcns netns
	[ "$BOX_LEVEL" -lt 4 ] || need_feature cgroup-pids cgroup-memory
	[ "$BOX_LEVEL" -lt 6 ] || need_feature seccomp-filter
	need_tool busybox nsenter unshare
	local libs=()
	if [ "$BOX_LEVEL" -ge 6 ]; then
		pkg-config --exists libseccomp 2>/dev/null ||
			cannot_run "needs libseccomp: apt-get install libseccomp-dev (or make setup)"
		read -ra libs < <(pkg-config --libs libseccomp)
	fi
	[ -f "$EX_WORK/box.c" ] || fail 1 "box.c is handed in" "no box.c in the folder"
	ex_compile "$EX_TMP/box" "$EX_WORK/box.c" -- "${libs[@]}"
	ex_build "$EX_TMP/probe" "$EX_DIR/../../box-grader/probe.c" -- -static
	rootfs=$EX_TMP/rootfs
	"$CSECLAB_ROOT/scripts/mkrootfs" --applets 'sh cat ls' "$rootfs" "$CSECLAB_BIN/chrootbreak" >/dev/null ||
		cannot_run "scripts/mkrootfs could not build a root filesystem"
	cp "$EX_TMP/probe" "$rootfs/cseclab-ex-probe"
	mkfifo -m 0600 "$rootfs/cseclab-ex-go" "$rootfs/cseclab-ex-out"
	printf 'cseclab host file %s\n' "$RANDOM$RANDOM" >"$EX_TMP/marker"

	local args=(wait)
	[ "$BOX_LEVEL" -lt 5 ] || args=(report wait)
	ex_spawn --root unshare --mount --uts --propagation private -- \
		"$EX_TMP/box" "$rootfs" /cseclab-ex-probe "${args[@]}"
	parent=$EX_PID
	local c
	for c in $(box_cgroups "$parent"); do ex_on_cleanup rmdir "$c"; done
	# shellcheck disable=SC2317 # called by ex_wait
	probe_up() { probe=$(ex_find_comm cseclab-ex-probe) || ! ex_alive "$parent"; }
	probe=
	ex_wait 5 probe_up
	# A box that does not wait is gone before CMD runs: look for an orphaned probe a moment.
	# shellcheck disable=SC2317 # called by ex_wait
	orphan_up() { probe=$(ex_find_comm cseclab-ex-probe); }
	[ -n "$probe" ] || ex_wait 1 orphan_up
	if [ -z "$probe" ]; then
		ex_finish "$parent" 1
		bfail 0 1 "box runs CMD (the probe)" "box $EX_HOW; stderr: $(ex_quote "$EX_ERR")"
	fi
	pass "box runs CMD (the probe)"
	report=
	if [ "$BOX_LEVEL" -ge 5 ]; then
		report=$(timeout 5 cat "$rootfs/cseclab-ex-out")
		[ -n "$report" ] || bfail 5 1 "the probe reports what its calls got" \
			"nothing on /cseclab-ex-out; the probe $(ex_alive "$probe" && echo runs || echo ended)"
	fi

	box_level0_child
	[ "$BOX_LEVEL" -lt 1 ] || box_level1
	[ "$BOX_LEVEL" -lt 2 ] || box_level2
	[ "$BOX_LEVEL" -lt 3 ] || box_level3
	[ "$BOX_LEVEL" -lt 4 ] || box_level4
	[ "$BOX_LEVEL" -lt 5 ] || box_level5
	[ "$BOX_LEVEL" -lt 6 ] || box_level6
	[ "$BOX_LEVEL" -lt 7 ] || box_level7
	box_level0_status
	graded
}

# ---- level 0: fork, exec, wait, the exit status --------------------------------------------

box_level0_child() {
	local a="CMD runs in a child process of box, and box waits for it (PPid, box alive)"
	local ppid
	ppid=$(ex_status "$probe" PPid)
	[ "$probe" != "$parent" ] || bfail 0 1 "$a" "the probe is box's own PID $parent: box became CMD (exec without fork)"
	[ "$ppid" = "$parent" ] || bfail 0 2 "$a" "the probe's PPid is $ppid, not box ($parent)"
	ex_alive "$parent" || bfail 0 2 "$a" "box ended while CMD runs"
	pass "$a"
}

box_level0_status() {
	local a="box is still waiting when CMD is killed, and exits 128+9 (SIGKILL)"
	ex_alive "$parent" || bfail 0 2 "$a" "box ended while CMD runs"
	[ "$(ex_status "$probe" PPid)" = "$parent" ] || bfail 0 2 "$a" "the probe's parent is no longer box"
	kill -KILL "$probe"
	ex_finish "$parent" 5
	[ "$EX_STATUS" = 137 ] || bfail 0 3 "$a" "box $EX_HOW after SIGKILL killed CMD"
	pass "$a"
	[ "$BOX_LEVEL" -lt 4 ] || box_level4_gone
	a="box exits with CMD's exit status (3)"
	ex_run --root -t 5 unshare --mount --uts --propagation private -- \
		"$EX_TMP/box" "$rootfs" /cseclab-ex-probe exit 3
	local c
	for c in $(box_cgroups "$EX_PID"); do ex_on_cleanup rmdir "$c"; done
	[ "$EX_STATUS" = 3 ] || bfail 0 3 "$a" "box $EX_HOW; stderr: $(ex_quote "$EX_ERR")"
	pass "$a"
}

# ---- level 1: namespaces and the hostname ----------------------------------------------------

box_level1() {
	local a="the probe is PID 1 of a new PID namespace (NSpid in /proc/PID/status)" nspid n shared=
	nspid=$(ex_status "$probe" NSpid)
	if [ "${nspid##* }" != 1 ] || [ "$nspid" = 1 ]; then
		bfail 1 1 "$a" "NSpid: $nspid (one number: the probe is in box's PID namespace)"
	fi
	pass "$a"
	a="the probe has its own mount, UTS, IPC and network namespaces (/proc/PID/ns)"
	for n in mnt uts ipc net; do
		[ "$(ns "$probe" "$n")" != "$(ns "$parent" "$n")" ] || shared="$shared $n"
	done
	[ -z "$shared" ] || bfail 1 1 "$a" "shared with box:$shared (/proc/$probe/ns)"
	pass "$a"
	a="the probe's hostname is $BOX_HOSTNAME; box's own is unchanged"
	local inside outside
	inside=$(nsenter --target "$probe" --uts hostname)
	outside=$(nsenter --target "$parent" --uts hostname)
	[ "$inside" = "$BOX_HOSTNAME" ] || bfail 1 2 "$a" "hostname in the probe's UTS namespace: $inside"
	[ "$outside" = "$(hostname)" ] || bfail 1 2 "$a" "box's own UTS namespace is now named $outside, not $(hostname)"
	pass "$a"
}

# ---- level 2: pivot_root ---------------------------------------------------------------------

box_level2() {
	local a="the probe's root is ROOTFS (/proc/PID/root)"
	[ "$(stat -L -c %d:%i "/proc/$probe/root/")" = "$(stat -c %d:%i "$rootfs/")" ] ||
		bfail 2 1 "$a" "/proc/$probe/root is $(readlink "/proc/$probe/root"), not $rootfs"
	pass "$a"
	a="the host's files cannot be reached by a chroot escape (chrootbreak in the container)"
	ex_run --root -t 5 nsenter --target "$probe" --mount --root --wd=/tmp \
		/bin/chrootbreak /bin/cat "$EX_TMP/marker"
	if grep -qxF -f "$EX_TMP/marker" "$EX_OUT"; then
		bfail 2 1 "$a" "$(grep -m1 '^chrootbreak:' "$EX_OUT"), then read $EX_TMP/marker"
	fi
	pass "$a"
	a="no mount of the host's root filesystem is left in the container (/proc/PID/mountinfo)"
	local hostdev hostroot old
	read -r hostdev hostroot < <(awk '$5 == "/" { d = $3; r = $4 } END { print d, r }' /proc/self/mountinfo)
	old=$(awk -v d="$hostdev" -v r="$hostroot" '$3 == d && $4 == r { print $5; exit }' "/proc/$probe/mountinfo")
	[ -z "$old" ] || bfail 2 2 "$a" "the host's / ($hostdev) is mounted at $old in the container"
	pass "$a"
}

# ---- level 3: /proc and /dev -----------------------------------------------------------------

box_level3() {
	local a="/proc in the container lists only the container's processes" listed want p s
	listed=$(find "/proc/$probe/root/proc/" -mindepth 1 -maxdepth 1 -name '[0-9]*' -printf '%f\n' 2>/dev/null | sort -n | xargs)
	want=$(for p in $(ex_procs); do
		if [ "$(ns "$p" pid)" = "$(ns "$probe" pid)" ]; then
			s=$(ex_status "$p" NSpid)
			echo "${s##* }"
		fi
	done | sort -n | xargs)
	if [ -z "$listed" ] || [ "$listed" != "$want" ]; then
		bfail 3 1 "$a" "its /proc lists PIDs: ${listed:-none (nothing mounted on /proc)}; its PID namespace holds: $want"
	fi
	pass "$a"
	a="/dev in the container is a tmpfs of its own (/proc/PID/mountinfo)"
	local fs
	fs=$(awk '{ for (i = 7; $i != "-"; i++); if ($5 == "/dev") t = $(i+1) } END { print t }' "/proc/$probe/mountinfo")
	[ "$fs" = tmpfs ] || bfail 3 2 "$a" "/dev is ${fs:+a mount of type }${fs:-not a mount point}"
	pass "$a"
	a="/dev holds null, zero, full, random, urandom and tty, with their device numbers, and no disk"
	local d got blk
	for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
		got=$(stat -c '%F %t:%T' "/proc/$probe/root/dev/${d%%:*}" 2>/dev/null)
		[ "$got" = "character special file ${d#*:}" ] ||
			bfail 3 3 "$a" "/dev/${d%%:*}: ${got:-missing} (want character special file ${d#*:})"
	done
	blk=$(find "/proc/$probe/root/dev/" -type b 2>/dev/null | head -3 | sed "s|^/proc/$probe/root||" | xargs)
	[ -z "$blk" ] || bfail 3 3 "$a" "block devices in /dev: $blk"
	pass "$a"
}

# ---- level 4: the cgroup ---------------------------------------------------------------------

box_level4() {
	local a="the probe is in the cgroup cseclab-box-PID, whose pids.max is $BOX_PIDS_MAX" dir max
	dir=$(cg_dir "$probe" pids)
	[ "${dir##*/}" = "cseclab-box-$parent" ] ||
		bfail 4 1 "$a" "the probe's pids cgroup is ${dir:-none} (box's PID is $parent)"
	max=$(cat "$dir/pids.max" 2>/dev/null)
	[ "$max" = "$BOX_PIDS_MAX" ] || bfail 4 2 "$a" "$dir/pids.max: ${max:-missing}"
	pass "$a"
	a="its memory limit is 64 MiB (memory.max; v1: memory.limit_in_bytes)"
	dir=$(cg_dir "$probe" memory)
	[ "${dir##*/}" = "cseclab-box-$parent" ] ||
		bfail 4 2 "$a" "the probe's memory cgroup is ${dir:-none} (box's PID is $parent)"
	max=$(cat "$dir/memory.max" 2>/dev/null || cat "$dir/memory.limit_in_bytes" 2>/dev/null)
	[ "$max" = "$BOX_MEMORY_MAX" ] || bfail 4 2 "$a" "the memory limit in $dir: ${max:-missing}"
	pass "$a"
}

box_level4_gone() {
	local a="box removes its cgroup when CMD has ended" c left=
	for c in $(box_cgroups "$parent"); do
		if [ -d "$c" ]; then left="$left $c"; fi
	done
	[ -z "$left" ] || bfail 4 3 "$a" "still there after box ended:$left"
	pass "$a"
}

# ---- level 5: capabilities ---------------------------------------------------------------------

box_level5() {
	local a="the probe's bounding set is Docker's 14 capabilities (CapBnd)" v want=$((16#$BOX_DOCKER_CAPS))
	v=$(ex_status "$probe" CapBnd)
	[ "$((16#$v))" = "$want" ] || bfail 5 1 "$a" "CapBnd: $v ($(ex_capnames "$v"))"
	pass "$a"
	a="its permitted and effective sets are the same 14 (CapPrm, CapEff)"
	v=$(ex_status "$probe" CapPrm)
	[ "$((16#$v))" = "$want" ] || bfail 5 2 "$a" "CapPrm: $v ($(ex_capnames "$v"))"
	v=$(ex_status "$probe" CapEff)
	[ "$((16#$v))" = "$want" ] || bfail 5 2 "$a" "CapEff: $v ($(ex_capnames "$v"))"
	pass "$a"
	a="its inheritable and ambient sets are empty (CapInh, CapAmb)"
	v=$(ex_status "$probe" CapInh)
	[ "$((16#$v))" = 0 ] || bfail 5 3 "$a" "CapInh: $v ($(ex_capnames "$v"))"
	v=$(ex_status "$probe" CapAmb)
	[ "$((16#$v))" = 0 ] || bfail 5 3 "$a" "CapAmb: $v ($(ex_capnames "$v"))"
	pass "$a"
	# (From level 6 on, the seccomp filter answers mount first: level 6 checks it.)
	[ "$BOX_LEVEL" = 5 ] || return 0
	a="mount(2) in the container gets EPERM"
	v=$(reported mount)
	[ "$v" = 1 ] || bfail 5 1 "$a" "the probe's mount of a tmpfs: $(errname "$v")"
	pass "$a"
}

# ---- level 6: no_new_privs and seccomp -------------------------------------------------------

box_level6() {
	local a="the probe runs with no_new_privs (NoNewPrivs: 1)" v
	v=$(ex_status "$probe" NoNewPrivs)
	[ "$v" = 1 ] || bfail 6 1 "$a" "NoNewPrivs: $v in /proc/$probe/status"
	pass "$a"
	a="the probe runs under a seccomp filter (Seccomp: 2)"
	v=$(ex_status "$probe" Seccomp)
	[ "$v" = 2 ] || bfail 6 2 "$a" "Seccomp: $v in /proc/$probe/status"
	pass "$a"
	a="mount(2) and ptrace(PTRACE_TRACEME) in the container get EPERM"
	v=$(reported mount)
	[ "$v" = 1 ] || bfail 6 3 "$a" "the probe's mount of a tmpfs: $(errname "$v")"
	v=$(reported ptrace)
	[ "$v" = 1 ] || bfail 6 3 "$a" "the probe's PTRACE_TRACEME: $(errname "$v")"
	pass "$a"
}

# ---- level 7: a read-only root, masked and read-only paths -----------------------------------

box_level7() {
	local a="creating a file in / of the container gets EROFS" v p got list=
	v=$(reported creat)
	[ "$v" = 30 ] || bfail 7 1 "$a" "the probe's open(\"/cseclab-ex-w\", O_CREAT): $(errname "$v")"
	pass "$a"
	for p in kcore keys timer_list; do
		if [ -e "/proc/$p" ]; then list="$list /proc/$p"; fi
	done
	a="the masked paths (/proc/kcore, /proc/keys, /proc/timer_list: those this kernel has) are /dev/null in the container"
	for p in $list; do
		got=$(stat -c '%F %t:%T' "/proc/$probe/root$p" 2>/dev/null)
		[ "$got" = "character special file 1:3" ] || bfail 7 2 "$a" "$p in the container: ${got:-missing}"
	done
	pass "$a"
	a="/proc/sys is read-only in the container (opening a sysctl for writing gets EROFS)"
	v=$(reported sysctl)
	[ "$v" = 30 ] || bfail 7 3 "$a" "the probe's open(\"/proc/sys/kernel/hostname\", O_WRONLY): $(errname "$v")"
	pass "$a"
}
