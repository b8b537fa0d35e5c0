# labs/seccomp: libraries and sanitizer exclusions of the seccomp lab.
#
# NOSAN: a seccomp filter allows a short list of system calls, and the ASan/UBSan runtime makes
# its own (mmap, sigaltstack, open of /proc/self/maps at exit, ...), which the filter would kill
# or refuse: the demo would then show the sanitizer dying, not the mechanism.
NOSAN += strict filter argfilter archbypass uringread
PKGS_filter := libseccomp
# filter: one part per concept beyond the plain actions (filter.c's header says which is which).
PARTS_filter := labs/seccomp/filter-notify.c labs/seccomp/filter-trace.c \
	labs/seccomp/filter-stack.c labs/seccomp/filter-rewrite.c labs/seccomp/filter-export.c
PKGS_argfilter := libseccomp
PKGS_uringread := libseccomp
# seccomp-run: Docker-format JSON profiles (jansson), compiled by libseccomp; capability names
# (includes/excludes "caps") resolved by libcap.
PKGS_seccomp-run := libseccomp jansson libcap
# Its profile compiler is a unit of its own (profile.h), which a container runtime can share.
PARTS_seccomp-run := labs/seccomp/profile.c labs/seccomp/profile-json.c \
	labs/seccomp/profile-includes.c labs/seccomp/profile-explain.c
# sctrace: writes the profile with jansson, names syscalls with libseccomp; its filter is raw BPF.
# The table and the profile are the part syscount.c, shared with screcord.
PKGS_sctrace := jansson libseccomp
PARTS_sctrace := labs/seccomp/syscount.c
# scprobe: static (static-pie keeps ASLR), so that it runs in a FROM scratch image (docker lane).
# The link flags are target-specific because the Makefile's -pie would undo -static-pie; static
# binaries cannot carry the ASan runtime, hence NOSAN.
$(OUT)/scprobe: LDFLAGS_HARDEN := -static-pie -Wl,-z,relro,-z,now
NOSAN += scprobe
# seccomp-run: its child loads the profile before execve; under deny-all every system call the
# ASan runtime makes after that fails, and the runtime spins on them instead of reaching execve.
NOSAN += seccomp-run
# screcord: an eBPF program (screcord.bpf.c, built by clang and bpftool into screcord.skel.h)
# loaded with libbpf; the table and the profile are sctrace's part syscount.c (jansson,
# libseccomp). Only the tasks it watches are counted, but its program runs on every system call
# of the machine while it records.
PKGS_screcord := libbpf jansson libseccomp
PARTS_screcord := labs/seccomp/syscount.c
BPF_screcord := labs/seccomp/screcord.bpf.c
