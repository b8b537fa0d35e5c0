#!/usr/bin/env bats
# lanes: vm-selinux
# bats file_tags=vm-selinux
#
# SELinux enforced by a real kernel: the lab VM booted with SELinux instead of AppArmor
# (scripts/vm with CSECLAB_VM_LSM=selinux) loads labs/lsm/mcs.cil, a small MCS policy with
# Docker's types. Two "containers" (processes in container_t, categories c1,c2 and c3,c4) each
# read their own files and are refused the other's, with the kernel's AVC record; spc_t reads
# both; and every answer of the kernel equals selabel's model, pair by pair. Then a real Docker
# engine with --selinux-enabled on the same kernel: the course's SELinux demos (items 63-69).
# Run: scripts/test vm-selinux   (or: CSECLAB_VM_LSM=selinux scripts/vm test tests/51-selinux.bats)
load helpers
load docker/docker

POLICY_DIR=/etc/selinux/cseclab
SRV=/srv/cseclab-mcs

C1=system_u:system_r:container_t:s0:c1,c2
C2=system_u:system_r:container_t:s0:c3,c4
C0=system_u:system_r:container_t:s0
SPC=system_u:system_r:spc_t:s0
F1=system_u:object_r:container_file_t:s0:c1,c2
F2=system_u:object_r:container_file_t:s0:c3,c4
FZ=system_u:object_r:container_file_t:s0
FC1=system_u:object_r:container_file_t:s0:c1
HOME_F=unconfined_u:object_r:user_home_t:s0

setup() {
	[ "$CSECLAB_LANE" = vm-selinux ] ||
		skip "SELinux VM lane only: scripts/test vm-selinux (this kernel: $(cat /sys/kernel/security/lsm 2>/dev/null || echo 'LSM list unreadable'))"
}

teardown_file() {
	[ "$CSECLAB_LANE" = vm-selinux ] || return 0
	"$CSECLAB_ROOT/scripts/docker-engine" stop 3>&- >/dev/null
	rm -f /etc/docker/daemon.json
}

teardown() {
	[ "$CSECLAB_LANE" = vm-selinux ] || return 0
	rm_containers
	rm -rf /root/cseclab-foo
	if mountpoint -q "$SRV"; then umount "$SRV"; fi
	rmdir "$SRV" 2>/dev/null || true
	[ ! -e /sys/fs/selinux/enforce ] || echo 1 >/sys/fs/selinux/enforce
	echo "${saved_ratelimit:-5}" >/proc/sys/kernel/printk_ratelimit
}

# Compile the policy (with extra CIL files, if given) the way a distribution installs one, and
# load it: /etc/selinux/config names the policy, load_policy reads policy/policy.NN from it.
load_mcs() {
	mkdir -p "$POLICY_DIR/policy" "$POLICY_DIR/contexts/files"
	secilc --mls=true -c 33 -o "$POLICY_DIR/policy/policy.33" \
		-f "$POLICY_DIR/contexts/files/file_contexts" "$CSECLAB_ROOT/labs/lsm/mcs.cil" "$@"
	printf 'SELINUX=enforcing\nSELINUXTYPE=cseclab\n' >/etc/selinux/config
	load_policy
	echo 1 >/sys/fs/selinux/enforce
}

# The policy is loaded once per boot (the first test); later tests only make sure.
ensure_loaded() {
	[ "$(tr -d '\0' </proc/self/attr/current)" != kernel ] || load_mcs
}

