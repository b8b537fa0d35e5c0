load ../helpers
load docker
# lanes: docker
# Namespaces under Docker: COURSE-DEMOS #10 (what a container gets, what can be shared),
# #11-16 (the message-queue demo across IPC namespaces), and --userns-remap.

setup_file() { docker_setup_file labs receiver sender; }
teardown_file() { docker_teardown_file; }
teardown() { rm_containers; }

# nsline PID1 PID2 KIND: nsinfo's verdict for one namespace kind ("same" or "differs").
nsverdict() {
	nsinfo "$1" "$2" | awk -v k="$3" '$1 == k { print $NF }'
}

@test "tour: a default container gets new pid, net, mnt, uts and ipc namespaces; user and time are the host's" {
	docker run -d --name cseclab-ns cseclab/busybox sleep 60
	show nsinfo $$ "$(cpid cseclab-ns)"
	assert_success
	local k
	for k in pid net mnt uts ipc; do
		assert_line --regexp "^$k +[0-9]+ +[0-9]+ +differs$"
	done
	# No --userns-remap: root in the container is root on the host.
	assert_line --regexp '^user +[0-9]+ +[0-9]+ +same$'
	assert_line --regexp '^time +[0-9]+ +[0-9]+ +same$'
	# cgroup namespace: private on cgroup v2, the host's on v1 (Docker 20.10's default cgroupns mode).
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		assert_line --regexp '^cgroup +[0-9]+ +[0-9]+ +differs$'
	else
		assert_line --regexp '^cgroup +[0-9]+ +[0-9]+ +same$'
	fi
}

@test "--pid host shares the host's PID namespace, --uts host its hostname" {
	docker run -d --name cseclab-pidhost --pid host --uts host cseclab/busybox sleep 60
	local pid
	pid=$(cpid cseclab-pidhost)
	[ "$(nsverdict $$ "$pid" pid)" = same ]
	[ "$(nsverdict $$ "$pid" uts)" = same ]
	[ "$(nsverdict $$ "$pid" net)" = differs ]
	run docker exec cseclab-pidhost hostname
	assert_output "$(hostname)"
	# The host's processes are visible: this very bats process among them.
	run docker exec cseclab-pidhost sh -c "test -d /proc/$$ && echo sees-host-pid-$$"
	assert_output "sees-host-pid-$$"
	# Control: a default container sees neither.
	docker run -d --name cseclab-pidown cseclab/busybox sleep 60
	[ "$(nsverdict $$ "$(cpid cseclab-pidown)" pid)" = differs ]
	run -1 docker exec cseclab-pidown sh -c "test -d /proc/$$ && echo sees-host-pid-$$"
	refute_output "sees-host-pid-$$"
}

@test "--network container:NAME joins that container's network namespace; --network host the host's" {
	docker run -d --name cseclab-netowner cseclab/busybox sleep 60
	docker run -d --name cseclab-netjoin --network container:cseclab-netowner cseclab/busybox sleep 60
	docker run -d --name cseclab-nethost --network host cseclab/busybox sleep 60
	[ "$(nsverdict "$(cpid cseclab-netowner)" "$(cpid cseclab-netjoin)" net)" = same ]
	[ "$(nsverdict "$(cpid cseclab-netowner)" "$(cpid cseclab-netjoin)" pid)" = differs ]
	[ "$(nsverdict $$ "$(cpid cseclab-nethost)" net)" = same ]
	[ "$(nsverdict $$ "$(cpid cseclab-netowner)" net)" = differs ]
	# The joined container reaches a server on the owner's loopback.
	docker exec -d cseclab-netowner sh -c 'echo cseclab-net | nc -l -p 7000'
	sleep 0.5
	run docker exec cseclab-netjoin sh -c 'nc 127.0.0.1 7000 </dev/null'
	assert_output cseclab-net
}

