#!/usr/bin/env bats
# lanes: host vm
# doctor is the suite's source of truth about the machine: each fact it reports is checked
# here against the kernel's own files, read independently.
load helpers

@test "tour: doctor tells what this machine can demonstrate" {
	show doctor
	assert_success
	assert_line "kernel: $(uname -r)"
	assert_line --regexp '^lab: namespaces +(can run|will skip: .+)'
	assert_line --regexp '^feature: seccomp +(yes|no) '
}

@test "doctor --help prints usage on stdout and exits 0; a bad option exits 2 with one message" {
	run --separate-stderr doctor --help
	assert_success
	assert_output --partial "Usage: doctor"
	[ -z "$stderr" ] || fail "doctor --help wrote to stderr: $stderr"
	# on stderr: the option named once, then where to look; no usage text, nothing on stdout
	run -2 --separate-stderr doctor --bogus
	assert_output ""
	assert_equal "$stderr" "doctor: unknown option '--bogus'
Try 'doctor --help' for more information."
	run -2 doctor --check
	assert_line "doctor: option '--check' needs an argument"
	run -2 doctor --json=yes
	assert_line "doctor: option '--json' takes no argument"
	run -2 doctor extra-argument
	assert_line "doctor: unexpected argument 'extra-argument'"
}

@test "doctor --check: 0 available, 1 missing with a reason, 2 unknown keyword" {
	run -0 doctor --check tool:bash
	run -1 doctor --check tool:cseclab-no-such-tool
	assert_output --partial "not installed"
	# an unknown keyword is a usage error: one line on stderr, as `requires` expects (exit 2)
	run -2 --separate-stderr doctor --check no-such-feature
	assert_output ""
	assert_equal "$stderr" "doctor: unknown feature 'no-such-feature' (doctor --features lists them)"
}

@test "doctor lists the namespace kinds the kernel has in /proc/self/ns" {
	run -0 doctor
	assert_line "namespaces: $(find /proc/self/ns/ -mindepth 1 -printf '%f\n' | sort | xargs)"
}

# bats test_tags=vm
@test "doctor reports the cgroup mounts the kernel has" {
	run -0 doctor
	# every cgroup mount point in mountinfo appears as a "cgroup vN: PATH: ..." line
	local mnt fstype n=0
	while read -r mnt fstype; do
		case $fstype in
		cgroup) assert_line --regexp "^cgroup v1: $mnt: " ;;
		cgroup2) assert_line --regexp "^cgroup v2: $mnt: " ;;
		esac
		n=$((n + 1))
	done < <(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { print $5, $(i + 1); break } }' \
		/proc/self/mountinfo | grep -E ' cgroup2?$')
	[ "$n" -gt 0 ] || skip "no cgroup filesystem is mounted here"
	# and the controllers of a v2 root are those its cgroup.controllers lists
	while read -r mnt; do
		assert_line "cgroup v2: $mnt: $(sed 's/^$/(no controllers)/' "$mnt/cgroup.controllers")"
	done < <(awk '{ for (i = 7; i <= NF; i++) if ($i == "-" && $(i + 1) == "cgroup2") print $5 }' \
		/proc/self/mountinfo)
}

@test "doctor reports its seccomp mode as the kernel does, and the actions it offers" {
	run -0 doctor
	assert_line "seccomp mode: $(awk '/^Seccomp:/ { print $2 }' /proc/self/status) (0 none, 1 strict, 2 filter)"
	[ -r /proc/sys/kernel/seccomp/actions_avail ] || skip "this kernel lists no seccomp actions"
	assert_line "seccomp actions: $(cat /proc/sys/kernel/seccomp/actions_avail)"
}

@test "doctor decodes the capability sets: full as root, empty as an ordinary user" {
	requires root
	run -0 doctor
	assert_line --regexp '^capabilities effective: .*\bsys_admin\b'
	assert_line "cap_last_cap: $(cat /proc/sys/kernel/cap_last_cap)"
	run -0 as_user doctor
	assert_line "capabilities effective: (none)"
	assert_line "root: no (euid $CSECLAB_UID)"
	run -1 as_user doctor --check root
	assert_output --partial "not root"
}

@test "doctor's verdict on unprivileged user namespaces matches a real attempt" {
	requires root tool:unshare
	if as_user unshare --user true 2>/dev/null; then
		run -0 doctor --check unpriv-userns
	else
		run -1 doctor --check unpriv-userns
	fi
}

@test "doctor shows the kernel config keys the course greps for (CONFIG_SECCOMP...)" {
	run -0 doctor
	local src
	src=$(sed -n 's/^kernel config source: //p' <<<"$output")
	case $src in
	unknown*) skip "no readable kernel config on this machine (doctor says: $src)" ;;
	/proc/config.gz) cfg=$(gzip -dc /proc/config.gz) ;;
	*) cfg=$(cat "$src") ;;
	esac
	local k v
	for k in CONFIG_SECCOMP CONFIG_SECCOMP_FILTER CONFIG_HAVE_ARCH_SECCOMP_FILTER; do
		v=$(sed -n "s/^$k=//p" <<<"$cfg")
		assert_line "$k: ${v:-n}"
	done
}

@test "doctor lists the capability tools of the course (capsh, getcap, pscap, filecap...)" {
	run -0 doctor
	local t
	for t in capsh setcap getcap pscap filecap captest getfattr strace; do
		if command -v "$t" >/dev/null; then
			assert_output --regexp "[+]$t\b"
		else
			assert_output --regexp "[-]$t\b"
		fi
	done
}

@test "doctor --json is one JSON object with the same facts" {
	requires tool:jq
	run -0 bash -c 'doctor --json | jq -r ".facts.kernel, .facts[\"feature root\"]"'
	assert_line "$(uname -r)"
	assert_line --regexp '^(yes|no): '
}

@test "every lab verdict names the missing feature and doctor's reason" {
	run -0 doctor
	local line feature
	while IFS= read -r line; do
		feature=${line#*will skip: }
		feature=${feature%% (*}
		run -1 doctor --check "$feature"
	done < <(grep -E '^lab: .*will skip: ' <<<"$output")
}

# bats test_tags=vm
@test "in the VM lane doctor sees cgroup v2 with cpu, memory, pids and AppArmor among the LSMs" {
	[ "$CSECLAB_LANE" = vm ] || skip "VM lane only (this is the $CSECLAB_LANE lane)"
	run -0 doctor
	assert_line --regexp '^cgroup layout: v2'
	assert_line --regexp '^cgroup v2: /sys/fs/cgroup: .*\bcpu\b.*\bmemory\b.*\bpids\b'
	assert_line --regexp '^lsm: .*\bapparmor\b'
	run -0 doctor --check apparmor
	run -0 doctor --check cgroup-v2
}
