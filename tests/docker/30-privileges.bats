load ../helpers
load docker
# lanes: docker
# Users, ports, read-only root, capabilities under Docker: COURSE-DEMOS #35-48, #92-98, #107.

setup_file() { docker_setup_file labs apiserver apiserver:user apiserver:multi apiserver:fcap apiserver:stepdown; }
teardown_file() { docker_teardown_file; }
teardown() { rm_containers; }

IE='{"code":"IE","name":"Ireland","capital":"Dublin","continent":"Europe"}'
SYSCTL_1024=(--sysctl net.ipv4.ip_unprivileged_port_start=1024)

# api NAME PORT METHOD PATH [BODY]: the HTTP status line, from inside the container's netns.
api() {
	local name=$1 port=$2 method=$3 path=$4 body=${5:-}
	if [ -n "$body" ]; then
		in_net "$name" curl -s -o /dev/null -w '%{http_code}\n' -m 3 -X "$method" -d "$body" "http://127.0.0.1:$port$path"
	else
		in_net "$name" curl -s -o /dev/null -w '%{http_code}\n' -m 3 -X "$method" "http://127.0.0.1:$port$path"
	fi
}

host_uid_of() { ps -o uid= -p "$(cpid "$1")" | tr -d ' '; }

@test "tour: apiserver in a container as root: POST 201, GET 200; ps and docker top both say root" {
	docker run -d --name cseclab-api cseclab/apiserver
	wait_log cseclab-api 'listening on 0.0.0.0:8000'
	show api cseclab-api 8000 POST /countries "$IE"
	assert_output 201
	run api cseclab-api 8000 GET /countries/IE
	assert_output 200
	run docker exec cseclab-api ps -o user,comm
	assert_line --regexp '^root +apiserver$'
	run docker top cseclab-api -o pid,uid,comm
	assert_line --regexp "^$(cpid cseclab-api) +0 +apiserver\$"
}

@test "Dockerfile.user: api (uid 500) inside, a bare uid 500 on the host" {
	docker run -d --name cseclab-api-user cseclab/apiserver:user
	wait_log cseclab-api-user 'listening on'
	run docker exec cseclab-api-user ps -o user,comm
	assert_line --regexp '^api +apiserver$'
	[ "$(host_uid_of cseclab-api-user)" = 500 ]
	# The name exists only in the image's /etc/passwd: the host has no user 500.
	if getent passwd 500 >/dev/null; then
		skip "this host has a user with uid 500 ($(getent passwd 500 | cut -d: -f1)): ps would name it"
	fi
	run ps -o user= -p "$(cpid cseclab-api-user)"
	assert_output --regexp '^ *500$'
	run api cseclab-api-user 8000 POST /countries "$IE"
	assert_output 201
}

@test "docker run -u 500 runs the root image's process as uid 500 too" {
	docker run -d --name cseclab-api-u -u 500 cseclab/apiserver
	wait_log cseclab-api-u 'listening on'
	[ "$(host_uid_of cseclab-api-u)" = 500 ]
	run docker exec cseclab-api-u id -u
	assert_output 500
}

@test "Dockerfile.multi: FROM scratch, a few MB, no shell, the API still works as uid 500" {
	local multi root
	multi=$(docker image inspect -f '{{.Size}}' cseclab/apiserver:multi)
	root=$(docker image inspect -f '{{.Size}}' cseclab/bookworm)
	echo "# apiserver:multi is $((multi / 1024)) KiB; its builder image is $((root / 1048576)) MiB" >&3
	[ "$multi" -lt $((16 * 1048576)) ]
	[ "$multi" -lt $((root / 10)) ]
	docker run -d --name cseclab-api-multi cseclab/apiserver:multi
	wait_log cseclab-api-multi 'listening on'
	run api cseclab-api-multi 8000 POST /countries "$IE"
	assert_output 201
	[ "$(host_uid_of cseclab-api-multi)" = 500 ]
	# Nothing but apiserver, its libraries and passwd/group: no ps to exec.
	run docker exec cseclab-api-multi ps
	assert_failure
	assert_output --partial 'executable file not found'
}

@test "tour: port 80 as uid 500: binds by default (Docker 20.10 sets ip_unprivileged_port_start=0)" {
	run docker run --rm cseclab/busybox cat /proc/sys/net/ipv4/ip_unprivileged_port_start
	assert_output 0
	docker run -d --name cseclab-api80 cseclab/apiserver:user -p 80
	show wait_log cseclab-api80 'listening on 0.0.0.0:80'
	assert_success
	run api cseclab-api80 80 GET /countries
	assert_output 200
}

