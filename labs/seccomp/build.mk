# labs/seccomp: libraries and sanitizer exclusions of the seccomp lab.
#
# NOSAN: a seccomp filter allows a short list of system calls, and the ASan/UBSan runtime makes
# its own (mmap, sigaltstack, open of /proc/self/maps at exit, ...), which the filter would kill
# or refuse: the demo would then show the sanitizer dying, not the mechanism.
NOSAN += strict filter argfilter archbypass uringread
LIBS_filter := $(call pkg,libseccomp)
LIBS_argfilter := $(call pkg,libseccomp)
LIBS_uringread := $(call pkg,libseccomp)
# seccomp-run: Docker-format JSON profiles (jansson), compiled by libseccomp; capability names
# (includes/excludes "caps") resolved by libcap.
LIBS_seccomp-run := $(call pkg,libseccomp) $(call pkg,jansson) $(call pkg,libcap)
# sctrace: writes the profile with jansson, names syscalls with libseccomp; its filter is raw BPF.
LIBS_sctrace := $(call pkg,jansson) $(call pkg,libseccomp)
# scprobe: static (static-pie keeps ASLR), so that it runs in a FROM scratch image (docker lane).
# The link flags are target-specific because the Makefile's -pie would undo -static-pie; static
# binaries cannot carry the ASan runtime, hence NOSAN.
$(OUT)/scprobe: LDFLAGS_HARDEN := -static-pie -Wl,-z,relro,-z,now
NOSAN += scprobe
# seccomp-run: its child loads the profile before execve; under deny-all every system call the
# ASan runtime makes after that fails, and the runtime spins on them instead of reaching execve.
NOSAN += seccomp-run
