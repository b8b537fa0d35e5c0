#!/usr/bin/env bats
# lanes: host vm
# shellcheck disable=SC2016 # sh -c and awk programs are single-quoted on purpose
# A process's cgroup directory is found from /proc/PID/cgroup and mountinfo on any layout, also
# where the mount does not show the hierarchy from its root (common/cgroup.c, through cgtree):
# in a cgroup namespace made inside a cgroup of ours, /proc/self/cgroup reads "/" and the mount's
# root (mountinfo field 4) "/.."; under a mount that shows only a sub-tree, as inside a container
# without a cgroup namespace, the path keeps its name and the mount's root is that sub-tree.
load helpers

setup() {
	requires root cgroup-pids
	local root
	read -r MNT root _ < <(cg_mount pids)
	[ "$root" = / ] || skip "the pids hierarchy is mounted from its cgroup $root here, not from its root"
	CG=$MNT/cseclab-cgpaths
	mkdir "$CG"
}

teardown() {
	if [ -d "${CG:-}" ]; then rmdir "$CG"; fi
}

@test "cgtree: in a cgroup namespace made inside cseclab-cgpaths, the path reads / and the directory is still found" {
	requires cgroupns tool:unshare
	# Control: in our cgroup namespace the path names the cgroup.
	run -0 sh -c 'echo $$ >"$0/cgroup.procs" && exec cgtree' "$CG"
	assert_line --regexp "^  [0-9]+:[^:]*:/cseclab-cgpaths +$CG\$"
	run -0 sh -c 'echo $$ >"$0/cgroup.procs" && exec unshare -C sh -c "cat /proc/self/mountinfo; exec cgtree"' "$CG"
	# The kernel's view inside: the mount's root lies one level above the namespace's root.
	assert_line --regexp "^[0-9]+ [0-9]+ [0-9]+:[0-9]+ /\.\. $MNT "
	assert_line --regexp "^  [0-9]+:[^:]*:/ +$CG\$"
}

@test "cgtree: under a mount that shows only the sub-tree cseclab-cgpaths (as in a container), the directory is the mount point" {
	requires mntns tool:unshare
	# The sub-tree mounted over the hierarchy's mount point, in a mount namespace of its own.
	run -0 unshare -m --propagation private sh -c '
		mount --bind "$0" "$1" && echo $$ >"$1/cgroup.procs" || exit 1
		grep " $1 " /proc/self/mountinfo
		exec cgtree' "$CG" "$MNT"
	# The kernel's view: the top mount's root is the sub-tree, the path still names it.
	assert_line --regexp "^[0-9]+ [0-9]+ [0-9]+:[0-9]+ /cseclab-cgpaths $MNT "
	assert_line --regexp "^  [0-9]+:[^:]*:/cseclab-cgpaths +$MNT\$"
	# Nothing of the namespace stays: the host's mount still shows the whole hierarchy.
	run -0 awk -v m="$MNT" '$5 == m { print $4 }' /proc/self/mountinfo
	assert_output /
}
