# shellcheck shell=bash
# docker.bash - shared by tests/docker/*.bats, loaded after ../helpers: `load docker`.
#
#   docker_setup_file IMAGE...  in setup_file: skip the file unless an engine answers, then
#                               build the images (scripts/mkbase targets: labs, apiserver...);
#                               in the lab VM's lanes, start the VM's engine first
#   docker_teardown_file        in teardown_file: remove the images this file built (and stop
#                               the VM's engine)
#   rm_containers               remove every cseclab-* container (call it in teardown)
#   assert_no_containers        no cseclab-* container is left
#   assert_no_docker_leftovers  nor a cgroup, mount or bridge of this lane
#   cpid NAME                   the host PID of a running container's first process
#   cgdir CONTROLLER NAME       its cgroup directory on the host for CONTROLLER (any layout)
#   in_net NAME CMD...          run a host CMD in the container's network namespace (works with
#                               or without a bridge: `nsenter -n`, as the course's -p would)
#   wait_log NAME TEXT          wait (up to 10 s) until the container's log has TEXT
#   DOCKER_DEFAULT_CAPS         Docker 20.10's 14 default capabilities, in capability-number order
#   DOCKER_DEFAULT_PROFILE      Docker's default seccomp profile (golang-github-docker-docker-dev)

export DOCKER_BUILDKIT=0
export DOCKER_DEFAULT_CAPS="chown dac_override fowner fsetid kill setgid setuid setpcap net_bind_service net_raw sys_chroot mknod audit_write setfcap"
export DOCKER_DEFAULT_PROFILE=/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json

docker_setup_file() {
	local out
	# In the lab VM (scripts/vm with CSECLAB_VM_DOCKER=1) the engine is started per file.
	if [ "${CSECLAB_LANE#vm}" != "$CSECLAB_LANE" ] && command -v dockerd >/dev/null; then
		# 3>&-: the engine outlives this function and must not hold bats' output open.
		"$CSECLAB_ROOT/scripts/docker-engine" start 3>&- >&2 || return 1
	fi
	out=$(doctor --check docker 2>&1) || skip "needs docker: $out"
	: >"$BATS_FILE_TMPDIR/images"
	[ $# -gt 0 ] || return 0
	if ! out=$("$CSECLAB_ROOT/scripts/mkbase" "$@" 2>&1); then
		echo "$out" >&3
		return 1
	fi
	local i
	for i in "$@"; do
		case $i in labs | busybox | bookworm) ;; *) echo "cseclab/$i" >>"$BATS_FILE_TMPDIR/images" ;; esac
	done
}

docker_teardown_file() {
	rm_containers
	if [ -s "$BATS_FILE_TMPDIR/images" ]; then
		xargs -r docker rmi -f <"$BATS_FILE_TMPDIR/images" >/dev/null 2>&1
		docker image prune -f --filter label=cseclab >/dev/null 2>&1
	fi
	# In the lab VM: stop the engine docker_setup_file started (`stop` leaves others alone).
	if [ "${CSECLAB_LANE#vm}" != "$CSECLAB_LANE" ] && command -v dockerd >/dev/null; then
		"$CSECLAB_ROOT/scripts/docker-engine" stop 3>&- >/dev/null
	fi
	return 0
}

rm_containers() {
	docker ps -aq --filter name='^cseclab-' | xargs -r docker rm -f >/dev/null 2>&1
	return 0
}

assert_no_containers() {
	local left
	left=$(docker ps -a --filter name='^cseclab-' --format '{{.Names}}')
	[ -z "$left" ] || fail "containers left behind: $left"
}

# What this lane may leave: cseclab-* containers, the --cgroup-parent cgroup, a second
# engine's mounts or bridge. (assert_no_leftovers looks at every cseclab cgroup on the host,
# including those of host-lane labs that may be running at the same time.)
assert_no_docker_leftovers() {
	assert_no_containers
	local m left=
	while read -r m; do
		if [ -e "$m/cseclab-stress" ]; then left+=" cgroup:$m/cseclab-stress"; fi
	done < <(cg_mounts)
	if grep -q cseclab-docker /proc/self/mounts; then left+=" mounts:/var/lib/cseclab-docker-*"; fi
	if ip -o link show 2>/dev/null | grep -q ' cseclab-x-'; then left+=" link:cseclab-x-*"; fi
	[ -z "$left" ] || fail "left behind:$left"
}

cpid() { docker inspect -f '{{.State.Pid}}' "$1"; }

# cgdir CONTROLLER NAME: container NAME's cgroup directory on the host for CONTROLLER, on any
# layout (cg_dir of helpers.bash: mountinfo and /proc/PID/cgroup, the mount's root taken off).
cgdir() { cg_dir "$(cpid "$2")" "$1"; }

in_net() {
	local pid
	pid=$(cpid "$1") || return 1
	shift
	nsenter -n -t "$pid" -- "$@"
}

wait_log() {
	local i
	for ((i = 0; i < 50; i++)); do
		docker logs "$1" 2>&1 | grep -qF -- "$2" && return 0
		sleep 0.2
	done
	echo "wait_log: '$2' never appeared in the log of $1:" >&2
	docker logs "$1" >&2
	return 1
}

# The inode of a namespace of a process: ns_of PID KIND -> "pid:[4026531836]"
ns_of() { readlink "/proc/$1/ns/$2"; }
