load helpers
# lanes: host vm
#
# LSM lab: Landlock (an unprivileged process confines itself), lsminfo (the kernel's real LSM
# list), aagen (AppArmor profiles: every output compiles; in the VM lane, loaded and enforced),
# selabel (SELinux contexts and MCS dominance).

setup() {
	# Trees the unprivileged user owns: "inside" is the one Landlock allows, "outside" is one
	# DAC allows too, so only Landlock can be the reason a write there fails.
	LAB=$(mktemp -d /tmp/cseclab-lsm.XXXXXX)
	mkdir "$LAB/inside" "$LAB/outside"
	chown -R "$CSECLAB_UID:$CSECLAB_GID" "$LAB"
	chmod 755 "$LAB"
	# Two free-looking high ports: the allowed one and its neighbour.
	PORT=$((40000 + RANDOM % 20000))
	OTHER=$((PORT + 1))
}

teardown() {
	if [ -n "${APIPID:-}" ]; then stop_server; fi
	unload_profiles # before the files go: apparmor_parser -R reads the profile's name from them
	rm -rf "$LAB"
	return 0
}

# Profiles this file loaded: removed in teardown whatever happened.
LOADED=()
load_profile() {
	apparmor_parser -r "$1" || fail "apparmor_parser -r $1 failed"
	LOADED+=("$1")
}
unload_profiles() {
	local p
	for p in "${LOADED[@]}"; do
		apparmor_parser -R "$p" 2>/dev/null
	done
	LOADED=()
}

loaded_profiles() {
	cat /sys/kernel/security/apparmor/profiles
}

http_get() {
	if command -v curl >/dev/null; then
		curl -sS "$1"
	else
		busybox wget -qO- "$1"
	fi
}

# --- Landlock ---------------------------------------------------------------------------------

@test "tour: landlock: an unprivileged process cannot write outside its --rw tree (EACCES)" {
	requires lab:landlock
	# Control: without Landlock the user may write in both trees.
	run as_user touch "$LAB/outside/control"
	assert_success
	show as_user landlock --ro / --rw "$LAB/inside" -- sh -c "touch $LAB/inside/ok && echo inside: written; touch $LAB/outside/denied"
	assert_failure 1
	assert_line "inside: written"
	assert_line "touch: cannot touch '$LAB/outside/denied': Permission denied"
	assert_file_exists "$LAB/inside/ok"
	assert_file_not_exists "$LAB/outside/denied"
	assert_line --regexp '^landlock: abi: [0-9]+$'
}

@test "landlock: reading is allowed by --ro, but not beyond the named trees" {
	requires lab:landlock
	echo secret >"$LAB/outside/file"
	chmod 644 "$LAB/outside/file"
	run as_user cat "$LAB/outside/file"
	assert_success
	assert_output secret
	run as_user landlock -q --ro /usr --ro /bin --ro /lib --ro /lib64 --ro /etc -- cat "$LAB/outside/file"
	assert_failure 1
	assert_output "cat: $LAB/outside/file: Permission denied"
}

@test "tour: landlock: bind on a TCP port not allowed fails with EACCES, the allowed one binds" {
	requires lab:landlock-net
	# Control: without Landlock the user binds the other port (nc waits until timeout: 124).
	run as_user timeout 1 busybox nc -l -p "$OTHER"
	assert_failure 124
	show as_user landlock --bind-port "$PORT" -- timeout 1 busybox nc -l -p "$OTHER"
	assert_failure 1
	assert_line "nc: bind: Permission denied"
	assert_line "landlock: tcp bind: $PORT only"
	run as_user landlock -q --bind-port "$PORT" -- timeout 1 busybox nc -l -p "$PORT"
	assert_failure 124
	refute_output --partial "Permission denied"
}