@test "port 80 as uid 500 with ip_unprivileged_port_start=1024: bind: Permission denied (the course's error)" {
	run docker run --rm "${SYSCTL_1024[@]}" cseclab/apiserver:user -p 80
	assert_failure 1
	assert_output --partial 'apiserver: bind: Permission denied'
	# --cap-add does not help a non-root user: Docker sets no ambient capabilities.
	run docker run --rm "${SYSCTL_1024[@]}" --cap-add NET_BIND_SERVICE cseclab/apiserver:user -p 80
	assert_failure 1
	assert_output --partial 'apiserver: bind: Permission denied'
}

@test "port 80 as uid 500: a file capability set by RUN setcap survives docker build and binds" {
	docker run -d --name cseclab-api-fcap "${SYSCTL_1024[@]}" --cap-drop ALL --cap-add NET_BIND_SERVICE \
		cseclab/apiserver:fcap -p 80
	wait_log cseclab-api-fcap 'listening on 0.0.0.0:80'
	run docker exec cseclab-api-fcap getcap /usr/local/bin/apiserver
	assert_output '/usr/local/bin/apiserver cap_net_bind_service=ep'
	run api cseclab-api-fcap 80 GET /countries
	assert_output 200
	# Without NET_BIND_SERVICE in the bounding set, execve refuses a file whose effective bit
	# promises a capability it cannot grant.
	run docker run --rm "${SYSCTL_1024[@]}" --cap-drop ALL cseclab/apiserver:fcap -p 80
	assert_failure
	assert_output --partial 'operation not permitted'
}

@test "a file capability arrives through a volume (audit what you mount)" {
	local dir=$BATS_TEST_TMPDIR/vol
	mkdir -p "$dir"
	cp "$CSECLAB_BIN/apiserver" "$dir/apiserver"
	setcap cap_net_bind_service=+ep "$dir/apiserver"
	docker run -d --name cseclab-api-vol "${SYSCTL_1024[@]}" -v "$dir:/vol:ro" --entrypoint /vol/apiserver \
		cseclab/apiserver:user -a 0.0.0.0 -p 80
	wait_log cseclab-api-vol 'listening on 0.0.0.0:80'
	# Control: the same binary copied without its xattr cannot bind.
	cp "$CSECLAB_BIN/apiserver" "$dir/plain"
	run docker run --rm "${SYSCTL_1024[@]}" -v "$dir:/vol:ro" --entrypoint /vol/plain cseclab/apiserver:user -p 80
	assert_failure 1
	assert_output --partial 'bind: Permission denied'
	rm -f "$dir/apiserver" "$dir/plain"
}

@test "--read-only: the root filesystem refuses writes and metadata changes, --tmpfs /tmp accepts them" {
	run docker run --rm --read-only --tmpfs /tmp cseclab/busybox sh -c 'touch /cseclab 2>&1; chmod 700 /etc 2>&1; touch /tmp/ok && echo tmp-ok'
	assert_line --partial "touch: /cseclab: Read-only file system"
	assert_line --partial "chmod: /etc: Read-only file system"
	assert_line tmp-ok
	# Control: without --read-only the same writes succeed.
	run docker run --rm cseclab/busybox sh -c 'touch /cseclab && chmod 700 /etc && echo rw-ok'
	assert_output rw-ok
}

@test "step-down entrypoint: root prepares, then exec leaves apiserver as PID 1 with uid 500 and no capabilities" {
	docker run -d --name cseclab-stepdown cseclab/apiserver:stepdown
	wait_log cseclab-stepdown 'listening on'
	run docker exec cseclab-stepdown sh -c 'cat /proc/1/comm; grep -E "^(Uid|CapEff)" /proc/1/status; stat -c %u /var/lib/api'
	assert_line apiserver
	assert_line --regexp '^Uid:\s+500\s+500\s+500\s+500$'
	assert_line --regexp '^CapEff:\s+0000000000000000$'
	assert_line 500
	[ "$(host_uid_of cseclab-stepdown)" = 500 ]
}

@test "tour: capabilities in a default container: Docker's 14, and pscap on the host agrees" {
	show docker run --rm cseclab/labs capsh --print
	assert_line "Current: $(echo "$DOCKER_DEFAULT_CAPS" | sed 's/\([a-z_]*\)/cap_\1/g; s/ /,/g')=ep"
	# Since CVE-2022-24769 Docker sets no inheritable capabilities: no "+eip" any more.
	assert_line 'Ambient set ='
	run docker run --rm cseclab/labs capsh --help
	assert_success
	assert_line --index 0 'usage: capsh [args ...]'
	docker run -d --name cseclab-caps cseclab/apiserver
	wait_log cseclab-caps listening
	run pscap
	local line
	line=$(echo "$output" | awk -v p="$(cpid cseclab-caps)" '$2 == p')
	[ -n "$line" ]
	run bash -c "echo '$line' | sed 's/.*apiserver *//; s/ +$//'"
	assert_output "${DOCKER_DEFAULT_CAPS// /, }"
}

