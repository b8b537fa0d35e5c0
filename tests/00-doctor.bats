#!/usr/bin/env bats
# lanes: host vm
# doctor is the suite's source of truth about the machine: each fact it reports is checked
# here against the kernel's own files, read independently; its lab verdicts against the tests.
load helpers

# test_requires FILE: one line per test of a bats FILE, "DESCRIPTION<TAB>FEATURES": the doctor
# keywords it asks for with `requires` or `run_lab`, in its body, in the file's setup(), and in
# the file's functions it calls (a keyword passed in a variable is not seen).
test_requires() {
	awk -v q="'" '
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
		if (match(line, /(^|[;{&|])[ \t]*run_lab[ \t]+[^ \t;]+/)) {
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

# The tests that show each lab of doctor's table (labs/getting-started/doctor-labs.c): LAB, a
# bats FILE under tests/, a regex over the descriptions of its tests, and what those tests ask
# for only to become the unprivileged user (as_user runs setpriv, which needs root) and so not
# a need of the lab. A lab may have a line per file.
LAB_TESTS='namespaces	10-namespaces.bats	^(tour: )?(ns -p -m as root|as an ordinary user ns -p -m|ns -u -H|nsinfo inside|nsjoin -p -m)
mqueue	10-namespaces.bats	^(tour: a queue in a new IPC namespace|receiver|sender)
user-namespaces	10-namespaces.bats	^ns -U( -p -m)? as an ordinary user	root
netpair	10-namespaces.bats	^netpair:
cpushares	20-cgroups.bats	^(tour: )?cpushares:
forkbomb	20-cgroups.bats	^(tour: )?forkbomb:
memlimit	20-cgroups.bats	^(tour: )?memlimit
cpuquota	20-cgroups.bats	^cpuquota:
devcg	20-cgroups.bats	^(tour: )?devcg
capabilities	35-capabilities.bats	^(tour: )?(capshow (names|PID|--diff)|capexec( reproduces| -u|: unknown| --add ALL))
filecaps	35-capabilities.bats	^(tour: )?(file capabilit|capshow --file|capcalc|capexec: --drop ALL)
privileges	30-privileges.bats	^(tour: )?(stepdown|nnp|rofs)
seccomp	40-seccomp.bats	^(tour: )?(strict|a seccomp filter kills|filter: (control|output)|argfilter: (write|SCMP))
seccomp	41-seccomp-profiles.bats	^(tour: deny-all|seccomp-run: )
seccomp-notify	40-seccomp.bats	^filter: notify
seccomp-ia32	40-seccomp.bats	^limits: (a filter without|with) the arch check
sctrace	41-seccomp-profiles.bats	^(tour: )?sctrace( writes|: (its|follows|exit|an|a number))
landlock	50-lsm.bats	^(tour: )?landlock: (an unprivileged|reading|on an ABI|the sandbox)
landlock-net	50-lsm.bats	^(tour: )?landlock: (bind|connect|apiserver)
apparmor	50-lsm.bats	^aagen: (the profile loads|without the raw rule|in complain mode)
apparmor	53-aagen-includes.bats	^aagen: where AppArmor is on
selinux	51-selinux.bats	^selinux:
runtime	70-runtime.bats	^runtime:
docker	docker/90-guide.bats	^guide:'

# lab_drift ROOT: where the tests of a lab (LAB_TESTS) require a feature that the lab's row in
# ROOT's doctor-labs.c does not list, one line each; exit 1 then. tool:NAME is left out: the
# lab verdicts judge the machine, scripts/setup installs the tools.
lab_drift() {
	local root=$1 lab needs file re exempt desc feats f n rc=0
	local -A row
	while IFS=$'\t' read -r lab needs; do
		row[$lab]=" $needs "
	done < <(sed -nE 's/^[[:space:]]*\{"([a-z0-9-]+)", "([^"]*)",.*/\1\t\2/p' \
		"$root/labs/getting-started/doctor-labs.c")
	for lab in "${!row[@]}"; do
		if ! grep -q "^$lab	" <<<"$LAB_TESTS"; then
			echo "$lab: LAB_TESTS names none of its tests"
			rc=1
		fi
	done
	while IFS=$'\t' read -r lab file re exempt; do
		if [ -z "${row[$lab]:-}" ]; then
			echo "$lab: not a lab of doctor-labs.c"
			rc=1
			continue
		fi
		n=0
		while IFS=$'\t' read -r desc feats; do
			n=$((n + 1))
			for f in $feats; do
				case " tool:* $exempt " in *" ${f%%:*}:* "* | *" $f "*) continue ;; esac
				case ${row[$lab]} in *" $f "*) continue ;; esac
				echo "$lab: '$desc' requires $f"
				rc=1
			done
		done < <(test_requires "$root/tests/$file" | grep -E "$re")
		if [ "$n" -eq 0 ]; then
			echo "$lab: no test of $file matches $re"
			rc=1
		fi
	done <<<"$LAB_TESTS"
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

@test "doctor's lab table lists every feature its labs' tests require (control: copies that drift)" {
	run lab_drift "$CSECLAB_ROOT"
	assert_success
	assert_output ""
	# the features of the table are doctor's keywords (an unknown one exits 2)
	local needs f
	needs=$(sed -nE 's/^[[:space:]]*\{"[a-z0-9-]+", "([^"]*)",.*/\1/p' \
		"$CSECLAB_ROOT/labs/getting-started/doctor-labs.c")
	[ "$(wc -l <<<"$needs")" -ge 20 ] || fail "read only these rows of doctor-labs.c: $needs"
	for f in $(tr ' ' '\n' <<<"$needs" | sort -u); do
		run doctor --check "$f"
		[ "$status" -le 1 ] || fail "doctor-labs.c needs '$f': doctor --check exits $status: $output"
	done
	# controls, on a throw-away copy: the row of namespaces forgets mntns ...
	local copy=$BATS_TEST_TMPDIR/copy
	mkdir -p "$copy/labs/getting-started" "$copy/tests/docker"
	cp "$CSECLAB_ROOT"/tests/*.bats "$copy/tests/"
	cp "$CSECLAB_ROOT"/tests/docker/*.bats "$copy/tests/docker/"
	sed 's/{"namespaces", "root pidns mntns utsns"/{"namespaces", "root pidns utsns"/' \
		"$CSECLAB_ROOT/labs/getting-started/doctor-labs.c" >"$copy/labs/getting-started/doctor-labs.c"
	run -1 lab_drift "$copy"
	assert_line "namespaces: 'tour: ns -p -m as root: the child is PID 1 and /proc lists only its own tree' requires mntns"
	# ... and a test of forkbomb asks for one feature more than its row lists
	cp "$CSECLAB_ROOT/labs/getting-started/doctor-labs.c" "$copy/labs/getting-started/"
	sed -i '/^@test "tour: forkbomb: /,/^}/ s/^\trequires root cgroup-pids$/\trequires root cgroup-pids cgroup-kill/' \
		"$copy/tests/20-cgroups.bats"
	run -1 lab_drift "$copy"
	assert_line --regexp "^forkbomb: 'tour: forkbomb: .*' requires cgroup-kill$"
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