@test "landlock: connect to a port not allowed fails with EACCES before the network is tried" {
	requires lab:landlock-net
	# Nobody listens on $OTHER: without Landlock the kernel answers "Connection refused";
	# confined, Landlock refuses first, so the answer is "Permission denied".
	run as_user bash -c "exec 3<>/dev/tcp/127.0.0.1/$OTHER"
	assert_failure
	assert_line "bash: connect: Connection refused"
	run as_user landlock -q --connect-port "$PORT" -- bash -c "exec 3<>/dev/tcp/127.0.0.1/$OTHER"
	assert_failure
	assert_line "bash: connect: Permission denied"
}

# bats test_tags=vm
@test "landlock: on an ABI without TCP rules, ports are reported unrestricted and --strict exits 77" {
	requires lab:landlock
	if doctor --check landlock-net >/dev/null 2>&1; then
		skip "this kernel's Landlock restricts TCP ports (ABI 4+): the VM lane's 6.1 shows the gap"
	fi
	run as_user landlock --bind-port "$PORT" -- true
	assert_success
	assert_line "landlock: tcp bind: NOT restricted (needs ABI 4)"
	assert_line --partial "TCP bind and connect (ABI 4)"
	run as_user landlock --strict --bind-port "$PORT" -- true
	assert_failure 77
	assert_output --partial "cannot restrict TCP ports"
}

@test "landlock: the sandbox is inherited and cannot be undone: a nested landlock only narrows" {
	requires lab:landlock
	run as_user landlock -q --ro / --rw "$LAB" -- landlock -q --ro / --rw "$LAB/outside" -- \
		sh -c "touch $LAB/outside/a; touch $LAB/inside/b"
	assert_failure 1
	assert_output "touch: cannot touch '$LAB/inside/b': Permission denied"
	assert_file_exists "$LAB/outside/a"
}

# Start CMD... in the background with its output in $LAB/log; wait for apiserver's ready line.
start_server() {
	"$@" >"$LAB/log" 2>&1 &
	APIPID=$!
	local i
	for i in $(seq 50); do
		grep -q "listening on" "$LAB/log" && return 0
		kill -0 "$APIPID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$LAB/log"
	fail "apiserver did not start"
}

# APIPID is the server itself, or the subshell running as_user (a function) with the server
# as its only child: stop the child first, then APIPID.
stop_server() {
	pkill -TERM -P "$APIPID" 2>/dev/null || true
	kill -TERM "$APIPID" 2>/dev/null || true
	wait "$APIPID" 2>/dev/null || true
	APIPID=
	return 0
}

@test "landlock: apiserver confined serves on its allowed port and cannot bind the next one" {
	requires lab:landlock-net
	# The course's numbers are 8000 and 8001; random ports keep parallel test runs apart.
	as_user landlock -q --ro / --bind-port "$PORT" -- apiserver -p "$OTHER" >"$LAB/log" 2>&1 && fail "bound $OTHER"
	run cat "$LAB/log"
	assert_output "apiserver: bind: Permission denied"
	start_server as_user landlock -q --ro / --bind-port "$PORT" -- apiserver -p "$PORT"
	run curl -sS "http://127.0.0.1:$PORT/countries/FR"
	assert_success
	assert_output --partial '"capital":"Paris"'
	# Control: unconfined, the same user binds the port Landlock refused.
	stop_server
	start_server as_user apiserver -p "$OTHER"
	run curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$OTHER/countries"
	assert_output 200
}

@test "landlock: bad arguments are usage errors (exit 2)" {
	run landlock --bind-port 70000 -- true
	assert_failure 2
	assert_output --partial "'70000' is not a TCP port"
	run landlock --ro /
	assert_failure 2
	assert_output --partial "no COMMAND given"
	run landlock -- true
	assert_failure 2
	assert_output --partial "nothing to restrict"
	run landlock -q --ro /nonexistent-cseclab -- true
	assert_failure 1
	assert_output --partial "open /nonexistent-cseclab: No such file or directory"
	run landlock --help
	assert_success
	assert_output --partial "Usage: landlock"
}

# --- lsminfo ----------------------------------------------------------------------------------

