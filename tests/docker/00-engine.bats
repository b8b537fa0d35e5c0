load ../helpers
load docker
# lanes: docker
# The engine itself (foundation issue, docker lane): what it offers and what doctor sees from
# inside one of its containers. COURSE-DEMOS #53, #79 (docker info), #10 (namespaces by default).

setup_file() { docker_setup_file labs; }
teardown_file() { docker_teardown_file; }
teardown() { rm_containers; }

@test "tour: docker info lists seccomp among the security options, with Docker's default profile" {
	show docker info --format '{{json .SecurityOptions}}'
	assert_success
	assert_output --partial '"name=seccomp,profile=default"'
	# The course's "apparmor seccomp" needs AppArmor in the kernel; this one has none.
	if doctor --check apparmor >/dev/null; then
		assert_output --partial 'name=apparmor'
	else
		refute_output --partial 'apparmor'
	fi
	run docker info
	assert_line ' Security Options:'
	assert_line '  seccomp'
	assert_line '   Profile: default'
}

@test "the engine uses the cgroupfs driver on this host's cgroup version" {
	run docker info --format '{{.CgroupDriver}} {{.CgroupVersion}}'
	assert_success
	if doctor --check cgroup-v2 >/dev/null; then
		assert_output --regexp '^(cgroupfs|systemd) 2$'
	else
		assert_output 'cgroupfs 1'
	fi
}

@test "tour: doctor inside a container: seccomp mode 2, Docker's 14 capabilities, its own PID namespace" {
	show docker run --rm --name cseclab-doctor cseclab/labs doctor
	assert_success
	assert_line 'seccomp mode: 2 (0 none, 1 strict, 2 filter)'
	assert_line "capabilities effective: $DOCKER_DEFAULT_CAPS"
	assert_line "capabilities permitted: $DOCKER_DEFAULT_CAPS"
	assert_line 'container: docker'
	# Control: doctor on the host runs with no filter and every capability.
	run doctor
	assert_line 'seccomp mode: 0 (0 none, 1 strict, 2 filter)'
	refute_line "capabilities effective: $DOCKER_DEFAULT_CAPS"
}

@test "doctor's container runs in a PID namespace other than the host's (inodes compared)" {
	docker run -d --name cseclab-doctor cseclab/labs sleep 60
	local pid
	pid=$(cpid cseclab-doctor)
	run docker exec cseclab-doctor doctor --check pidns
	# In the container the namespace is new, and doctor cannot make another one (no CAP_SYS_ADMIN).
	assert_failure 1
	assert_output --partial 'Operation not permitted'
	[ "$(ns_of "$pid" pid)" != "$(ns_of $$ pid)" ]
	run docker exec cseclab-doctor sh -c 'echo $$; ps -o pid= | wc -l'
	# PID numbers start again at 1 inside: the shell is a low number, not the host's.
	[ "${lines[0]}" -lt 100 ]
}

@test "scripts/docker-engine: start is idempotent and status names the engine" {
	run "$CSECLAB_ROOT/scripts/docker-engine" start
	assert_success
	assert_output --regexp 'answers|already running'
	run "$CSECLAB_ROOT/scripts/docker-engine" status
	assert_success
	assert_output --regexp '^docker-engine: dockerd [0-9.]+.* answers'
	run "$CSECLAB_ROOT/scripts/docker-engine" bogus
	assert_failure 2
}

@test "networking: with a bridge each container has its own address and -p works through docker-proxy" {
	[ "$(cat /run/cseclab-dockerd/network 2>/dev/null)" = bridge ] ||
		skip "the engine runs with --bridge=none here (no bridge/veth): servers are reached with --network container:NAME or nsenter"
	docker run -d --name cseclab-web -p 127.0.0.1:18080:80 cseclab/busybox \
		sh -c 'mkdir /w && echo cseclab-hello >/w/index.html && exec httpd -f -p 80 -h /w'
	local ip i
	ip=$(docker inspect -f '{{.NetworkSettings.IPAddress}}' cseclab-web)
	[[ $ip =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]
	for ((i = 0; i < 20; i++)); do
		curl -sf -m 2 "http://$ip/" >/dev/null && break
		sleep 0.2
	done
	run curl -s -m 3 "http://$ip/"
	assert_output cseclab-hello
	run curl -s -m 3 http://127.0.0.1:18080/
	assert_output cseclab-hello
	# Control: the port is published only while the container runs.
	docker rm -f cseclab-web
	run curl -s -m 3 http://127.0.0.1:18080/
	assert_failure
}

@test "engine: every container of this file is gone" {
	assert_no_docker_leftovers
}