@test "--ipc host and --ipc container:NAME share IPC namespaces; a private one cannot be joined" {
	docker run -d --name cseclab-ipcprivate cseclab/busybox sleep 60
	run docker run --rm --ipc container:cseclab-ipcprivate cseclab/busybox true
	assert_failure 125
	assert_output --partial 'non-shareable IPC'
	# The engine chose "private" (dockerd's default-ipc-mode since 20.10; 17.06-19.03: shareable).
	run docker inspect -f '{{.HostConfig.IpcMode}}' cseclab-ipcprivate
	assert_output private
	docker run -d --name cseclab-ipchost --ipc host cseclab/busybox sleep 60
	[ "$(nsverdict $$ "$(cpid cseclab-ipchost)" ipc)" = same ]
}

@test "tour: mqueue demo: host and private senders fail (ENOENT); three --ipc container:receiver senders deliver" {
	docker run -d --name cseclab-receiver --ipc shareable cseclab/receiver -n 3
	wait_log cseclab-receiver 'waiting for messages'
	# The course's item 13: the queue lives in the container's IPC namespace, not the host's.
	show sender -i host hello
	assert_failure 1
	assert_output --partial 'mq_open /cseclab-demo: No such file or directory'
	# Item 16: a sender container without --ipc has a private IPC namespace of its own.
	run docker run --rm --name cseclab-sender0 cseclab/sender -i private hello
	assert_failure 1
	assert_output --partial 'No such file or directory'
	# Items 14-15: senders in the receiver's IPC namespace.
	local i
	for i in 1 2 3; do
		show docker run --rm --name "cseclab-sender$i" --ipc container:cseclab-receiver cseclab/sender -i "sender$i" "hello $i"
		assert_success
	done
	run docker wait cseclab-receiver
	assert_output 0
	run docker logs cseclab-receiver
	assert_line 'message from sender1: hello 1'
	assert_line 'message from sender2: hello 2'
	assert_line 'message from sender3: hello 3'
	refute_output --partial 'from host'
	refute_output --partial 'from private'
}

@test "--userns-remap (a second engine): root in the container is an unprivileged uid on the host" {
	local subid=/etc/subuid subgid=/etc/subgid host
	grep -q '^cseclab:' "$subid" 2>/dev/null && skip "cseclab already has a subordinate uid range here; not touching it"
	cp -a "$subid" "$BATS_FILE_TMPDIR/subuid" 2>/dev/null || : >"$BATS_FILE_TMPDIR/subuid.absent"
	cp -a "$subgid" "$BATS_FILE_TMPDIR/subgid" 2>/dev/null || : >"$BATS_FILE_TMPDIR/subgid.absent"
	echo 'cseclab:362144:65536' >>"$subid"
	echo 'cseclab:362144:65536' >>"$subgid"
	host=$("$CSECLAB_ROOT/scripts/docker-engine" start-aux remap --userns-remap=cseclab)
	DOCKER_HOST=$host docker run -d --name cseclab-remap cseclab/busybox sleep 60
	local pid
	pid=$(DOCKER_HOST=$host cpid cseclab-remap)
	run env DOCKER_HOST="$host" docker exec cseclab-remap id -u
	assert_output 0
	run ps -o uid= -p "$pid"
	assert_output --regexp '^ *362144$'
	[ "$(nsverdict $$ "$pid" user)" = differs ]
	DOCKER_HOST=$host docker rm -f cseclab-remap
	run "$CSECLAB_ROOT/scripts/docker-engine" stop-aux remap
	assert_success
	run grep cseclab-docker-remap /proc/self/mounts
	assert_failure
	# ...and the main engine's bridge is still there (a bridge-less dockerd would delete it).
	if [ "$(cat /run/cseclab-dockerd/network 2>/dev/null)" = bridge ]; then
		ip link show docker0 >/dev/null
	fi
	run ip link show cseclab-x-remap
	assert_failure
}

teardown_file() {
	"$CSECLAB_ROOT/scripts/docker-engine" stop-aux remap
	local f
	for f in subuid subgid; do
		if [ -e "$BATS_FILE_TMPDIR/$f" ]; then
			cp -a "$BATS_FILE_TMPDIR/$f" "/etc/$f"
		elif [ -e "$BATS_FILE_TMPDIR/$f.absent" ]; then
			rm -f "/etc/$f"
		fi
	done
	docker_teardown_file
}

@test "namespaces: every container of this file is gone" {
	assert_no_docker_leftovers
}
