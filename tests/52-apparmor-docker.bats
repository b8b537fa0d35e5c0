#!/usr/bin/env bats
# lanes: vm
# bats file_tags=vm
#
# Docker on an AppArmor kernel (the VM lane: Debian's 6.1 booted with AppArmor, with Docker's
# engine inside): dockerd loads docker-default and confines every container with it unless told
# otherwise (course item 71), and the course's bane demo with aagen instead: the apiserver image
# under the cseclab-apiserver profile serves its API, ping works with the raw-socket rule and is
# refused without it, with AppArmor's DENIED record (items 73-78).
# Run: scripts/test vm   (or: CSECLAB_VM_DOCKER=1 scripts/vm test tests/52-apparmor-docker.bats)
load helpers
load docker/docker

setup_file() {
	[ "$CSECLAB_LANE" = vm ] || return 0
	# 3>&-: the engine outlives this function and must not hold bats' output open.
	"$CSECLAB_ROOT/scripts/docker-engine" start 3>&- >&2 || return 1
	"$CSECLAB_ROOT/scripts/mkbase" apiserver 3>&- >&2
}

teardown_file() {
	[ "$CSECLAB_LANE" = vm ] || return 0
	"$CSECLAB_ROOT/scripts/docker-engine" stop 3>&- >/dev/null
}

setup() {
	[ "$CSECLAB_LANE" = vm ] || skip "VM lane only (AppArmor and a Docker engine): scripts/test vm"
	requires root apparmor docker tool:apparmor_parser
	LAB=$(mktemp -d /tmp/cseclab-aadocker.XXXXXX)
}

teardown() {
	[ "$CSECLAB_LANE" = vm ] || return 0
	rm_containers
	if grep -q '^cseclab-apiserver ' /sys/kernel/security/apparmor/profiles; then
		apparmor_parser -R "$LAB/apiserver.profile"
	fi
	rm -rf "$LAB"
}

# The profile from labs/lsm/apiserver.json, with the raw-socket rule (raw) or without (noraw).
load_apiserver_profile() {
	local raw=true
	if [ "$1" = noraw ]; then raw=false; fi
	jq ".network.raw = $raw" "$CSECLAB_ROOT/labs/lsm/apiserver.json" >"$LAB/apiserver.json"
	aagen -o "$LAB/apiserver.profile" "$LAB/apiserver.json"
	apparmor_parser -r "$LAB/apiserver.profile"
}

label_of() { # the AppArmor label of a container's first process
	tr -d '\0' <"/proc/$(cpid "$1")/attr/current"
}

@test "docker: dockerd loads docker-default and confines every container with it; --privileged and apparmor=unconfined do not" {
	run -0 docker info --format '{{.SecurityOptions}}'
	assert_output --partial name=apparmor
	run -0 cat /sys/kernel/security/apparmor/profiles
	assert_line "docker-default (enforce)"
	run -0 docker run --rm cseclab/busybox cat /proc/self/attr/current
	assert_output "docker-default (enforce)"
	run -0 docker run --rm --privileged cseclab/busybox cat /proc/self/attr/current
	assert_output unconfined
	run -0 docker run --rm --security-opt apparmor=unconfined cseclab/busybox cat /proc/self/attr/current
	assert_output unconfined
	# docker-default at work: it has "deny mount". Given CAP_SYS_ADMIN (which the default seccomp
	# profile then lets mount(2) through), a container still cannot mount: AppArmor refuses, and
	# silently: an explicit deny rule is not logged (only "audit deny" would be).
	run docker run --rm --cap-add SYS_ADMIN cseclab/busybox sh -c 'mkdir -p /mnt && mount -t tmpfs cseclab /mnt'
	assert_failure
	assert_output "mount: mounting cseclab on /mnt failed: Permission denied"
	# Control: the same container unconfined mounts.
	run -0 docker run --rm --cap-add SYS_ADMIN --security-opt apparmor=unconfined cseclab/busybox \
		sh -c 'mkdir -p /mnt && mount -t tmpfs cseclab /mnt && grep -c "^cseclab /mnt tmpfs" /proc/mounts'
	assert_output 1
}

