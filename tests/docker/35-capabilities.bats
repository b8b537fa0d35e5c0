load ../helpers
load docker
# lanes: docker
# COURSE-DEMOS #45: Docker's default whitelist has 14 capabilities, CAP_SYS_ADMIN and
# CAP_NET_ADMIN not among them; --cap-add and --cap-drop repeat, take names without CAP_, and
# accept ALL. Every set here is the kernel's: the Cap* masks of /proc/self/status inside a real
# container, decoded by libcap's capsh. Nothing is compared with a list of our own.

setup_file() { docker_setup_file busybox; }
teardown_file() { docker_teardown_file; }
teardown() { rm_containers; }

# Capability numbers of <linux/capability.h> (capabilities(7)): a kernel ABI, fixed forever.
CAP_CHOWN=0 CAP_KILL=5 CAP_NET_BIND_SERVICE=10 CAP_NET_ADMIN=12 CAP_SYS_ADMIN=21

# mask FIELD [DOCKER-RUN-OPTION...]: a Cap* line of /proc/self/status in a new container (hex).
mask() {
	local field=$1
	shift
	docker run --rm "$@" cseclab/busybox awk -v f="$field:" '$1 == f { print $2 }' /proc/self/status
}

# The capability numbers set in a hex mask, one per line.
bits() {
	local m=$((16#$1)) i
	for ((i = 0; i < 64; i++)); do
		if (((m >> i) & 1)); then echo "$i"; fi
	done
}

has_bit() { (((16#$1 >> $2) & 1)); }

@test "Docker's default set, read from a container's /proc/self/status: 14 capabilities, no sys_admin, no net_admin" {
	requires tool:capsh
	local eff bnd prm host_bnd
	eff=$(mask CapEff)
	prm=$(mask CapPrm)
	bnd=$(mask CapBnd)
	run -0 capsh --decode="$eff"
	echo "# a default container's CapEff: $output" >&3
	assert_equal "$(bits "$eff" | wc -l)" 14
	# Root in the container: permitted = effective = bounding; nothing inheritable or ambient.
	assert_equal "$prm" "$eff"
	assert_equal "$bnd" "$eff"
	assert_equal "$(mask CapInh)" 0000000000000000
	assert_equal "$(mask CapAmb)" 0000000000000000
	if has_bit "$eff" $CAP_SYS_ADMIN; then fail "sys_admin is in the default set: $output"; fi
	if has_bit "$eff" $CAP_NET_ADMIN; then fail "net_admin is in the default set: $output"; fi
	refute_output --partial cap_sys_admin
	refute_output --partial cap_net_admin
	# Control: the engine had both to give (this shell's bounding set, as root on the host).
	host_bnd=$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)
	has_bit "$host_bnd" $CAP_SYS_ADMIN
	has_bit "$host_bnd" $CAP_NET_ADMIN
}

@test "--cap-drop and --cap-add repeat, take names without CAP_ and accept ALL: the kernel's set follows" {
	local dflt m
	dflt=$(mask CapEff)
	# Two drops: 12 left, chown and kill gone.
	m=$(mask CapEff --cap-drop CHOWN --cap-drop KILL)
	assert_equal "$(bits "$m" | wc -l)" 12
	if has_bit "$m" $CAP_CHOWN || has_bit "$m" $CAP_KILL; then fail "dropped, still set: $m"; fi
	assert_equal "$((16#$m | (1 << CAP_CHOWN) | (1 << CAP_KILL)))" "$((16#$dflt))"
	# Two adds: 16, the two the default leaves out now in.
	m=$(mask CapEff --cap-add SYS_ADMIN --cap-add NET_ADMIN)
	assert_equal "$(bits "$m" | wc -l)" 16
	assert_equal "$((16#$m))" "$((16#$dflt | (1 << CAP_SYS_ADMIN) | (1 << CAP_NET_ADMIN)))"
	# ALL dropped: nothing, in every set.
	assert_equal "$(mask CapEff --cap-drop ALL)" 0000000000000000
	assert_equal "$(mask CapBnd --cap-drop ALL)" 0000000000000000
	# ALL dropped, one added: exactly that one.
	m=$(mask CapEff --cap-drop ALL --cap-add NET_BIND_SERVICE)
	assert_equal "$(bits "$m")" "$CAP_NET_BIND_SERVICE"
}

@test "capabilities: every container of this file is gone" {
	assert_no_docker_leftovers
}
