# Namespaces lab. POSIX message queues are in libc since glibc 2.34; older ones (Ubuntu 20.04,
# Debian 11) keep mq_open in librt, which newer glibc still ships as an empty stub.
LIBS_receiver := -lrt
LIBS_sender := -lrt
# nsjoin joins another mount namespace, whose /proc may belong to another PID namespace: there
# /proc/self does not exist for nsjoin, and LeakSanitizer spins at exit trying to read it.
NOSAN += nsjoin