@test "--cap-drop ALL --cap-add NET_BIND_SERVICE: pscap shows only net_bind_service; port 80 binds" {
	docker run -d --name cseclab-nbs "${SYSCTL_1024[@]}" --cap-drop ALL --cap-add NET_BIND_SERVICE cseclab/apiserver -p 80
	wait_log cseclab-nbs 'listening on 0.0.0.0:80'
	run pscap
	assert_output --regexp "[[:space:]]$(cpid cseclab-nbs)[[:space:]]+root[[:space:]]+apiserver[[:space:]]+net_bind_service"
	run api cseclab-nbs 80 POST /countries "$IE"
	assert_output 201
	# --cap-drop ALL alone: "the familiar permission error" once port 80 is privileged again...
	run docker run --rm "${SYSCTL_1024[@]}" --cap-drop ALL cseclab/apiserver -p 80
	assert_failure 1
	assert_output --partial 'bind: Permission denied'
	# ...but not with Docker 20.10's default sysctl, which makes every port unprivileged.
	docker run -d --name cseclab-noc --cap-drop ALL cseclab/apiserver -p 80
	wait_log cseclab-noc 'listening on 0.0.0.0:80'
}

@test "tour: the Play-with-Docker chown table, each row the kernel's answer" {
	show docker run --rm cseclab/busybox chown nobody /
	assert_success
	show docker run --rm --cap-drop ALL --cap-add CHOWN cseclab/busybox chown nobody /
	assert_success
	show docker run --rm --cap-drop CHOWN cseclab/busybox chown nobody /
	assert_failure 1
	assert_output --partial 'Operation not permitted'
	show docker run --rm --cap-add CHOWN -u nobody cseclab/busybox chown nobody /
	assert_failure 1
	assert_output --partial 'Operation not permitted'
}

@test "--privileged and --cap-add ALL cannot start here (no CAP_SYS_RESOURCE); ALL minus SYS_RESOURCE can" {
	local bnd want last gone
	bnd=$((16#$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)))
	if (((bnd >> 24) & 1)); then
		skip "this host's root has CAP_SYS_RESOURCE: --privileged starts here"
	fi
	# Docker 20.10's ALL is the capabilities it knows, 0-37 (chown .. audit_read): minus
	# SYS_RESOURCE (24), what the container gets if the host's root has all of those.
	want=$((((1 << 38) - 1) & ~(1 << 24)))
	if (((bnd & want) != want)); then
		skip "this host's root lacks more than CAP_SYS_RESOURCE (CapBnd $(printf %x "$bnd"))"
	fi
	run docker run --rm --privileged cseclab/busybox true
	assert_failure 125
	assert_output --partial 'unable to apply caps: operation not permitted'
	run docker run --rm --cap-add ALL cseclab/busybox true
	assert_failure 125
	assert_output --partial 'unable to apply caps: operation not permitted'
	run docker run --rm --cap-add ALL --cap-drop SYS_RESOURCE cseclab/labs capsh --print
	assert_success
	# Every capability of this kernel but SYS_RESOURCE and those newer than the engine's list
	# (on a 6.x kernel perfmon, bpf, checkpoint_restore: 38-40), decoded by libcap's capsh.
	last=$(cat /proc/sys/kernel/cap_last_cap)
	gone=$(capsh --decode="$(printf 0x%x $((((1 << (last + 1)) - 1) & ~want)))" | sed 's/^0x[0-9a-f]*=//')
	assert_line "Current: =ep $gone-ep"
	assert_line --regexp '^Bounding set =.*,cap_sys_admin,'
	refute_line --regexp '^Bounding set =.*cap_sys_resource'
}

@test "--cap-add SYS_TIME also opens clock_settime in Docker's seccomp profile" {
	docker image inspect cseclab/bookworm >/dev/null 2>&1 || skip "cseclab/bookworm not built"
	# clock_settime(99, NULL): an invalid clock, so nothing changes: the filter answers EPERM,
	# the kernel (once past the filter) EINVAL.
	local probe='syscall(227, 99, 0); print "clock_settime: $!\n"'
	run docker run --rm cseclab/bookworm perl -e "$probe"
	assert_output 'clock_settime: Operation not permitted'
	run docker run --rm --cap-add SYS_TIME cseclab/bookworm perl -e "$probe"
	assert_output 'clock_settime: Invalid argument'
	# Control: unconfined, without the capability, the kernel itself says EINVAL first.
	run docker run --rm --security-opt seccomp=unconfined cseclab/bookworm perl -e "$probe"
	assert_output 'clock_settime: Invalid argument'
}

@test "privileges: every container of this file is gone" {
	assert_no_docker_leftovers
}
