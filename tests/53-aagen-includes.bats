load helpers
# lanes: host vm
# COURSE-DEMOS #70: the course's DHCP-client profile uses what distribution profiles use:
# `#include <tunables/global>`, the base, nameservice and openssl abstractions, a profile
# attached to a program path found in two places, and read-only @{PROC} rules with globs. aagen
# writes them from labs/lsm/dhclient.json; apparmor_parser compiles them against the
# distribution's /etc/apparmor.d (no AppArmor in the kernel needed for that: -Q compiles
# without loading, -S prints the binary policy); where AppArmor is on (the VM), it loads too.

setup() {
	LAB=$(mktemp -d /tmp/cseclab-aainc.XXXXXX)
	requires tool:apparmor_parser
	[ -e /etc/apparmor.d/tunables/global ] ||
		skip "no /etc/apparmor.d/tunables/global (AppArmor's policy files: apt-get install apparmor)"
}

teardown() {
	if [ -r /sys/kernel/security/apparmor/profiles ] &&
		grep -q '^cseclab-dhclient ' /sys/kernel/security/apparmor/profiles; then
		apparmor_parser -R "$LAB/dhclient.profile"
	fi
	rm -rf "$LAB"
}

# apparmor_parser compiling without loading: -Q (no kernel), -T/-K (no cache).
# (Its note that the cache is off without AppArmor in the kernel is left out.)
compile() {
	local out rc=0
	out=$(apparmor_parser -QTK "$@" 2>&1) || rc=$?
	grep -v '^Cache read/write disabled' <<<"$out" || true
	return "$rc"
}

@test "aagen: the DHCP profile has the course's tunables, abstractions, attachment path and @{PROC} rules" {
	run -0 aagen "$CSECLAB_ROOT/labs/lsm/dhclient.json"
	# tunables/global before the profile: it defines the variables the abstractions use.
	assert_line --index 1 '#include <tunables/global>'
	assert_line --index 2 'profile cseclab-dhclient /{usr/,}sbin/dhclient flags=(attach_disconnected,mediate_deleted) {'
	assert_line '  #include <abstractions/base>'
	assert_line '  #include <abstractions/nameservice>'
	assert_line '  #include <abstractions/openssl>'
	assert_line '  capability net_bind_service,'
	assert_line '  network inet udp,'
	assert_line '  deny @{PROC}/[0-9]*/net/dev wl,'
	# Control: without abstractions aagen writes no #include, as before.
	run -0 aagen "$CSECLAB_ROOT/labs/lsm/apiserver.json"
	refute_output --partial '#include'
}

@test "aagen: apparmor_parser compiles the DHCP profile with the distribution's abstractions, and fails without them" {
	aagen -o "$LAB/dhclient.profile" "$CSECLAB_ROOT/labs/lsm/dhclient.json"
	run -0 compile "$LAB/dhclient.profile"
	# The parser read the abstractions: its preprocessed text (-p: every #include expanded) is
	# many times the profile itself. (The compiled policy is no larger: the profile's "file,"
	# already allows every file access the abstractions' rules allow.)
	local expanded own
	expanded=$(apparmor_parser -p "$LAB/dhclient.profile" 2>/dev/null | wc -l)
	own=$(wc -l <"$LAB/dhclient.profile")
	echo "# the profile: $own lines; with its includes expanded: $expanded" >&3
	[ "$expanded" -gt $((own * 5)) ] || fail "the includes added little: $expanded lines vs $own"
	# Controls: the parser reads the includes. A missing abstraction is an error...
	sed 's|abstractions/openssl|abstractions/cseclab-none|' "$LAB/dhclient.profile" >"$LAB/missing.profile"
	run compile "$LAB/missing.profile"
	assert_failure
	assert_output --partial "Could not open 'abstractions/cseclab-none'"
	# ...and @{PROC} exists only because tunables/global defines it.
	grep -v '#include <tunables/global>' "$LAB/dhclient.profile" >"$LAB/notunables.profile"
	run compile "$LAB/notunables.profile"
	assert_failure
	assert_output --partial 'Found reference to variable PROC, but is never declared'
}

@test "aagen: a variable needs the abstractions, and abstraction names cannot leave abstractions/" {
	echo '{"name": "cseclab-v", "files": {"read_only": ["@{PROC}/cpuinfo"]}}' >"$LAB/v.json"
	run -2 aagen "$LAB/v.json"
	assert_output --partial 'uses a variable: add "abstractions"'
	echo '{"name": "cseclab-v", "abstractions": ["x/../../../etc/shadow"]}' >"$LAB/a.json"
	run -2 aagen -o "$LAB/a.profile" "$LAB/a.json"
	assert_output --partial "only letters, digits"
	assert_file_not_exists "$LAB/a.profile"
	echo '{"name": "cseclab-v", "abstractions": ["base"], "files": {"deny": ["@{PROC/x"]}}' >"$LAB/b.json"
	run -2 aagen "$LAB/b.json"
	assert_output --partial 'a variable is @{NAME} followed by /'
}

# bats test_tags=vm
@test "aagen: where AppArmor is on, the DHCP profile loads and the kernel lists it, attached to its path" {
	requires lab:apparmor
	aagen -o "$LAB/dhclient.profile" "$CSECLAB_ROOT/labs/lsm/dhclient.json"
	run -0 apparmor_parser -r "$LAB/dhclient.profile"
	run -0 cat /sys/kernel/security/apparmor/profiles
	assert_line 'cseclab-dhclient (enforce)'
	# The attachment: a program at one of the two paths runs under the profile when executed.
	local d
	d=$(mktemp -d /tmp/cseclab-aainc-root.XXXXXX)
	mkdir -p "$d/sbin"
	cp "$(command -v cat)" "$d/sbin/dhclient"
	run unshare -m sh -c "mount --bind '$d/sbin' /sbin && /sbin/dhclient /proc/self/attr/current"
	rm -rf "$d"
	assert_success
	assert_output --partial 'cseclab-dhclient (enforce)'
}