@test "docker: the apiserver image under the aagen profile (apparmor=cseclab-apiserver) serves its API, labelled with the profile" {
	load_apiserver_profile raw
	docker run -d --name cseclab-api --security-opt apparmor=cseclab-apiserver cseclab/apiserver >/dev/null
	assert_equal "$(label_of cseclab-api)" "cseclab-apiserver (enforce)"
	local _
	for _ in $(seq 50); do
		run in_net cseclab-api busybox wget -qO- http://127.0.0.1:8000/countries/FR
		[ "$status" -eq 0 ] && break
		sleep 0.2
	done
	assert_success
	assert_output --partial '"capital":"Paris"'
	run -0 in_net cseclab-api busybox wget -qO- http://127.0.0.1:8000/countries
	assert_output --partial '"capital":"Paris"'
	docker rm -f cseclab-api >/dev/null
	assert_no_containers
}

@test "docker: ping in the apiserver image works under the profile with the raw rule; regenerated without it, Permission denied and a DENIED record" {
	load_apiserver_profile raw
	run -0 docker run --rm --security-opt apparmor=cseclab-apiserver --entrypoint ping cseclab/apiserver -c 1 -W 2 127.0.0.1
	assert_line --partial "1 packets received"
	load_apiserver_profile noraw
	mark_kmsg
	run docker run --rm --security-opt apparmor=cseclab-apiserver --entrypoint ping cseclab/apiserver -c 1 -W 2 127.0.0.1
	assert_failure
	assert_output --partial "can't create raw socket: Permission denied"
	wait_kmsg 'apparmor="DENIED" operation="create" .*profile="cseclab-apiserver".*sock_type="raw"' >/dev/null
	# Same container without the profile: docker-default allows raw sockets (CAP_NET_RAW is a default).
	run -0 docker run --rm --entrypoint ping cseclab/apiserver -c 1 -W 2 127.0.0.1
	assert_line --partial "1 packets received"
}

# Course item 74: `aa-status` lists docker-default and the container's own profile, both
# enforcing. The kernel's list first (lsminfo --profiles prints it), then aa-status itself.
@test "docker: aa-status lists docker-default next to the course's profile, both in enforce mode, and the container under it" {
	load_apiserver_profile raw
	docker run -d --name cseclab-api --security-opt apparmor=cseclab-apiserver cseclab/apiserver >/dev/null
	local pid
	pid=$(cpid cseclab-api)
	run -0 lsminfo --profiles
	assert_line "apparmor profile: docker-default (enforce)"
	assert_line "apparmor profile: cseclab-apiserver (enforce)"
	requires tool:aa-status
	run -0 aa-status
	# The names listed under "N profiles are in enforce mode.", up to the next heading.
	local enforced
	enforced=$(awk '/^ *[0-9]+ (profiles|processes) / { on = /profiles are in enforce mode/; next }
		on { print $1 }' <<<"$output")
	grep -qx docker-default <<<"$enforced" || fail "docker-default is not in aa-status' enforce list: $output"
	grep -qx cseclab-apiserver <<<"$enforced" || fail "cseclab-apiserver is not in aa-status' enforce list: $output"
	# And the container's process under the course's profile (the host's view of its PID),
	# printed "EXE (PID) PROFILE", or "PROFILE (PID)" when aa-status cannot read the exe link.
	assert_line --regexp "^ +([^ ]+ \($pid\) cseclab-apiserver|cseclab-apiserver \($pid\)) *\$"
	# Control: removed from the kernel, the profile leaves aa-status' list.
	docker rm -f cseclab-api >/dev/null
	apparmor_parser -R "$LAB/apiserver.profile"
	run -0 aa-status
	refute_line --regexp '^ +cseclab-apiserver *$'
	assert_line --regexp '^ +docker-default *$'
}

# Last: the chapter starts and stops the engine itself, as a student would.
@test "guide: AppArmor and Docker, in the lab VM (the chapter's examples, in order)" {
	run "$CSECLAB_ROOT/scripts/guide-examples" "$CSECLAB_ROOT/labs/lsm/chapter-apparmor-docker.md"
	assert_success
	refute_output --partial "skip:"
}