# bats test_tags=vm
@test "tour: lsminfo: the kernel's LSM list, and the same list from securityfs and lsm_list_modules(2)" {
	show lsminfo
	assert_success
	assert_line --regexp '^lsm list: [a-z,]*capability[a-z,]*$'
	assert_line --regexp '^lsm source: '
	# Two independent kernel interfaces must agree: securityfs (mounted in a private mount
	# namespace, so the machine's mounts stay untouched) and the 6.8 system call.
	run unshare -m sh -c 'mount -t securityfs securityfs /sys/kernel/security 2>/dev/null; cat /sys/kernel/security/lsm'
	assert_success
	local fs_list=$output
	run unshare -m sh -c 'mount -t securityfs securityfs /sys/kernel/security 2>/dev/null; lsminfo --source=securityfs'
	assert_success
	assert_line "lsm list: $fs_list"
	run lsminfo --source=syscall
	if [ "$status" -eq 1 ] && [[ $output == *"new in Linux 6.8"* ]]; then
		return 0 # the VM lane's 6.1 has no lsm_list_modules(2)
	fi
	assert_success
	assert_line "lsm list: $fs_list"
}

# bats test_tags=vm
@test "lsminfo: each module it reports matches the kernel's own evidence" {
	run lsminfo
	assert_success
	if [ -e /sys/module/apparmor/parameters/enabled ] && [ "$(cat /sys/module/apparmor/parameters/enabled)" = Y ]; then
		assert_line "apparmor: enabled"
		assert_line --regexp '^lsm list: .*apparmor'
	else
		assert_line --regexp '^apparmor: absent: '
	fi
	if doctor --check landlock >/dev/null 2>&1; then
		assert_line --regexp '^landlock: abi [0-9]+$'
		assert_line --regexp '^lsm list: .*landlock'
		assert_line "landlock abi 1: files: execute, read, write, create, remove (13 rights) (available)"
	else
		assert_line --regexp '^landlock: absent: '
	fi
	assert_line --regexp '^no_new_privs: no$'
	# Under landlock (which sets no_new_privs) lsminfo sees the flag in its own status.
	if doctor --check landlock >/dev/null 2>&1; then
		run landlock -q --ro / -- lsminfo
		assert_line "no_new_privs: yes"
	fi
}

@test "lsminfo: bad arguments are usage errors (exit 2)" {
	run lsminfo --source=elsewhere
	assert_failure 2
	assert_output --partial "--source is 'securityfs' or 'syscall'"
	run lsminfo --pid 0
	assert_failure 2
}

# --- aagen: AppArmor profiles -------------------------------------------------------------------

# A policy with every field, and variants of the course's apiserver policy.
write_policies() {
	sed 's/"raw": true/"raw": false/' "$CSECLAB_ROOT/labs/lsm/apiserver.json" >"$LAB/noraw.json"
	cat >"$LAB/full.json" <<-'EOF'
		{"name": "cseclab-full", "mode": "complain",
		 "capabilities": ["CAP_CHOWN", "NET_ADMIN", "sys_ptrace"],
		 "network": {"protocols": ["tcp", "udp", "icmp", "unix"], "raw": false, "packet": true},
		 "files": {"read_only": ["/etc/**"], "log_on_write": ["/var/log/**"],
		           "writable": ["/tmp/cseclab*/**"], "allow_exec": ["/usr/bin/{busybox,true}"],
		           "deny_exec": ["/usr/bin/su"], "deny": ["/root/**", "/home/*/.ssh/**"]},
		 "docker_extras": false}
	EOF
	echo '{"name": "cseclab-min"}' >"$LAB/min.json"
}

@test "aagen: every generated profile compiles with apparmor_parser -Q" {
	requires tool:apparmor_parser
	write_policies
	local f mode
	for f in "$CSECLAB_ROOT/labs/lsm/apiserver.json" "$LAB/noraw.json" "$LAB/full.json" "$LAB/min.json"; do
		for mode in enforce complain; do
			run aagen -m "$mode" -o "$LAB/profile" "$f"
			assert_success
			run apparmor_parser -QTK "$LAB/profile"
			[ "$status" -eq 0 ] || fail "$f ($mode) does not compile: $output"
		done
	done
	# Control: the parser does reject a broken profile, so the loop above can fail.
	echo 'profile cseclab-broken { network inet bogus, }' >"$LAB/broken"
	run apparmor_parser -QTK "$LAB/broken"
	assert_failure
}

