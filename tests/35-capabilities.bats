load helpers
# lanes: host
#
# The capabilities labs: capshow against /proc and getcap/getfattr, capexec's Play-with-Docker
# chown table and port 80 as real outcomes, file capabilities on a copy of apiserver, and
# capcalc's computed sets against the kernel's. Every file capability a test sets is listed in
# /run/cseclab/filecaps.manifest (scripts/cleanup reads it) and removed in teardown.

MANIFEST=/run/cseclab/filecaps.manifest

# A cseclab temp dir the unprivileged user can reach, on a mount that honours file caps.
make_capdir() {
	requires lab:filecaps
	if findmnt -n -o OPTIONS -T /tmp | grep -qw nosuid; then
		skip "/tmp is mounted nosuid: file capabilities are ignored there"
	fi
	CAPDIR=$(mktemp -d /tmp/cseclab-filecaps.XXXXXX)
	chmod 755 "$CAPDIR"
}

# set_filecap CAPS FILE: setcap, recorded in the manifest first (a killed test leaves a trace).
set_filecap() {
	mkdir -p "${MANIFEST%/*}"
	echo "$2" >>"$MANIFEST"
	setcap "$1" "$2"
}

setup() {
	CAPDIR=
	BG_PID=
	# Port 80 on an address of our own in 127/8, so a port-80 server elsewhere cannot collide.
	ADDR=127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 2))
}

teardown() {
	if [ -n "$BG_PID" ]; then
		# as_user runs setpriv as a child of the background subshell: stop both.
		pkill -P "$BG_PID" 2>/dev/null || true
		kill "$BG_PID" 2>/dev/null || true
		wait "$BG_PID" 2>/dev/null || true
	fi
	if [ -n "$CAPDIR" ]; then
		rm -rf "$CAPDIR"
		[ ! -f "$MANIFEST" ] || sed -i "\\|^$CAPDIR/|d" "$MANIFEST"
	fi
}

# wait_line FILE REGEX: until FILE has a line matching REGEX (5 s).
wait_line() {
	for _ in $(seq 100); do
		grep -qE "$2" "$1" && return 0
		sleep 0.05
	done
	fail "no line /$2/ in $1: $(cat "$1")"
}

