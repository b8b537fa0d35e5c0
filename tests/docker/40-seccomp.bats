load ../helpers
load docker
# lanes: docker
# Seccomp under Docker: COURSE-DEMOS #53-61, #79-89 (profiles per container and daemon-wide,
# deny-all, no-chmod, the traced apiserver profile with and without no-new-privileges, strace
# -c), and parity: Docker's loader (runc) and seccomp-run give the same answers for a profile.

setup_file() {
	docker_setup_file labs apiserver:multi apiserver:strace
	requires seccomp-filter
}
teardown_file() {
	"$CSECLAB_ROOT/scripts/docker-engine" stop-aux sdflt
	docker_teardown_file
}
teardown() { rm_containers; }

PROFILES=$CSECLAB_ROOT/docker/profiles

need_profile() { [ -r "$PROFILES/$1" ] || skip "docker/profiles/$1 is missing (made by the seccomp lab: scripts/mkprofiles)"; }

# apiserver's traced allow-list plus what runc itself calls between loading the filter and
# execve when no_new_privs lets it load the filter last: futex, getpid, getdents64, fstatfs
# (runc 1.1 closes inherited fds by listing /proc/self/fd). Written to $1, minus syscall $2.
runc_profile() {
	jq --arg drop "${2:-}" '.syscalls[0].names += ["futex", "getpid", "getdents64", "fstatfs"]
		| .syscalls[0].names -= [$drop]' "$PROFILES/apiserver.json" >"$1"
}

@test "tour: Seccomp 2 in a default container, 0 with --security-opt seccomp=unconfined" {
	show docker run --rm cseclab/busybox grep Seccomp: /proc/self/status
	assert_output --regexp '^Seccomp:\s+2$'
	show docker run --rm --security-opt seccomp=unconfined cseclab/busybox grep Seccomp: /proc/self/status
	assert_output --regexp '^Seccomp:\s+0$'
}

@test "deny.json (every syscall refused) prevents the container from starting at all" {
	need_profile deny.json
	run docker run --rm --name cseclab-deny --security-opt "seccomp=$PROFILES/deny.json" cseclab/busybox true
	assert_failure
	assert_output --partial 'Error response from daemon'
	# Control: the same container with Docker's default profile runs.
	run docker run --rm cseclab/busybox true
	assert_success
}

@test "tour: default-no-chmod.json: chmod fails with Operation not permitted, the rest works" {
	need_profile default-no-chmod.json
	show docker run --rm --security-opt "seccomp=$PROFILES/default-no-chmod.json" cseclab/busybox \
		sh -c 'touch /tmp/f && echo touch-ok; chmod 600 /tmp/f || echo chmod-failed'
	assert_line touch-ok
	assert_line --partial 'chmod: /tmp/f: Operation not permitted'
	assert_line chmod-failed
	# Control: Docker's default profile allows chmod.
	run docker run --rm cseclab/busybox sh -c 'touch /tmp/f && chmod 600 /tmp/f && echo chmod-ok'
	assert_output chmod-ok
}

@test "a daemon-wide profile (dockerd --seccomp-profile) applies to every container of that engine" {
	need_profile default-no-chmod.json
	local host
	host=$("$CSECLAB_ROOT/scripts/docker-engine" start-aux sdflt --seccomp-profile "$PROFILES/default-no-chmod.json")
	run env DOCKER_HOST="$host" docker run --rm cseclab/busybox sh -c 'touch /tmp/f; chmod 600 /tmp/f'
	assert_failure
	assert_output --partial 'Operation not permitted'
	run env DOCKER_HOST="$host" docker info --format '{{json .SecurityOptions}}'
	assert_output --partial 'name=seccomp,profile='
	refute_output --partial 'profile=default'
	# Control: the lane's own engine, with the built-in default, allows chmod.
	run docker run --rm cseclab/busybox sh -c 'touch /tmp/f && chmod 600 /tmp/f && echo chmod-ok'
	assert_output chmod-ok
	"$CSECLAB_ROOT/scripts/docker-engine" stop-aux sdflt
}

@test "strace -c -f in Dockerfile.strace counts apiserver's system calls while the API is used" {
	docker run -d --name cseclab-strace --security-opt seccomp=unconfined --cap-add SYS_PTRACE cseclab/apiserver:strace
	wait_log cseclab-strace 'listening on'
	run in_net cseclab-strace curl -s -o /dev/null -w '%{http_code}' -X POST \
		-d '{"code":"IE","name":"Ireland","capital":"Dublin","continent":"Europe"}' http://127.0.0.1:8000/countries
	assert_output 201
	docker stop cseclab-strace
	run docker logs cseclab-strace
	local names
	names=$(echo "$output" | awk '/^------/ { n++; next } n == 1 { print $NF }')
	echo "# apiserver made $(echo "$names" | wc -l) distinct syscalls (the course's Go server: 29)" >&3
	echo "$names" | grep -qx listen
	echo "$names" | grep -qx accept4
	echo "$names" | grep -qx epoll_wait
	# Not a tolerance: a floor showing the trace saw a whole server start (the exact checks
	# are the calls above; Go runtimes differ by a few calls around the course's 29).
	[ "$(echo "$names" | wc -l)" -ge 20 ]
}