@test "aagen: the apiserver profile has the course's rules (network, packet deny, file, umount, caps, /proc and /sys denies)" {
	run aagen "$CSECLAB_ROOT/labs/lsm/apiserver.json"
	assert_success
	assert_line "profile cseclab-apiserver flags=(attach_disconnected,mediate_deleted) {"
	assert_line '  network inet tcp,'
	assert_line --regexp '^  network inet dgram,  # icmp: '
	assert_line '  network inet raw,'
	assert_line '  deny network packet,'
	assert_line '  file,'
	assert_line '  umount,'
	assert_line '  capability net_bind_service,'
	assert_line '  capability net_raw,'
	assert_line '  deny /proc/sysrq-trigger rwklx,'
	assert_line '  deny /sys/firmware/** rwklx,'
	# Without the raw switch, no rule allows SOCK_RAW.
	write_policies
	run aagen "$LAB/noraw.json"
	assert_success
	refute_line --regexp 'network.* raw,' 
}

@test "aagen: malformed policies are refused with a clear error (exit 2) and no output file" {
	local bad
	printf '{"name": "cseclab-x",' >"$LAB/bad.json"
	run aagen -o "$LAB/out" "$LAB/bad.json"
	assert_failure 2
	assert_output --regexp "^aagen: $LAB/bad.json: line 1 column [0-9]+: "
	assert_file_not_exists "$LAB/out"
	for bad in '{"name": "cseclab-x", "capabilites": []}|unknown key "capabilites"' \
		'{"name": "cseclab-x", "capabilities": ["net_rawr"]}|'"'net_rawr' is not a capability" \
		'{"name": "cseclab-x", "files": {"deny": ["/a,b"]}}|has a '"','"' outside {a,b}' \
		'{"name": "cseclab-x", "files": {"deny": ["etc/**"]}}|is not an absolute path' \
		'{"name": "cseclab x"}|only letters, digits' \
		'{"mode": "enforce"}|"name" is missing' \
		'{"name": "cseclab-x", "mode": "audit"}|neither enforce nor complain' \
		'{"name": "cseclab-x", "network": {"protocols": ["sctp"]}}|not one of tcp, udp, icmp, unix' \
		'{"name": "cseclab-x", "network": {"raw": "yes"}}|"raw" must be true or false' \
		'[1, 2]|must be a JSON object'; do
		printf '%s\n' "${bad%%|*}" >"$LAB/bad.json"
		run aagen "$LAB/bad.json"
		assert_failure 2
		assert_output --partial "${bad#*|}"
	done
	run aagen
	assert_failure 2
}

# bats test_tags=vm
@test "aagen: the profile loads, apiserver runs confined (label and mode in /proc/PID/attr/current), its API answers" {
	requires lab:apparmor tool:apparmor_parser tool:aa-exec
	aagen -o "$LAB/apiserver.profile" "$CSECLAB_ROOT/labs/lsm/apiserver.json"
	load_profile "$LAB/apiserver.profile"
	run loaded_profiles
	assert_line "cseclab-apiserver (enforce)"
	start_server aa-exec -p cseclab-apiserver -- apiserver -p "$PORT"
	run cat "/proc/$APIPID/attr/current"
	assert_output "cseclab-apiserver (enforce)"
	run lsminfo --pid "$APIPID"
	assert_line "process attr/current: cseclab-apiserver (enforce)"
	run http_get "http://127.0.0.1:$PORT/countries/FR"
	assert_success
	assert_output --partial '"capital":"Paris"'
	# Control: our own shell is not confined.
	run cat /proc/self/attr/current
	assert_output "unconfined"
	stop_server
	unload_profiles
	run -0 loaded_profiles
	refute_output --partial "cseclab-apiserver"
}

