# labs/seccomp: libraries and sanitizer exclusions of the seccomp lab.
#
# NOSAN: a seccomp filter allows a short list of system calls, and the ASan/UBSan runtime makes
# its own (mmap, sigaltstack, open of /proc/self/maps at exit, ...), which the filter would kill
# or refuse: the demo would then show the sanitizer dying, not the mechanism.
NOSAN += strict filter argfilter archbypass uringread
LIBS_filter := $(call pkg,libseccomp)
LIBS_argfilter := $(call pkg,libseccomp)
LIBS_uringread := $(call pkg,libseccomp)