# A tmpfs of labelled files, one per file context (the directory is s0: every domain may
# search it, so each answer is about the file itself).
make_files() {
	ensure_loaded
	mkdir -p "$SRV"
	mount -t tmpfs -o mode=0755 cseclab-mcs "$SRV"
	chcon "$FZ" "$SRV"
	local name ctx
	for name in f1:$F1 f2:$F2 fz:$FZ fc1:$FC1 home:$HOME_F; do
		ctx=${name#*:} name=${name%%:*}
		echo "content of $name" >"$SRV/$name"
		chmod 666 "$SRV/$name"
		chcon "$ctx" "$SRV/$name"
	done
	# Many denials in a row: keep the kernel from rate-limiting their audit records.
	saved_ratelimit=$(cat /proc/sys/kernel/printk_ratelimit)
	echo 0 >/proc/sys/kernel/printk_ratelimit
}

# First, so that the chapter runs as a student meets it: SELinux on, no policy loaded yet.
@test "guide: SELinux for real, in the lab VM (the chapter's examples, in order)" {
	run "$CSECLAB_ROOT/scripts/guide-examples" "$CSECLAB_ROOT/labs/lsm/chapter-selinux.md"
	assert_success
	refute_output --partial "skip:"
}

@test "selinux: the VM boots SELinux, mcs.cil compiles and loads, enforcing" {
	run cat /sys/kernel/security/lsm
	assert_output --regexp '(^|,)selinux(,|$)'
	refute_output --partial apparmor
	# Before any policy the kernel calls every task "kernel" and allows everything.
	if [ "$(tr -d '\0' </proc/self/attr/current)" = kernel ]; then
		run -0 cat /sys/fs/selinux/enforce
		assert_output 0
		run -0 lsminfo
		assert_line --partial "selinux: enabled, no policy loaded"
	fi
	load_mcs
	run -0 tr -d '\0' </proc/self/attr/current
	assert_output "system_u:system_r:kernel_t:s0-s0:c0.c1023"
	run -0 getenforce
	assert_output Enforcing
	run -0 lsminfo
	assert_line "selinux: enforcing"
	assert_line "selinux policy: loaded, MLS/MCS on, classes and permissions it does not define: allowed"
	assert_line "selinux max kernel policy version: $(cat /sys/fs/selinux/policyvers)"
	run -0 doctor --check selinux
	# The price of a small policy, said by the kernel itself.
	run -0 dmesg
	assert_output --partial "SELinux: the above unknown classes and permissions will be allowed"
}

@test "selinux: MCS matrix: every answer of the kernel equals selabel's, with an AVC record per denial" {
	requires lab:selinux
	make_files
	local s f want got allowed=0 denied=0 matrix="" ctx
	mark_kmsg
	for s in "$C1" "$C2" "$C0" "$SPC"; do
		for f in f1 f2 fz fc1 home; do
			ctx=$(stat -c %C "$SRV/$f")
			run selabel --access "$s" "$ctx"
			[ "$status" -le 1 ] || fail "selabel --access $s $ctx: exit $status: $output"
			want=$([ "$status" -eq 0 ] && echo allowed || echo denied)
			run runcon "$s" cat "$SRV/$f"
			if [ "$status" -eq 0 ]; then
				assert_output "content of $f"
				got=allowed allowed=$((allowed + 1))
			else
				assert_output "cat: $SRV/$f: Permission denied"
				got=denied denied=$((denied + 1))
				wait_kmsg "avc: +denied +\{ read \} .*name=\"$f\" .*scontext=$s tcontext=$ctx tclass=file permissive=0" >/dev/null
			fi
			matrix+="${s##*system_r:} -> ${ctx#*object_r:}: kernel $got, selabel $want"$'\n'
			[ "$got" = "$want" ] || fail "$(printf '%s\nmismatch: %s reading %s' "$matrix" "$s" "$ctx")"
		done
	done
	echo "$matrix"
	# Both outcomes occur: a matrix of one answer could not tell the two apart.
	[ "$allowed" -ge 8 ] && [ "$denied" -ge 8 ] || fail "allowed $allowed, denied $denied"
}

@test "selinux: a container writes its own files only; what it creates carries its categories" {
	requires lab:selinux
	make_files
	run runcon "$C1" sh -c "echo changed >$SRV/f2"
	assert_failure
	assert_output --partial "Permission denied"
	assert_equal "$(cat "$SRV/f2")" "content of f2"
	run -0 runcon "$C1" sh -c "echo changed >$SRV/f1"
	assert_equal "$(cat "$SRV/f1")" changed
	# A new file takes the type of its directory and the level of the process that made it.
	mkdir "$SRV/c1dir"
	chcon "$F1" "$SRV/c1dir"
	run -0 runcon "$C1" sh -c "echo new >$SRV/c1dir/made-by-c1"
	assert_equal "$(stat -c %C "$SRV/c1dir/made-by-c1")" "$F1"
	run runcon "$C2" cat "$SRV/c1dir/made-by-c1"
	assert_failure
	assert_output --partial "Permission denied"
}

@test "selinux: a container cannot move itself into another container's categories" {
	requires lab:selinux
	ensure_loaded
	# What runc does to start a container, tried from inside one: name the next context in
	# /proc/self/attr/exec, then execve. No rule lets container_t start another domain.
	mark_kmsg
	run runcon "$C1" sh -c "printf %s '$C2' >/proc/self/attr/exec && exec id -Z"
	assert_failure
	assert_output --partial "Permission denied"
	wait_kmsg "avc: +denied +\{ transition \} .*scontext=$C1 tcontext=$C2 tclass=process permissive=0" >/dev/null
	# Nor may it ask the kernel about contexts: selinuxfs is security_t, not a container's.
	run runcon "$C1" runcon "$C2" id -Z
	assert_failure
	assert_output --partial "Permission denied"
	# The unconfined domain may start a process in either.
	run -0 runcon "$C2" id -Z
	assert_output "$C2"
}

@test "selinux: permissive mode allows what enforcing denies, and says so (permissive=1)" {
	requires lab:selinux
	make_files
	echo 0 >/sys/fs/selinux/enforce
	mark_kmsg
	run -0 runcon "$C1" cat "$SRV/f2"
	assert_output "content of f2"
	wait_kmsg "avc: +denied +\{ read \} .*scontext=$C1 tcontext=$F2 tclass=file permissive=1" >/dev/null
	echo 1 >/sys/fs/selinux/enforce
	run runcon "$C1" cat "$SRV/f2"
	assert_failure
	assert_output --partial "Permission denied"
}

@test "selinux: one allow rule added to the policy lets container_t read user_home_t" {
	requires lab:selinux
	make_files
	run runcon "$C1" cat "$SRV/home"
	assert_failure
	assert_output --partial "Permission denied"
	local extra="$BATS_TEST_TMPDIR/home.cil"
	echo '(allow container_t user_home_t (file (read open getattr)))' >"$extra"
	load_mcs "$extra"
	run runcon "$C1" cat "$SRV/home"
	load_mcs # back to the lab's policy before any assertion can stop the test
	assert_success
	assert_output "content of home"
	run runcon "$C1" cat "$SRV/home"
	assert_failure
}

@test "selinux: contexts outside the policy are refused by the kernel, and by selabel" {
	requires lab:selinux
	ensure_loaded
	run runcon system_u:system_r:container_t:s0:c1024 id -Z
	assert_failure
	assert_output --partial "invalid context"
	run -2 selabel system_u:system_r:container_t:s0:c1024
	run runcon system_u:system_r:cseclab_unknown_t:s0 id -Z
	assert_failure
	assert_output --partial "invalid context"
	# The policy's highest category is valid.
	run -0 runcon system_u:system_r:container_t:s0:c1023 id -Z
	assert_output system_u:system_r:container_t:s0:c1023
}

# Course item 62: "the file class alone has 20 permissions, against 3 DAC modes". Counted on
# this kernel: the permissions the loaded policy gives the file class (selinuxfs lists each
# with its bit), plus any the kernel checks on files that the policy leaves out (when a policy
# loads, the kernel compares it with its own list and names each class and permission missing).
@test "selinux: the file class has at least the course's 20 permissions: the loaded policy's, and those the kernel names as missing" {
	requires lab:selinux
	ensure_loaded
	local dir=/sys/fs/selinux/class/file/perms perms missing p n bits all
	run -0 ls "$dir"
	perms=$output
	n=$(wc -l <<<"$perms")
	# Each permission is one bit of the access vector: as many distinct bits as names (each
	# file holds its number without a newline: grep adds one).
	bits=$(grep -h '' "$dir"/* | sort -un | wc -l)
	assert_equal "$bits" "$n"
	# DAC's read, write and execute are three of them; open, getattr, setattr, append... are more.
	for p in read write execute open getattr setattr append; do
		grep -qx "$p" <<<"$perms" || fail "the file class has no '$p': $perms"
	done
	run -0 dmesg
	missing=$(sed -n 's/.*SELinux: *Permission \([a-z_]*\) in class file not defined in policy.*/\1/p' <<<"$output" | sort -u)
	# Control: the kernel's comparison is in the log we read. mcs.cil defines three classes, so
	# the kernel named the others (sockets, capabilities...) as missing.
	assert_line --regexp 'SELinux: +Class [a-z_]+ not defined in policy\.$'
	all=$(printf '%s\n%s\n' "$perms" "$missing" | sort -u | grep -c .)
	echo "# file class: $n permissions in the policy, $(grep -c . <<<"$missing") more the kernel checks ($all): $(tr "\n" " " <<<"$perms")" >&3
	[ "$all" -ge 20 ] || fail "the file class has $all permissions, fewer than the course's 20"
}

# --- Docker with --selinux-enabled on this kernel --------------------------------------------

# What the chapter does before its Docker part: the engine's labels (lxc_contexts), dockerd and
# its data labelled by path (restorecon), selinux-enabled in daemon.json, the engine started
# (3>&-: a daemon must not hold bats' output open) and the busybox image built.
docker_selinux() {
	ensure_loaded
	cp "$CSECLAB_ROOT/labs/lsm/lxc_contexts" "$POLICY_DIR/contexts/"
	mkdir -p /var/lib/docker
	restorecon -R "$(command -v dockerd)" /var/lib/docker
	if [ "${1:-on}" = on ]; then
		echo '{"selinux-enabled": true}' >/etc/docker/daemon.json
	else
		rm -f /etc/docker/daemon.json
	fi
	run -0 "$CSECLAB_ROOT/scripts/docker-engine" start 3>&-
	docker image inspect cseclab/busybox >/dev/null 2>&1 ||
		"$CSECLAB_ROOT/scripts/mkbase" busybox 3>&- >/dev/null
}

stop_docker() {
	run -0 "$CSECLAB_ROOT/scripts/docker-engine" stop 3>&-
}

@test "docker: selinux appears in docker info only with selinux-enabled; dockerd runs as container_runtime_t" {
	stop_docker
	docker_selinux off
	run -0 docker info --format '{{.SecurityOptions}}'
	refute_output --partial name=selinux
	stop_docker
	docker_selinux on
	run -0 docker info --format '{{.SecurityOptions}}'
	assert_output --partial name=selinux
	# dockerd's program is container_runtime_exec_t, so starting it entered the runtime's domain.
	assert_equal "$(stat -c %C "$(command -v dockerd)")" system_u:object_r:container_runtime_exec_t:s0
	run -0 tr -d '\0' </proc/"$(cat /run/cseclab-dockerd/dockerd.pid)"/attr/current
	assert_output --regexp '^system_u:system_r:container_runtime_t:'
}

@test "docker: two containers run as container_t with their own categories, their files carry the same pair, and each is refused the other's" {
	docker_selinux
	make_files
	local c p pid lvl l1 l2
	for c in c1 c2; do
		docker run -d --name "cseclab-$c" -v "$SRV:/data" cseclab/busybox sleep 300 >/dev/null
		p=$(docker inspect -f '{{.ProcessLabel}}' "cseclab-$c")
		pid=$(cpid "cseclab-$c")
		assert_regex "$p" '^system_u:system_r:container_t:s0:c[0-9]+,c[0-9]+$'
		assert_equal "$(tr -d '\0' </proc/"$pid"/attr/current)" "$p"
		lvl=${p#system_u:system_r:container_t:}
		# The image's files, as the container sees them: container_file_t with the same pair.
		assert_equal "$(stat -c %C "/proc/$pid/root/bin/busybox")" "system_u:object_r:container_file_t:$lvl"
		printf -v "l_$c" %s "$lvl"
	done
	l1=$l_c1 l2=$l_c2
	[ "$l1" != "$l2" ] || fail "both containers got $l1"
	# A file labelled with each container's pair, in a volume both see (-v without z keeps labels).
	echo "for c1" >"$SRV/for-c1"
	chcon "system_u:object_r:container_file_t:$l1" "$SRV/for-c1"
	echo "for c2" >"$SRV/for-c2"
	chcon "system_u:object_r:container_file_t:$l2" "$SRV/for-c2"
	run -0 docker exec cseclab-c1 cat /data/for-c1
	assert_output "for c1"
	mark_kmsg
	run docker exec cseclab-c1 cat /data/for-c2
	assert_failure
	assert_output --partial "Permission denied"
	wait_kmsg "avc: +denied +\{ read \} .*scontext=system_u:system_r:container_t:$l1 tcontext=system_u:object_r:container_file_t:$l2 tclass=file" >/dev/null
	run -1 selabel --access "system_u:system_r:container_t:$l1" "system_u:object_r:container_file_t:$l2"
	run -0 docker exec cseclab-c2 cat /data/for-c2
	assert_output "for c2"
	rm_containers
	assert_no_containers
}

@test "docker: --pid host, --privileged and label=disable run as spc_t; label=level: sets the categories" {
	docker_selinux
	local opt
	for opt in --pid=host --privileged --security-opt=label=disable; do
		run -0 docker run --rm "$opt" cseclab/busybox cat /proc/self/attr/current
		assert_output --regexp '^system_u:system_r:spc_t:'
	done
	run -0 docker run --rm --security-opt label=level:s0:c100,c200 cseclab/busybox cat /proc/self/attr/current
	assert_output --regexp '^system_u:system_r:container_t:s0:c100,c200.?$'
}

@test "docker: a plain -v of a home directory is refused, even to root in the container" {
	docker_selinux
	mkdir -p /root/cseclab-foo
	echo host >/root/cseclab-foo/whereamifrom
	chcon -R unconfined_u:object_r:user_home_t:s0 /root/cseclab-foo
	run -0 docker run --rm cseclab/busybox id -u
	assert_output 0
	mark_kmsg
	run docker run --rm -v /root/cseclab-foo:/foo cseclab/busybox ls /foo
	assert_failure
	assert_output --partial "Permission denied"
	wait_kmsg "avc: +denied .*scontext=system_u:system_r:container_t:s0:c[0-9]+,c[0-9]+ tcontext=unconfined_u:object_r:user_home_t:s0 tclass=dir" >/dev/null
}

@test "docker: :Z relabels a volume for one container, which overwrites it; the label outlives it; :z shares" {
	docker_selinux
	mkdir -p /root/cseclab-foo
	echo host >/root/cseclab-foo/whereamifrom
	chcon -R unconfined_u:object_r:user_home_t:s0 /root/cseclab-foo
	run -0 docker run --name cseclab-z -v /root/cseclab-foo:/foo:Z cseclab/busybox \
		sh -c 'cat /foo/whereamifrom; echo container >/foo/whereamifrom'
	assert_output host
	assert_equal "$(cat /root/cseclab-foo/whereamifrom)" container
	local label
	label=$(docker inspect -f '{{.MountLabel}}' cseclab-z)
	assert_regex "$label" '^system_u:object_r:container_file_t:s0:c[0-9]+,c[0-9]+$'
	docker rm cseclab-z >/dev/null
	# The container is gone; its categories stay on the files, so the next container is refused.
	assert_equal "$(stat -c %C /root/cseclab-foo/whereamifrom)" "$label"
	run docker run --rm -v /root/cseclab-foo:/foo cseclab/busybox cat /foo/whereamifrom
	assert_failure
	assert_output --partial "Permission denied"
	# :z: container_file_t at s0, no categories: every container may use it.
	run -0 docker run --rm -v /root/cseclab-foo:/foo:z cseclab/busybox cat /foo/whereamifrom
	assert_output container
	assert_equal "$(stat -c %C /root/cseclab-foo/whereamifrom)" system_u:object_r:container_file_t:s0
	run -0 docker run --rm -v /root/cseclab-foo:/foo cseclab/busybox cat /foo/whereamifrom
}

@test "selinux: selabel's MCS rule is the policy's: the file's high level counts, and only container_t is bound" {
	requires lab:selinux
	make_files
	# A confined domain without the mcs_constrained attribute, with its own log files (and a
	# way through the test directory), added to the lab's policy for this test only.
	local extra="$BATS_TEST_TMPDIR/auditd.cil"
	cat >"$extra" <<'CIL'
(type auditd_t)
(type auditd_log_t)
(typeattributeset domain (auditd_t))
(typeattributeset file_type (auditd_log_t))
(roletype system_r auditd_t)
(allow auditd_t system_file (dir (all)))
(allow auditd_t system_file all_file)
(allow auditd_t container_file_t (dir (search getattr)))
(allow auditd_t auditd_log_t all_file)
CIL
	load_mcs "$extra"
	# Files with a range low-high: the constraint (dom h1 h2) reads their high end.
	local spec name ctx
	for spec in r12:system_u:object_r:container_file_t:s0-s0:c1,c2 \
		r13:system_u:object_r:container_file_t:s0:c1-s0:c1,c3 \
		log0:system_u:object_r:auditd_log_t:s0 log7:system_u:object_r:auditd_log_t:s0:c7; do
		name=${spec%%:*} ctx=${spec#*:}
		echo "content of $name" >"$SRV/$name"
		chcon "$ctx" "$SRV/$name"
	done
	local C1R=system_u:system_r:container_t:s0-s0:c1,c2 AUDITD=system_u:system_r:auditd_t:s0
	local s f want got matrix="" bad="" allowed=0 denied=0
	for s in "$C1" "$C1R" "$C2" "$C0" "$SPC" "$AUDITD"; do
		for f in f1 f2 fz fc1 home r12 r13 log0 log7; do
			# selabel's model knows auditd_t's rules for its own logs only.
			[[ $s != "$AUDITD" || $f == log* ]] || continue
			ctx=$(stat -c %C "$SRV/$f")
			run selabel --access "$s" "$ctx"
			case $status in
			0) want=allowed ;;
			1) want=denied ;;
			*) bad+="selabel --access $s $ctx: exit $status: $output"$'\n' ;;
			esac
			run runcon "$s" cat "$SRV/$f"
			if [ "$status" -eq 0 ] && [ "$output" = "content of $f" ]; then
				got=allowed allowed=$((allowed + 1))
			elif [ "$output" = "cat: $SRV/$f: Permission denied" ]; then
				got=denied denied=$((denied + 1))
			else
				got="unexpected ($status: $output)"
			fi
			matrix+="${s##*system_r:} -> ${ctx#*object_r:}: kernel $got, selabel $want"$'\n'
			[ "$got" = "$want" ] || bad+="mismatch: $s reading $ctx"$'\n'
		done
	done
	load_mcs # back to the lab's policy before any assertion can stop the test
	echo "$matrix"
	[ -z "$bad" ] || fail "$matrix$bad"
	# Both outcomes occur, for ranges too.
	[ "$allowed" -ge 10 ] || fail "allowed $allowed"
	[ "$denied" -ge 10 ] || fail "denied $denied"
	[[ $matrix == *"container_t:s0:c3,c4 -> container_file_t:s0-s0:c1,c2: kernel denied"* ]] || fail "$matrix"
	[[ $matrix == *"auditd_t:s0 -> auditd_log_t:s0:c7: kernel allowed"* ]] || fail "$matrix"
}