# bats test_tags=vm
@test "aagen: without the raw rule ping's raw socket is denied (EACCES, DENIED record); with it ping works" {
	requires lab:apparmor tool:apparmor_parser tool:aa-exec
	write_policies
	# Control: unconfined, busybox ping (SOCK_RAW as root) reaches the loopback address.
	run busybox ping -c 1 -W 2 127.0.0.1
	assert_success
	assert_line --partial "1 packets received"
	aagen -o "$LAB/raw.profile" "$CSECLAB_ROOT/labs/lsm/apiserver.json"
	load_profile "$LAB/raw.profile"
	run aa-exec -p cseclab-apiserver -- busybox ping -c 1 -W 2 127.0.0.1
	assert_success
	assert_line --partial "1 packets received"
	# Regenerated without the raw switch and reloaded in place (-r replaces it).
	aagen -o "$LAB/noraw.profile" "$LAB/noraw.json"
	load_profile "$LAB/noraw.profile"
	mark_kmsg
	run aa-exec -p cseclab-apiserver -- busybox ping -c 1 -W 2 127.0.0.1
	assert_failure
	assert_output --partial "can't create raw socket: Permission denied"
	wait_kmsg 'apparmor="DENIED" operation="create" .*profile="cseclab-apiserver".*sock_type="raw"'
}

# bats test_tags=vm
@test "aagen: in complain mode the raw socket is allowed and logged ALLOWED" {
	requires lab:apparmor tool:apparmor_parser tool:aa-exec
	write_policies
	aagen -m complain -o "$LAB/complain.profile" "$LAB/noraw.json"
	load_profile "$LAB/complain.profile"
	run loaded_profiles
	assert_line "cseclab-apiserver (complain)"
	mark_kmsg
	run aa-exec -p cseclab-apiserver -- busybox ping -c 1 -W 2 127.0.0.1
	assert_success
	assert_line --partial "1 packets received"
	wait_kmsg 'apparmor="ALLOWED" operation="create" .*profile="cseclab-apiserver".*sock_type="raw"'
}

# --- selabel: SELinux contexts and MCS (a model; tests/51-selinux.bats asks a kernel) ----------

C1=system_u:system_r:container_t:s0:c1,c2
F1=system_u:object_r:container_file_t:s0:c1,c2
F2=system_u:object_r:container_file_t:s0:c3,c4

@test "selabel: explains user, role, type and level, with categories and ranges" {
	run selabel system_u:system_r:auditd_t:s0
	assert_success
	assert_line "user: system_u (an SELinux user, not a Linux one; '_u' by convention)"
	assert_line "role: system_r (the domains a process of this user may enter)"
	assert_line "type: auditd_t (the audit daemon's domain, the course's example)"
	assert_line "categories: none (0)"
	run selabel unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 "$F1"
	assert_success
	assert_line "categories: c0.c1023 (1024)"
	assert_line "range: low s0, high s0:c0.c1023 (access is checked against the high level)"
	assert_line "role: object_r (the role every file carries)"
	assert_line "categories: c1,c2 (2)"
}

@test "selabel: MCS keeps two containers apart: own files allowed, the other's denied, :z files shared" {
	run selabel --access "$C1" "$F1"
	assert_success
	assert_line "mcs: allowed (process s0:c1,c2 dominates file s0:c1,c2)"
	assert_line "access: allowed"
	run selabel --access "$C1" "$F2"
	assert_failure 1
	assert_line "mcs: denied (file s0:c3,c4 is not within process s0:c1,c2)"
	assert_line "access: denied (mcs)"
	# A :z volume is container_file_t:s0, no categories: every container dominates it.
	run selabel --access "$C1" system_u:object_r:container_file_t:s0
	assert_success
	# Dominance is a superset test: c1 alone is within c1,c2; c1,c3 is not.
	run selabel --access "$C1" system_u:object_r:container_file_t:s0:c1
	assert_success
	run selabel --access "$C1" system_u:object_r:container_file_t:s0:c1,c3
	assert_failure 1
}

