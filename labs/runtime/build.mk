# labs/runtime: minibox, the capstone's container runtime. It reads config.json with jansson,
# compiles linux.seccomp with the seccomp lab's profile compiler (labs/seccomp/profile*.c, which
# names capabilities with libcap) and loads it with libseccomp.
PKGS_minibox := jansson libseccomp libcap
PARTS_minibox := labs/runtime/minibox-config.c labs/runtime/minibox-config-linux.c \
	labs/runtime/minibox-config-read.c \
	labs/runtime/minibox-ns.c \
	labs/runtime/minibox-cgroup.c labs/runtime/minibox-devices.c \
	labs/runtime/minibox-mounts.c labs/runtime/minibox-caps.c labs/runtime/minibox-seccomp.c \
	labs/runtime/minibox-spec.c labs/runtime/minibox-timing.c \
	labs/seccomp/profile.c labs/seccomp/profile-json.c labs/seccomp/profile-includes.c \
	labs/seccomp/profile-explain.c
# The filter is loaded right before execve: after that, a sanitizer's runtime calls would be
# filtered too (see labs/seccomp/build.mk).
NOSAN += minibox