@test "tour: apiserver's traced profile starts only with no-new-privileges; without listen it fails at listen" {
	need_profile apiserver.json
	local p=$BATS_TEST_TMPDIR/apiserver-runc.json nolisten=$BATS_TEST_TMPDIR/no-listen.json
	runc_profile "$p"
	runc_profile "$nolisten" listen
	# Without no_new_privs runc loads the filter early and then needs calls the trace never saw.
	run docker run -d --name cseclab-api-nonnp --cap-drop ALL --cap-add NET_BIND_SERVICE \
		--security-opt "seccomp=$p" cseclab/apiserver:multi
	assert_failure
	assert_output --partial 'operation not permitted'
	show docker run -d --name cseclab-api-nnp --cap-drop ALL --cap-add NET_BIND_SERVICE \
		--security-opt no-new-privileges --security-opt "seccomp=$p" cseclab/apiserver:multi
	assert_success
	wait_log cseclab-api-nnp 'listening on'
	run in_net cseclab-api-nnp curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8000/countries
	assert_output 200
	run docker exec cseclab-api-nnp true
	assert_failure # the profile has no room for an exec'd process either
	# Without listen: the CLI prints an ID, the container exits at once and its log says why.
	docker run -d --name cseclab-api-nolisten --security-opt no-new-privileges --security-opt "seccomp=$nolisten" cseclab/apiserver:multi
	run docker wait cseclab-api-nolisten
	assert_output 1
	run docker logs cseclab-api-nolisten
	assert_output --partial 'apiserver: listen: Operation not permitted'
}

# probe_parity PROFILE: scprobe under Docker's loader vs under seccomp-run in an unconfined
# container with Docker's default capabilities; prints the differing probes.
probe_parity() {
	local prof=$1
	docker run --rm --security-opt "seccomp=$prof" cseclab/labs scprobe >"$BATS_TEST_TMPDIR/docker.txt"
	docker run --rm --security-opt seccomp=unconfined -v "$prof:/profile.json:ro" cseclab/labs \
		seccomp-run --profile /profile.json -- scprobe >"$BATS_TEST_TMPDIR/seccomp-run.txt"
	docker run --rm --security-opt seccomp=unconfined cseclab/labs scprobe >"$BATS_TEST_TMPDIR/unconfined.txt"
}

# The highest syscall number a profile names (x86_64 numbers from the kernel headers).
max_nr() {
	local h=/usr/include/x86_64-linux-gnu/asm/unistd_64.h
	jq -r '.syscalls[].names[]' "$1" | sort -u |
		awk -v h="$h" 'BEGIN { while ((getline l < h) > 0) { split(l, f, " "); if (f[2] ~ /^__NR_/) nr[substr(f[2], 6)] = f[3] } }
			($1 in nr) && nr[$1] + 0 > m { m = nr[$1] + 0 } END { print m }'
}

nr_of() {
	awk -v n="__NR_$1" '$2 == n { print $3 }' /usr/include/x86_64-linux-gnu/asm/unistd_64.h
}