@test "selabel: type enforcement denies a container home files; spc_t is exempt from both checks" {
	run selabel --access "$C1" unconfined_u:object_r:user_home_t:s0
	assert_failure 1
	assert_line "access: denied (type enforcement)"
	run selabel --access system_u:system_r:spc_t:s0 "$F2"
	assert_success
	assert_line "mcs: exempt (an unconfined domain may read and write every level)"
	run selabel --access system_u:system_r:httpd_t:s0 system_u:object_r:etc_t:s0
	assert_success
	assert_line --partial "type enforcement: unknown (not in this model"
	run selabel --docker
	assert_success
	assert_line --partial "docker: -v /host:/c:Z relabels to container_file_t:s0:cX,cY"
	assert_line --partial "docker: --privileged, --pid host, --security-opt label=disable: spc_t"
}

@test "selabel: MCS reads the file's high level, and binds only container_t (the policy's mcs_constrained)" {
	# A file range low-high: (dom h1 h2) compares against its high end, c1,c3 here.
	run selabel --access "$C1" system_u:object_r:container_file_t:s0:c1-s0:c1,c3
	assert_failure 1
	assert_line "mcs: denied (file s0:c1,c3 is not within process s0:c1,c2)"
	run selabel --access system_u:system_r:container_t:s0:c3,c4 system_u:object_r:container_file_t:s0-s0:c1,c2
	assert_failure 1
	run selabel --access "$C1" system_u:object_r:container_file_t:s0-s0:c1,c2
	assert_success
	# A confined domain without the attribute: categories do not bind it.
	run selabel --access system_u:system_r:auditd_t:s0 system_u:object_r:auditd_log_t:s0:c7
	assert_success
	assert_line "mcs: not applied (the constraint binds only mcs_constrained types such as container_t, not auditd_t)"
	assert_line "access: allowed"
}

@test "selabel: malformed contexts are refused with the reason (exit 2)" {
	local bad
	for bad in 'system_u:system_r|a context has 3 or 4 fields' \
		'system_u::container_t|non-empty names' \
		'a:b:c:t0|a level starts with a sensitivity' \
		'a:b:c:s16|a level starts with a sensitivity' \
		'a:b:c:s0:c1024|categories are c0..c1023' \
		'a:b:c:s0:c5.c2|needs N < M' \
		'a:b:c:s0:|empty category list' \
		'a:b:c:s0:c1-s0|high must dominate low' \
		'a:b:c:s0:c01|categories are c0..c1023' \
		'a b:c:d|non-empty names'; do
		run selabel "${bad%%|*}"
		assert_failure 2
		assert_output --partial "${bad#*|}"
	done
	run selabel --access "$C1"
	assert_failure 2
	run selabel
	assert_failure 2
}

# bats test_tags=vm
@test "lsm: nothing left behind: no cseclab profile loaded, no lab directory" {
	local d
	for d in /tmp/cseclab-lsm.*; do
		[ "$d" = "$LAB" ] || [ ! -e "$d" ] || fail "left behind: $d"
	done
	if [ -r /sys/kernel/security/apparmor/profiles ]; then
		run cat /sys/kernel/security/apparmor/profiles
		refute_output --partial "cseclab-"
	fi
	assert_no_leftovers
}

@test "selinux: labs/lsm/mcs.cil compiles to a binary policy (the vm-selinux lane loads it)" {
	requires tool:secilc
	local out="$BATS_TEST_TMPDIR/policy.33"
	run -0 secilc --mls=true -c 33 -o "$out" -f /dev/null "$CSECLAB_ROOT/labs/lsm/mcs.cil"
	# The kernel's policy format starts with SELinux's magic number (little-endian).
	run -0 od -An -tx4 -N4 "$out"
	assert_output --partial f97cff8c
	# A policy naming a type it never declared is refused with the statement's line.
	printf '(allow container_t cseclab_undeclared_t (file (read)))\n' >"$BATS_TEST_TMPDIR/bad.cil"
	run secilc --mls=true -o "$out" -f /dev/null "$CSECLAB_ROOT/labs/lsm/mcs.cil" "$BATS_TEST_TMPDIR/bad.cil"
	assert_failure
	assert_output --partial "bad.cil:1"
}
