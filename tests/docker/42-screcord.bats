load ../helpers
load docker
# lanes: docker
# screcord under Docker: a container's profile recorded with eBPF from the host, by cgroup. From
# its start, under a --cgroup-parent made before `docker run` (runc puts the container's cgroup
# v2 below it, as on a hybrid host's /sys/fs/cgroup/unified): the profile must let a new
# container of the same image serve. Attached to a container already running: its execve and
# its loader's calls happened before, and the profile lacks them.

PARENT=cseclab-screcord-docker

setup_file() {
	docker_setup_file apiserver:multi
}
teardown_file() { docker_teardown_file; }

# doctor's row of screcord decides, and screcord --cgroup watches v2 cgroups only.
setup() {
	requires lab:screcord cgroup-v2-mount
	V2=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
}

teardown() {
	if [ -n "${rec:-}" ]; then
		kill -KILL "$rec" 2>/dev/null || true
		wait "$rec" 2>/dev/null || true
	fi
	rm_containers
	# --cgroup-parent made the parent in every hierarchy (runc, cgroupfs driver): remove them
	local m
	while read -r m; do
		if [ -d "$m/$PARENT" ]; then rmdir "$m/$PARENT"; fi
	done < <(cg_mounts)
	assert_no_docker_leftovers
}

# Start screcord ARGS... in the background (stderr in rec.log); return once it records. As
# run_lab: if it ended saying it cannot run here (exit 77), doctor said it can, and the test fails.
start_recorder() {
	screcord "$@" 2>"$BATS_TEST_TMPDIR/rec.log" 3>&- &
	rec=$!
	local i st=0
	for i in $(seq 100); do
		if grep -q '^screcord: recording ' "$BATS_TEST_TMPDIR/rec.log"; then return 0; fi
		kill -0 "$rec" 2>/dev/null || break
		sleep 0.05
	done
	if ! kill -0 "$rec" 2>/dev/null; then
		wait "$rec" || st=$?
		rec=
		if [ "$st" -eq 77 ]; then
			fail "screcord says it cannot run here (exit 77: $(cat "$BATS_TEST_TMPDIR/rec.log")), but doctor says lab:screcord can run"
		fi
	fi
	cat "$BATS_TEST_TMPDIR/rec.log" >&2
	return 1
}

# Wait for screcord to end by itself (its cgroup emptied); its log in $output.
wait_recorder() {
	local st=0
	wait "$rec" || st=$?
	rec=
	assert_equal "$st" 0
	run cat "$BATS_TEST_TMPDIR/rec.log"
}

IE='{"code":"IE","name":"Ireland","capital":"Dublin","continent":"Europe"}'

# The status code of a request to apiserver in container $1: METHOD PATH [BODY].
api() {
	in_net "$1" curl -s -o /dev/null -w '%{http_code}' -X "$2" ${4:+-d "$4"} "http://127.0.0.1:8000$3"
}

@test "screcord on a --cgroup-parent made before docker run: the profile lets a new container of the same image serve" {
	local prof=$BATS_TEST_TMPDIR/api.json
	mkdir "$V2/$PARENT"
	start_recorder -c -o "$prof" --cgroup "$V2/$PARENT"
	# Unconfined while recording: a call Docker's default profile refuses never reaches
	# sys_enter, and the recorded profile would then refuse it with EPERM, not ENOSYS.
	docker run -d --name cseclab-rec-api --cgroup-parent "/$PARENT" --security-opt seccomp=unconfined \
		cseclab/apiserver:multi
	wait_log cseclab-rec-api 'listening on'
	run api cseclab-rec-api POST /countries "$IE"
	assert_output 201
	run api cseclab-rec-api GET /countries/IE
	assert_output 200
	docker stop cseclab-rec-api
	wait_recorder # the container's end empties the parent: screcord stops and writes
	refute_line --partial 'already runs processes'
	run jq -r '.syscalls[0].names[]' "$prof"
	assert_line execve
	assert_line listen
	assert_line accept4

	docker run -d --name cseclab-rec-api2 --security-opt "seccomp=$prof" cseclab/apiserver:multi
	wait_log cseclab-rec-api2 'listening on'
	run api cseclab-rec-api2 POST /countries "$IE"
	assert_output 201
	run api cseclab-rec-api2 GET /countries/IE
	assert_output 200
	# control: the same profile without listen fails where apiserver listens
	jq '.syscalls[0].names -= ["listen"]' "$prof" >"$BATS_TEST_TMPDIR/nolisten.json"
	docker run -d --name cseclab-rec-nolisten --security-opt "seccomp=$BATS_TEST_TMPDIR/nolisten.json" \
		cseclab/apiserver:multi
	run docker wait cseclab-rec-nolisten
	assert_output 1
	run docker logs cseclab-rec-nolisten
	assert_output --partial 'apiserver: listen: Operation not permitted'
}

@test "screcord attached to a running container misses its execve and its loader: a new container cannot start with that profile" {
	local prof=$BATS_TEST_TMPDIR/late.json dir
	docker run -d --name cseclab-rec-late --security-opt seccomp=unconfined cseclab/apiserver:multi
	wait_log cseclab-rec-late 'listening on'
	dir=$V2$(awk -F: '$1 == "0" { print $3 }' "/proc/$(cpid cseclab-rec-late)/cgroup")
	start_recorder -c -o "$prof" --cgroup "$dir"
	run api cseclab-rec-late POST /countries "$IE"
	assert_output 201
	run api cseclab-rec-late GET /countries/IE
	assert_output 200
	docker stop cseclab-rec-late
	wait_recorder
	assert_line "screcord: $dir already runs processes: what they did before now (their execve, the loader, their start-up) is not recorded"
	assert_line --regexp '^ +[0-9]+  accept4$'
	# what runc and the loader did before the recording began: absent
	refute_line --regexp ' (execve|mmap|mprotect|arch_prctl|set_tid_address|listen)$'
	run docker run -d --name cseclab-rec-late2 --security-opt "seccomp=$prof" cseclab/apiserver:multi
	assert_failure
	assert_output --partial 'operation not permitted'
}