check_parity() {
	local prof=$1 max diffs line name
	probe_parity "$prof"
	max=$(max_nr "$prof")
	# Both loaders installed a filter, and it changed answers compared with no filter.
	if cmp -s "$BATS_TEST_TMPDIR/docker.txt" "$BATS_TEST_TMPDIR/unconfined.txt"; then
		fail "$(basename "$prof") changed no probe's answer: the same output as with seccomp=unconfined"
	fi
	grep -qx 'unshare: errno EPERM' "$BATS_TEST_TMPDIR/docker.txt"
	grep -qx 'unshare: ok' "$BATS_TEST_TMPDIR/unconfined.txt"
	diffs=$(diff "$BATS_TEST_TMPDIR/docker.txt" "$BATS_TEST_TMPDIR/seccomp-run.txt" | grep '^<' || true)
	echo "# $(basename "$prof"): $(wc -l <"$BATS_TEST_TMPDIR/docker.txt") probes, highest syscall named: $max; differing: $(echo "$diffs" | grep -c . || true)" >&3
	# The only differences allowed: runc answers ENOSYS above the highest number the profile
	# names (a syscall newer than the profile), where seccomp-run applies the default action.
	while read -r line; do
		[ -n "$line" ] || continue
		name=${line#< }
		name=${name%%:*}
		[[ $line == *'errno ENOSYS' ]] || fail "Docker and seccomp-run differ on $name: $line"
		grep -qx "$name: errno EPERM" "$BATS_TEST_TMPDIR/seccomp-run.txt" || fail "$name: seccomp-run did not answer EPERM"
		local nr
		nr=$(nr_of "$name")
		[ -z "$nr" ] || [ "$nr" -gt "$max" ] || fail "$name ($nr) is not above the profile's highest syscall ($max)"
	done <<<"$diffs"
}

@test "tour: parity: scprobe gives the same answers under docker --security-opt and under seccomp-run (Docker's default profile)" {
	[ -r "$DOCKER_DEFAULT_PROFILE" ] || skip "Docker's default profile is not installed (golang-github-docker-docker-dev)"
	check_parity "$DOCKER_DEFAULT_PROFILE"
	# Seccomp 2 under both loaders.
	run docker run --rm --security-opt seccomp=unconfined -v "$DOCKER_DEFAULT_PROFILE:/p.json:ro" cseclab/labs \
		seccomp-run --profile /p.json -- grep Seccomp: /proc/self/status
	assert_output --regexp '^Seccomp:\s+2$'
}

@test "parity: the same for the lab's default-no-chmod profile, chmod refused by both" {
	need_profile default-no-chmod.json
	check_parity "$PROFILES/default-no-chmod.json"
	grep -qx 'chmod: errno EPERM' "$BATS_TEST_TMPDIR/docker.txt"
	grep -qx 'chmod: errno EPERM' "$BATS_TEST_TMPDIR/seccomp-run.txt"
	grep -qx 'chmod: errno ENOENT' "$BATS_TEST_TMPDIR/unconfined.txt"
}

# shellcheck disable=SC2016 # $ expands in the shell the command runs, not here
@test "a profile's flags: this engine does not apply SECCOMP_FILTER_FLAG_LOG (nothing logged), seccomp-run does" {
	requires root seccomp-log
	grep -qw errno /proc/sys/kernel/seccomp/actions_logged ||
		skip "kernel.seccomp.actions_logged lacks errno: the kernel would log nothing"
	local prof=$BATS_TEST_TMPDIR/log.json id cfg flags runc nr pid want=1
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG"],
	       "syscalls": [{"names": ["add_key"], "action": "SCMP_ACT_ERRNO"}]}' >"$prof"
	# What dockerd hands runc: the OCI config of a running container, and runc's version.
	# runc applies LOG only since 1.2, and only if the engine passes the flag on.
	id=$(docker run -d --name cseclab-seccomp-flags --security-opt "seccomp=$prof" cseclab/labs sleep 60)
	cfg=$(find /run -path "*$id*" -name config.json 2>/dev/null | head -1)
	[ -n "$cfg" ] || fail "no OCI config.json for container $id under /run"
	flags=$(jq -c '.linux.seccomp.flags' "$cfg")
	runc=$(docker version --format '{{range .Server.Components}}{{if eq .Name "runc"}}{{.Version}}{{end}}{{end}}')
	[ -n "$runc" ] || fail "docker version names no runc component"
	if [[ $flags == *SECCOMP_FILTER_FLAG_LOG* ]] && printf '%s\n' 1.2 "$runc" | sort -CV; then
		want=2
	fi
	docker rm -f cseclab-seccomp-flags >/dev/null
	run -0 seccomp-run --profile "$prof" --explain add_key
	nr=$(sed -n 's/^syscall: add_key (number \([0-9]*\) on .*$/\1/p' <<<"$output")
	mark_kmsg
	# the profile itself applies under Docker: add_key is refused (control: unconfined, the
	# kernel's own answer to a NULL type)
	run -0 docker run --rm --security-opt seccomp=unconfined cseclab/labs scprobe add_key
	assert_output 'add_key: errno EFAULT'
	run -0 docker run --rm --security-opt "seccomp=$prof" cseclab/labs scprobe add_key
	assert_output 'add_key: errno EPERM'
	# then the same profile under seccomp-run, whose logged line ends the wait
	run -0 seccomp-run --profile "$prof" -- sh -c 'echo "pid=$$"; exec scprobe add_key'
	assert_line 'add_key: errno EPERM'
	pid=${lines[0]#pid=}
	wait_kmsg "type=1326 .* pid=$pid comm=\"scprobe\" .* syscall=$nr "
	run after_mark
	assert_equal "$(grep -c "type=1326 .* comm=\"scprobe\" .* syscall=$nr " <<<"$output")" "$want"
}

@test "seccomp: every container of this file is gone" {
	assert_no_docker_leftovers
}