# cap_names HEX: a mask's capabilities as capshow prints them, decoded by libcap's capsh ("cap_"
# dropped): "none" for no bit, "all" for every bit up to the kernel's cap_last_cap.
cap_names() {
	local mask=$((16#$1)) last all
	last=$(cat /proc/sys/kernel/cap_last_cap)
	all=$(((1 << (last + 1)) - 1))
	if [ "$mask" -eq 0 ]; then
		echo none
	elif [ $((mask & all)) -eq "$all" ]; then
		echo all
	else
		capsh --decode="0x$1" | sed 's/^0x[0-9a-f]*=//; s/cap_//g'
	fi
}

# status_line LABEL FIELD [CMD...]: capshow's line for the set the kernel shows as FIELD in
# /proc/self/status of CMD (default: this shell's, which capshow inherits).
status_line() {
	local hex
	# shellcheck disable=SC2016 # $1 and $2 are awk's fields
	hex=$("${@:3}" awk -v k="$2:" '$1 == k { print $2 }' /proc/self/status)
	printf '%-12s 0x%s %s\n' "$1:" "$hex" "$(cap_names "$hex")"
}

@test "tour: capshow names root's sets, cap_last_cap 40 on 6.x (the course's 37 was 4.4)" {
	requires lab:capabilities tool:capsh tool:setpriv
	show capshow
	assert_success
	local last bnd low
	last=$(cat /proc/sys/kernel/cap_last_cap)
	assert_line "cap_last_cap: $last ($((last + 1)) capabilities known to this kernel)"
	# Each set as the kernel holds it: root's bounding set is what this machine gave it (every
	# capability on a plain host, fewer in a container), not a list assumed here.
	assert_line "$(status_line effective CapEff)"
	assert_line "$(status_line permitted CapPrm)"
	assert_line "$(status_line inheritable CapInh)"
	assert_line "$(status_line ambient CapAmb)"
	assert_line "$(status_line bounding CapBnd)"
	assert_line "no_new_privs: 0"
	assert_line --regexp '^securebits: +0x0 none$'
	# Control: drop the lowest capability root's bounding set has; the kernel's mask changes and
	# capshow's line follows it.
	bnd=$((16#$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)))
	[ "$bnd" -ne 0 ] || fail "root's bounding set is empty here"
	low=$(capsh --decode="$(printf 0x%x $((bnd & -bnd)))" | sed 's/^0x[0-9a-f]*=cap_//')
	show setpriv --bounding-set="-$low" capshow
	assert_success
	assert_line "$(status_line bounding CapBnd setpriv --bounding-set="-$low")"
	refute_line "$(status_line bounding CapBnd)"
	refute_line --regexp "^bounding: .*\b$low\b"
}

@test "capshow PID reads another process's sets from /proc; an ordinary user has none" {
	as_user sleep 30 3>&- &
	BG_PID=$!
	sleep 0.2
	local pid
	pid=$(pgrep -P "$BG_PID" sleep || echo "$BG_PID")
	run -0 capshow "$pid"
	assert_line "pid:         $pid"
	assert_line --regexp "^uid: +real=$CSECLAB_UID effective=$CSECLAB_UID "
	assert_line --regexp '^effective: +0x0000000000000000 none$'
	assert_line --regexp '^permitted: +0x0000000000000000 none$'
	assert_line --regexp "^bounding: +0x$(awk '/^CapBnd:/ {print $2}' "/proc/$pid/status") "
	run -1 capshow 999999999
	assert_output --partial "/proc/999999999/status: No such file or directory"
	run -2 capshow not-a-pid
}

@test "capshow --diff: Docker's set is exactly the 14; root's default differs (sys_admin extra)" {
	requires lab:capabilities
	run -0 capexec -- capshow --diff
	assert_line "docker-diff: equal (bounding set vs Docker's default 14)"
	assert_line --regexp '^docker-default: +0x00000000a80425fb chown,dac_override,fowner,fsetid,kill,setgid,setuid,setpcap,net_bind_service,net_raw,sys_chroot,mknod,audit_write,setfcap$'
	refute_output --partial sys_admin
	run -0 capshow --diff
	assert_line --regexp '^docker-extra: .*\bsys_admin\b.*'
	assert_line --regexp '^docker-extra: .*\bnet_admin\b.*'
	assert_line --regexp '^docker-diff: differs '
}

@test "tour: capexec reproduces the Play-with-Docker chown table as real outcomes" {
	requires lab:capabilities
	# Docker's `chown nobody /`: a root-owned file that user nobody can reach.
	CAPDIR=$(mktemp -d /tmp/cseclab-chown.XXXXXX)
	chmod 755 "$CAPDIR"
	local f=$CAPDIR/file
	touch "$f"
	show capexec -- chown nobody "$f"
	assert_success
	[ "$(stat -c %U "$f")" = nobody ]
	chown root "$f"
	show capexec --drop CHOWN -- chown nobody "$f"
	assert_failure 1
	assert_output --partial "Operation not permitted"
	[ "$(stat -c %U "$f")" = root ]
	show capexec --drop ALL --add CHOWN -- chown nobody "$f"
	assert_success
	[ "$(stat -c %U "$f")" = nobody ]
	chown root "$f"
	show capexec -u nobody --add CHOWN -- chown nobody "$f"
	assert_failure 1
	assert_output --partial "Operation not permitted"
	[ "$(stat -c %U "$f")" = root ]
	show capexec -u nobody --add CHOWN --ambient -- chown nobody "$f"
	assert_success
	[ "$(stat -c %U "$f")" = nobody ]
}

@test "capexec -u nobody: the caps are set before exec but gone after it, unless ambient" {
	requires lab:capabilities
	run -0 capexec -v -u nobody -- capshow
	assert_line "capexec: bounding, permitted, effective: chown,dac_override,fowner,fsetid,kill,setgid,setuid,setpcap,net_bind_service,net_raw,sys_chroot,mknod,audit_write,setfcap"
	assert_line --regexp '^effective: +0x0000000000000000 none$'
	run -0 capexec -u nobody --ambient -- capshow
	assert_line --regexp '^effective: +0x00000000a80425fb '
	assert_line --regexp '^ambient: +0x00000000a80425fb '
}

@test "capexec: --drop ALL cannot bind port 80 (EACCES); --add NET_BIND_SERVICE can, POST works" {
	requires lab:filecaps
	run -1 capexec --drop ALL -- apiserver -p 80
	assert_output "apiserver: bind: Permission denied"
	capexec --drop ALL --add NET_BIND_SERVICE -- apiserver -a "$ADDR" -p 80 >"$BATS_TEST_TMPDIR/log" 2>&1 3>&- &
	BG_PID=$!
	wait_line "$BATS_TEST_TMPDIR/log" "^apiserver: listening on $ADDR:80\$"
	run -0 curl -sS -w ' %{http_code}' -d '{"code":"IE","name":"Ireland","capital":"Dublin","continent":"Europe"}' "http://$ADDR:80/countries"
	assert_output --partial ' 201'
	# pscap's view (course #48): the server holds net_bind_service and nothing else.
	run -0 capshow "$BG_PID"
	assert_line --regexp '^effective: +0x0000000000000400 net_bind_service$'
	assert_line --regexp '^bounding: +0x0000000000000400 net_bind_service$'
}

@test "capexec: unknown capability or user is a usage error; without root 77" {
	run -2 capexec --drop NOT_A_CAP -- true
	assert_output --partial "unknown capability 'NOT_A_CAP'"
	run -2 capexec --add 12 -- true
	run -2 capexec -u cseclab-no-such-user -- true
	assert_output --partial "no such user"
	run -2 capexec --drop ALL
	run -77 as_user capexec -- true
}

@test "tour: file capability: a non-root user binds port 80 with cap_net_bind_service=ep" {
	requires lab:filecaps
	make_capdir
	cp "$CSECLAB_BIN/apiserver" "$CAPDIR/apiserver"
	# Control: the plain copy, as the unprivileged user.
	show as_user "$CAPDIR/apiserver" -a "$ADDR" -p 80
	assert_failure 1
	assert_output "apiserver: bind: Permission denied"
	set_filecap cap_net_bind_service=ep "$CAPDIR/apiserver"
	show getcap "$CAPDIR/apiserver"
	assert_output "$CAPDIR/apiserver cap_net_bind_service=ep"
	as_user "$CAPDIR/apiserver" -a "$ADDR" -p 80 >"$BATS_TEST_TMPDIR/log" 2>&1 3>&- &
	BG_PID=$!
	wait_line "$BATS_TEST_TMPDIR/log" "^apiserver: listening on $ADDR:80\$"
	run -0 curl -sS -w ' %{http_code}' "http://$ADDR:80/countries/FR"
	assert_output --partial ' 200'
	local pid
	pid=$(pgrep -P "$BG_PID" apiserver || echo "$BG_PID")
	run -0 capshow "$pid"
	assert_line --regexp "^uid: +real=$CSECLAB_UID "
	assert_line --regexp '^effective: +0x0000000000000400 net_bind_service$'
}

@test "capshow --file decodes security.capability as getfattr and getcap print it (rev 2 and 3)" {
	make_capdir
	cp /bin/true "$CAPDIR/ping"
	set_filecap cap_net_raw=ep "$CAPDIR/ping"
	run -0 capshow --file "$CAPDIR/ping"
	assert_line "xattr:       20 bytes, security.capability=0sAQAAAgAgAAAAAAAAAAAAAAAAAAA="
	assert_line "magic_etc:   0x02000001"
	assert_line "revision:    2"
	assert_line "effective-bit: 1"
	assert_line --regexp '^permitted: +0x0000000000002000 net_raw$'
	assert_line "getcap:      $CAPDIR/ping cap_net_raw=ep"
	run -0 getfattr -n security.capability "$CAPDIR/ping"
	assert_line "security.capability=0sAQAAAgAgAAAAAAAAAAAAAAAAAAA="
	run -0 getcap "$CAPDIR/ping"
	assert_output "$CAPDIR/ping cap_net_raw=ep"
	# Revision 3: the capability belongs to the user namespace whose root is uid 4242.
	run -0 setcap -n 4242 cap_net_raw=ep "$CAPDIR/ping"
	run -0 capshow --file "$CAPDIR/ping"
	assert_line "revision:    3"
	assert_line --regexp '^rootid: +4242 '
	run -0 capshow --file /bin/true
	assert_line "xattr:       none (no file capabilities)"
}

@test "file capabilities with libcap-ng's filecap, audit with getcap -r, removal" {
	requires lab:filecaps tool:filecap
	make_capdir
	cp /bin/true "$CAPDIR/tool"
	echo "$CAPDIR/tool" >>"$MANIFEST"
	run -0 filecap "$CAPDIR/tool" net_raw
	run -0 getcap "$CAPDIR/tool"
	assert_output "$CAPDIR/tool cap_net_raw=ep"
	run -0 filecap "$CAPDIR/tool"
	assert_output --regexp "$CAPDIR/tool +net_raw"
	# The audit a volume deserves before it goes into a container (course #104, #107).
	cp /bin/true "$CAPDIR/plain"
	run -0 getcap -r "$CAPDIR"
	assert_output "$CAPDIR/tool cap_net_raw=ep"
	run -0 setcap -r "$CAPDIR/tool"
	run -0 getcap -r "$CAPDIR"
	assert_output ""
	run -0 capshow --file "$CAPDIR/tool"
	assert_line "xattr:       none (no file capabilities)"
}

@test "tour: capcalc's computed sets equal the kernel's for every case" {
	requires lab:filecaps
	show capcalc --verify
	assert_success
	assert_line --regexp '^verify: ([0-9]+)/\1 cases match$'
	refute_output --partial MISMATCH
	assert_line "case 8: user, bounding without net_bind_service, file cap_net_bind_service=ep: match"
	assert_line "  kernel  : execve: Operation not permitted"
	# Nothing left: no probe directory, and no file the manifest lists still exists.
	run compgen -G '/tmp/cseclab-capcalc.*'
	assert_output ""
	if [ -f "$MANIFEST" ]; then
		local p
		while read -r p; do
			[ ! -e "$p" ] || fail "file capability left on $p"
		done < <(grep capcalc "$MANIFEST")
	fi
}

@test "capcalc shows each step of the rules; bad capability names are usage errors" {
	run -0 capcalc --as-user nobody --fp net_bind_service --fe
	assert_line "file: F(permitted)=0x400 F(inheritable)=0x0 F(effective)=1 setuid-root=no"
	assert_line --regexp '^after: uid=65534 euid=65534 inh=0x0 prm=0x400 eff=0x400 '
	run -0 capcalc --as-user nobody --pi chown --pp chown --pa chown
	assert_line --regexp '^after: .* prm=0x1 eff=0x1 .* amb=0x1$'
	run -2 capcalc --pi not_a_cap
	assert_output --partial "unknown capability 'not_a_cap'"
	run -2 capcalc --as-user nobody --pa chown
	assert_output --partial "ambient capability must also be permitted and inheritable"
	run -2 capcalc --as-user cseclab-no-such-user
}

@test "capcalc --verify: under no_new_privs the setuid bit is inert and ambient survives; real root keeps ambient" {
	requires lab:filecaps
	run -0 capcalc --verify
	# The kernel's sets for a user with ambient net_bind_service, all permitted and
	# no_new_privs, after executing a setuid-root probe: ambient kept, euid unchanged.
	assert_line "case 13: user with ambient {net_bind_service}, all permitted, no_new_privs, execs a setuid-root file: match"
	assert_line --regexp '^  kernel  : uid=([0-9]+) euid=\1 inh=0x400 prm=0x400 eff=0x400 bnd=0x[0-9a-f]+ amb=0x400$'
	# Real root running a setuid-root file: euid stays 0 = uid, not "setid", ambient kept.
	assert_line "case 14: root with ambient {net_bind_service} execs a setuid-root file: match"
	assert_line --regexp '^  kernel  : uid=0 euid=0 inh=0x400 prm=0x[0-9a-f]+ eff=0x[0-9a-f]+ bnd=0x[0-9a-f]+ amb=0x400$'
	refute_output --partial MISMATCH
	# The step-by-step mode gives the kernel's answer for the same sets.
	run -0 capcalc --as-user nobody --pi net_bind_service --pp all --pa net_bind_service --nnp --setuid-root
	assert_line "  no_new_privs: the setuid bit is ignored, euid stays 65534"
	assert_line --regexp '^after: uid=65534 euid=65534 inh=0x400 prm=0x400 eff=0x400 bnd=0x[0-9a-f]+ amb=0x400$'
}

@test "capexec --add ALL --drop CHOWN: every capability of the bounding set but CHOWN, as Docker gives" {
	requires lab:capabilities
	local bnd f=$BATS_TEST_TMPDIR/owned
	bnd=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
	run -0 capexec --add ALL --drop CHOWN -- grep '^CapEff:' /proc/self/status
	assert_output "$(printf 'CapEff:\t%016x' $((0x$bnd & ~(1 << 0))))"
	# The kernel's answer to chown: refused without CAP_CHOWN; control: --add ALL alone can.
	touch "$f"
	run -1 capexec --add ALL --drop CHOWN -- chown nobody "$f"
	assert_output --partial "Operation not permitted"
	run -0 stat -c %U "$f"
	assert_output root
	run -0 capexec --add ALL -- chown nobody "$f"
	run -0 stat -c %U "$f"
	assert_output nobody
	# Root in a container with a reduced bounding set: ALL means what that set still has.
	run -0 setpriv --bounding-set=-sys_admin -- capexec --add ALL --drop CHOWN -- grep '^CapEff:' /proc/self/status
	assert_output "$(printf 'CapEff:\t%016x' $((0x$bnd & ~(1 << 0) & ~(1 << 21))))"
}
