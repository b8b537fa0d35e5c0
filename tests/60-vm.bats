load helpers
# lanes: vm
# bats file_tags=vm
#
# The VM lane's own promises (scripts/vm): the kernel inside offers cgroup v2 with the controllers
# the cgroup labs need and enforces AppArmor, the root is a tmpfs pivot_root can leave, and doctor
# sees the same facts the kernel shows. Run: scripts/vm test tests/60-vm.bats

setup() {
	[ "$CSECLAB_LANE" = vm ] || skip "VM lane only: scripts/vm test tests/60-vm.bats"
	work=$(mktemp -d /tmp/cseclab-vmtest.XXXXXX)
}

teardown() {
	[ "$CSECLAB_LANE" = vm ] || return 0
	if grep -q '^cseclab-vmtest ' /sys/kernel/security/apparmor/profiles 2>/dev/null; then
		apparmor_parser -R "$work/profile" >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}

@test "vm: cgroup v2 alone at /sys/fs/cgroup, with cpu, memory and pids" {
	run stat -f -c %T /sys/fs/cgroup
	assert_output cgroup2fs
	# No v1 hierarchy anywhere: the labs must find v2 by themselves.
	run awk '$3 == "cgroup" { print $2 }' /proc/self/mounts
	assert_output ""
	run cat /sys/fs/cgroup/cgroup.controllers
	for c in cpu cpuset memory pids io; do
		[[ " $output " == *" $c "* ]] || fail "controller $c missing from cgroup.controllers: $output"
	done
	# Enabled below the root, as systemd leaves it.
	run cat /sys/fs/cgroup/cgroup.subtree_control
	for c in cpu memory pids; do
		[[ " $output " == *" $c "* ]] || fail "controller $c not in the root's subtree_control: $output"
	done
}

@test "vm: the tests run in a leaf cgroup, like a login session" {
	run cat /proc/self/cgroup
	assert_output "0::/user.slice/user-0.slice/session-1.scope"
}

@test "vm: AppArmor is an active LSM" {
	run cat /sys/module/apparmor/parameters/enabled
	assert_output Y
	run cat /sys/kernel/security/lsm
	[[ ",$output," == *",apparmor,"* ]] || fail "apparmor not in the LSM list: $output"
	assert_file_exists /sys/kernel/security/apparmor/profiles
}

@test "vm: an AppArmor profile loads and denies a read under aa-exec (control: allowed without)" {
	echo secret >"$work/secret"
	echo public >"$work/public"
	cat >"$work/profile" <<-EOF
		abi <abi/3.0>,
		profile cseclab-vmtest {
		  file,
		  deny $work/secret r,
		}
	EOF
	run apparmor_parser -r "$work/profile"
	assert_success
	run grep '^cseclab-vmtest ' /sys/kernel/security/apparmor/profiles
	assert_output "cseclab-vmtest (enforce)"

	# Control: without the profile both files are readable.
	run cat "$work/secret"
	assert_success
	assert_output secret
	# Confined: the denied file gives EACCES, the other one still reads.
	run aa-exec -p cseclab-vmtest -- cat "$work/secret"
	assert_failure 1
	assert_output --partial "Permission denied"
	run aa-exec -p cseclab-vmtest -- cat "$work/public"
	assert_success
	assert_output public
	# The confinement is the kernel's: the process sees its own label.
	run aa-exec -p cseclab-vmtest -- cat /proc/self/attr/current
	assert_output "cseclab-vmtest (enforce)"

	run apparmor_parser -R "$work/profile"
	assert_success
	run grep '^cseclab-vmtest ' /sys/kernel/security/apparmor/profiles
	assert_failure
}

@test "vm: / is a tmpfs, so pivot_root works in a new mount namespace" {
	run stat -f -c %T /
	assert_output tmpfs
	mkdir "$work/new"
	run unshare --mount --propagation private sh -ec "
		mount -t tmpfs cseclab-root '$work/new'
		mkdir '$work/new/old'
		cd '$work/new'
		pivot_root . old
		# The new root has no programs: read the mount table with the shell's builtins.
		while IFS= read -r l; do echo \"\$l\"; done </old/proc/self/mountinfo"
	assert_success
	assert_line --regexp '^[0-9]+ [0-9]+ [0-9:]+ / / [^ ]+( [^ ]+)* - tmpfs cseclab-root '
	assert_no_leftovers
}

@test "vm: the unprivileged user cseclab has the suite's uid (scripts/lab-user.sh)" {
	run -0 id -u "$CSECLAB_LAB_USER"
	assert_output "$CSECLAB_LAB_UID"
	run as_user id -u
	assert_output "$CSECLAB_LAB_UID"
	run as_user cat /proc/self/status
	assert_line --regexp '^CapEff:[[:space:]]+0+$'
}

@test "vm: veth is loaded, and other modules load on demand (modprobe works inside)" {
	assert_dir_exists /sys/module/veth
	run unshare --net sh -ec 'ip link add cseclab-v0 type veth peer name cseclab-v1
		ip -o link show type veth'
	assert_success
	assert_line --partial 'cseclab-v0@cseclab-v1'
	assert_line --partial 'cseclab-v1@cseclab-v0'
	# The kernel asks /sbin/modprobe for "rtnl-link-dummy": the module arrives on first use.
	run unshare --net sh -ec 'ip link add cseclab-d0 type dummy; ip -o link show type dummy'
	assert_success
	assert_line --partial 'cseclab-d0'
	assert_dir_exists /sys/module/dummy
}

@test "vm: doctor sees cgroup v2 with cpu, memory, pids and AppArmor" {
	for f in cgroup-v2 cgroup-cpu cgroup-memory cgroup-pids apparmor mqueue veth; do
		run doctor --check "$f"
		assert_success
	done
	run doctor --check cgroup-v1
	assert_failure 1
}
