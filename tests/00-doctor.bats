#!/usr/bin/env bats
# lanes: host vm
# doctor is the suite's source of truth about the machine: each fact it reports is checked
# here against the kernel's own files, read independently. Its lab table is what the labs' tests
# `requires` (lab:NAME): checked here for rows no test uses and tests that repeat a row.
load helpers

# test_requires FILE [requires]: one line per test of a bats FILE, "DESCRIPTION<TAB>FEATURES": the
# doctor keywords it asks for with `requires` or `run_lab` (with "requires": `requires` only), in
# its body, in the file's setup(), and in the file's functions it calls (a keyword passed in a
# variable is not seen).
test_requires() {
	awk -v q="'" -v only="${2:-}" '
	function words(s, n, a, i, w, out) {
		n = split(s, a, /[ \t]+/)
		for (i = 1; i <= n; i++) {
			w = a[i]
			gsub(q, "", w)
			gsub(/"/, "", w)
			if (w ~ /^[#;|&]/)
				break
			if (w != "" && w !~ /[$]/)
				out = out " " w
		}
		return out
	}
	function scan(line, s) {
		if (match(line, /(^|[;{&|])[ \t]*requires[ \t][^;#|&]*/)) {
			s = substr(line, RSTART, RLENGTH)
			sub(/.*requires[ \t]/, "", s)
			req = req words(s)
		}
		if (only == "" && match(line, /(^|[;{&|])[ \t]*run_lab[ \t]+[^ \t;]+/)) {
			s = substr(line, RSTART, RLENGTH)
			sub(/.*run_lab[ \t]+/, "", s)
			req = req words(s)
		}
		body = body " " line
	}
	function done() {
		if (kind == "fn") {
			freq[name] = req
			fbody[name] = body
			fns[++nf] = name
		} else if (kind == "test") {
			treq[nt] = req
			tbody[nt] = body
		}
		kind = ""
	}
	function calls(text, depth, i, out) {
		for (i = 1; depth < 5 && i <= nf; i++)
			if (text ~ ("(^|[^A-Za-z0-9_-])" fns[i] "([^A-Za-z0-9_-]|$)"))
				out = out " " freq[fns[i]] calls(fbody[fns[i]], depth + 1)
		return out
	}
	/^[A-Za-z_][A-Za-z0-9_]*\(\) *\{/ {
		done()
		kind = "fn"; name = $0; sub(/\(.*/, "", name); req = ""; body = ""
		rest = $0; sub(/^[^{]*\{/, "", rest)
		if (rest ~ /\}[ \t]*$/) { scan(rest); done() }
		next
	}
	/^@test "/ {
		done()
		kind = "test"; nt++; d = $0; sub(/^@test "/, "", d); sub(/" *\{.*$/, "", d)
		desc[nt] = d; req = ""; body = ""
		rest = $0; sub(/^@test ".*" *\{/, "", rest)
		if (rest ~ /\}[ \t]*$/) { scan(rest); done() }
		next
	}
	/^\}/ { done(); next }
	kind != "" { scan($0) }
	END {
		done()
		for (t = 1; t <= nt; t++)
			printf "%s\t%s%s\n", desc[t], treq[t], calls(tbody[t], 0) ("setup" in freq ? " " freq["setup"] : "")
	}' "$1"
}

# lab_rows: "NAME<TAB>FEATURES" for each lab of doctor's table (doctor --features lists them).
lab_rows() {
	doctor --features | sed -nE 's/^lab:([a-z0-9-]+) +needs (.*)/\1\t\2/p'
}

# unused_labs ROOT: the labs no test under ROOT/tests asks for with `requires lab:NAME`, one a
# line; exit 1 then.
unused_labs() {
	local lab needs rc=0
	while IFS=$'\t' read -r lab needs; do
		if ! grep -qE "^[[:space:]]*requires( [^#]*)? lab:$lab( |$)" \
			"$1"/tests/*.bats "$1"/tests/docker/*.bats; then
			echo "$lab"
			rc=1
		fi
	done < <(lab_rows)
	return "$rc"
}

# lab_repeats ROOT: where a test under ROOT/tests requires lab:NAME and also a feature that the
# row of NAME already lists (in its body, its file's setup() or a function it calls), one line
# each; exit 1 then. The row says it once: the test names only what it needs beyond it.
lab_repeats() {
	local t lab needs desc feats f l rc=0
	local -A row
	while IFS=$'\t' read -r lab needs; do
		row[$lab]=" $needs "
	done < <(lab_rows)
	for t in "$1"/tests/*.bats "$1"/tests/docker/*.bats; do
		while IFS=$'\t' read -r desc feats; do
			for l in $feats; do
				[ "${l#lab:}" != "$l" ] || continue
				for f in $feats; do
					case ${row[${l#lab:}]:-} in *" $f "*)
						echo "${t#"$1"/tests/}: '$desc' requires $l and $f, which its row lists"
						rc=1
						;;
					esac
				done
			done
		done < <(test_requires "$t" requires)
	done
	return "$rc"
}

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

# as_caps CAPS CMD...: CMD as the unprivileged user, holding only CAPS ("+bpf,+perfmon") as
# ambient capabilities, which survive the change of uid and the execve.
as_caps() {
	local caps=$1
	shift
	setpriv --reuid="$CSECLAB_UID" --regid="$CSECLAB_GID" --clear-groups --reset-env \
		--inh-caps="$caps" --ambient-caps="$caps" -- \
		env PATH="$CSECLAB_BIN:/usr/local/bin:/usr/bin:/bin" NO_COLOR=1 "$@"
}

@test "doctor's bpf, btf and raw-tracepoint as root: bpftool's probe, the BTF file, and screcord agree" {
	requires root tool:bpftool
	if [ -r /sys/kernel/btf/vmlinux ]; then
		run -0 doctor --check btf
		assert_output --partial "/sys/kernel/btf/vmlinux is readable ($(stat -c %s /sys/kernel/btf/vmlinux) bytes)"
	else
		run -1 doctor --check btf
		assert_output --partial CONFIG_DEBUG_INFO_BTF
	fi
	# bpftool loads a program of each type itself: raw_tracepoint is bpf's verdict here
	run -0 bpftool feature probe kernel
	if grep -qx 'eBPF program_type raw_tracepoint is available' <<<"$output"; then
		run -0 doctor --check bpf
		assert_output --regexp '^bpf\(BPF_PROG_LOAD\) loads a raw tracepoint program '
		run -0 doctor --check raw-tracepoint
		assert_output 'bpf(BPF_RAW_TRACEPOINT_OPEN) attaches a program to sys_enter'
	else
		assert_line 'eBPF program_type raw_tracepoint is NOT available'
		run -1 doctor --check bpf
	fi
	# screcord (libbpf, the same three steps) runs exactly where doctor says its lab can
	run screcord -o /dev/null -- true
	if [ "$status" -eq 0 ]; then
		run -0 doctor --check lab:screcord
	else
		assert_equal "$status" 77
		run -1 doctor --check lab:screcord
	fi
}

@test "doctor's bpf as a user: no, naming CAP_BPF and CAP_PERFMON; yes with both (control), no with CAP_BPF alone" {
	requires root tool:setpriv
	run -0 doctor --check bpf
	local knob
	knob=$(cat /proc/sys/kernel/unprivileged_bpf_disabled)
	# whatever kernel.unprivileged_bpf_disabled says (0 lets a user load socket filters), a
	# tracing program needs the capabilities
	run -1 as_user doctor --check bpf
	assert_output "bpf(BPF_PROG_LOAD) of a tracing program: Operation not permitted: needs CAP_BPF and CAP_PERFMON (Linux 5.8), or CAP_SYS_ADMIN (kernel.unprivileged_bpf_disabled=$knob: $(if [ "$knob" = 0 ]; then echo 'without CAP_BPF, socket filters only'; else echo 'no bpf(2) at all without CAP_BPF'; fi))"
	run -1 as_user doctor --check raw-tracepoint
	assert_output --partial 'no program to attach (bpf: '
	# screcord agrees: it cannot run here either (exit 77), and doctor says so for its lab
	run -77 as_user screcord -o /dev/null -- true
	assert_output --partial 'Operation not permitted'
	run -1 as_user doctor --check lab:screcord
	[ "$(cat /proc/sys/kernel/cap_last_cap)" -ge 39 ] || skip "no CAP_BPF before Linux 5.8"
	run -0 as_caps +bpf,+perfmon doctor --check bpf
	run -0 as_caps +bpf,+perfmon doctor --check raw-tracepoint
	run -1 as_caps +bpf doctor --check bpf
	run -1 as_caps +perfmon doctor --check bpf
}

@test "doctor's cgroup-v2-mount is the first cgroup2 mount, where root may make cgroups" {
	requires root
	local v2
	v2=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
	if [ -n "$v2" ]; then
		run -0 doctor --check cgroup-v2-mount
		assert_output --regexp "^cgroup v2 at $v2 \("
		run -1 as_user doctor --check cgroup-v2-mount
		assert_output "cgroup v2 at $v2 is not writable for us (not root, or in a container)"
	else
		run -1 doctor --check cgroup-v2-mount
		assert_output 'no cgroup v2 hierarchy is mounted here (cgroup v1 only)'
	fi
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

@test "doctor --check lab:NAME: 0 can run, 1 names the first missing feature, 2 unknown lab" {
	requires root
	# namespaces needs what root has on any kernel of the course: as root it runs; as an
	# ordinary user root is the first feature its row lacks, with doctor's own reason
	run -0 doctor --check lab:namespaces
	run -1 as_user doctor --check lab:namespaces
	assert_output "needs root: $(as_user doctor --check root)"
	# apparmor: whatever the kernel has, the verdict is the feature's (detected, not assumed)
	local why
	if why=$(doctor --check apparmor); then
		run -0 doctor --check lab:apparmor
	else
		run -1 doctor --check lab:apparmor
		assert_output "needs apparmor: $why"
	fi
	run -2 --separate-stderr doctor --check lab:no-such-lab
	assert_output ""
	assert_equal "$stderr" "doctor: unknown lab 'no-such-lab' (doctor --features lists them)"
	# and each lab's verdict is its lab: line's
	run -0 doctor
	local report=$output lab needs verdict n=0
	while IFS=$'\t' read -r lab needs; do
		verdict="will skip: "
		if doctor --check "lab:$lab" >/dev/null; then verdict="can run "; fi
		grep -qE "^lab: $lab +$verdict" <<<"$report" ||
			fail "doctor --check lab:$lab says '$verdict', its lab: line: $(grep "^lab: $lab " <<<"$report")"
		n=$((n + 1))
	done < <(lab_rows)
	[ "$n" -ge 20 ] || fail "doctor --features lists only $n labs"
}

@test "every lab of doctor's table is required by a test, as lab:NAME (control: a lab no test uses)" {
	run unused_labs "$CSECLAB_ROOT"
	assert_success
	assert_output ""
	# the features of the table are doctor's keywords (an unknown one exits 2)
	local f
	for f in $(lab_rows | cut -f2 | tr ' ' '\n' | sort -u); do
		run doctor --check "$f"
		[ "$status" -le 1 ] || fail "a lab row needs '$f': doctor --check exits $status: $output"
	done
	# control, on a copy of the tests: no test asks for forkbomb any more
	local copy=$BATS_TEST_TMPDIR/copy
	mkdir -p "$copy/tests/docker"
	cp "$CSECLAB_ROOT"/tests/*.bats "$copy/tests/"
	cp "$CSECLAB_ROOT"/tests/docker/*.bats "$copy/tests/docker/"
	sed -i 's/requires lab:forkbomb/requires root cgroup-pids/' "$copy/tests/20-cgroups.bats"
	run -1 unused_labs "$copy"
	assert_output forkbomb
}

@test "no test repeats a feature its lab's row lists (control: requires lab:forkbomb root)" {
	run lab_repeats "$CSECLAB_ROOT"
	assert_success
	assert_output ""
	# controls, on a copy of the tests: a test of forkbomb repeats root; an extra is fine
	local copy=$BATS_TEST_TMPDIR/copy
	mkdir -p "$copy/tests/docker"
	cp "$CSECLAB_ROOT"/tests/*.bats "$copy/tests/"
	cp "$CSECLAB_ROOT"/tests/docker/*.bats "$copy/tests/docker/"
	sed -i '/^@test "tour: forkbomb: /,/^}/ s/^\trequires lab:forkbomb$/\trequires lab:forkbomb root/' \
		"$copy/tests/20-cgroups.bats"
	sed -i '/^@test "forkbomb: SIGTERM mid-bomb/,/^}/ s/^\trequires lab:forkbomb$/\trequires lab:forkbomb cgroup-kill/' \
		"$copy/tests/20-cgroups.bats"
	run -1 lab_repeats "$copy"
	assert_output --regexp "^20-cgroups.bats: 'tour: forkbomb: .*' requires lab:forkbomb and root, which its row lists$"
	assert_equal "${#lines[@]}" 1
}

@test "every feature keyword the tests and the guide ask for is one doctor knows" {
	local f n=0
	for f in $( (
		for t in "$CSECLAB_ROOT"/tests/*.bats "$CSECLAB_ROOT"/tests/*/*.bats; do
			test_requires "$t" | cut -f2
		done
		sed -n 's/^```console .*requires=\([^ ]*\).*/\1/p' "$CSECLAB_ROOT"/labs/*/chapter*.md \
			"$CSECLAB_ROOT"/docker/chapter.md | tr , ' '
	) | tr ' ' '\n' | grep -v '^$' | sort -u); do
		run doctor --check "$f"
		[ "$status" -le 1 ] || fail "'$f' (required by a test or the guide): doctor --check exits $status: $output"
		n=$((n + 1))
	done
	[ "$n" -ge 40 ] || fail "found only $n keywords: reading the tests went wrong"
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
