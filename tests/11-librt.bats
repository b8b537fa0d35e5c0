load helpers
# lanes: host
# COURSE-DEMOS #4: the course builds ns with `gcc ... -lrt`. Ours needs no librt: ns makes no
# call of the POSIX realtime library, and the message-queue programs that do (receiver,
# sender) find mq_open in libc itself since glibc 2.34 (librt.so.1 is an empty stub kept for
# old binaries). The dynamic linker says which library each binary needs and where each of
# its mq_* symbols comes from. Host lane only: it checks the build, not a kernel feature.

# glibc's version as a comparable number: 2.36 -> 236.
glibc_version() {
	local v
	v=$(getconf GNU_LIBC_VERSION) || return 1 # "glibc 2.36"
	v=${v#glibc }
	echo $((${v%%.*} * 100 + ${v#*.}))
}

@test "ns links no librt: the dynamic section needs libc only, and build.mk asks for no -lrt" {
	requires tool:readelf
	run -0 readelf -d "$CSECLAB_BIN/ns"
	assert_line --regexp 'NEEDED.*\[libc\.so\.6\]'
	refute_line --regexp 'NEEDED.*\[librt\.so'
	run -1 grep -E '^LIBS_ns[[:space:]]*:?=' "$CSECLAB_ROOT/labs/namespaces/build.mk"
	# Control: readelf does show a NEEDED library other than libc where there is one (capshow
	# links libcap), so the refute above can fail.
	run -0 readelf -d "$CSECLAB_BIN/capshow"
	assert_line --regexp 'NEEDED.*\[libcap\.so'
}

@test "receiver's mq_open is bound in libc on glibc >= 2.34, in librt before, as the dynamic linker reports" {
	local v lib
	v=$(glibc_version) || skip "getconf GNU_LIBC_VERSION: not glibc"
	if [ "$v" -ge 234 ]; then lib='libc\.so\.6'; else lib='librt\.so\.1'; fi
	# LD_DEBUG=bindings: ld.so prints, for every symbol it resolves, the library it found it in
	# (the binaries are linked with -z now, so every binding happens before main).
	run -0 env LD_DEBUG=bindings LD_BIND_NOW=1 "$CSECLAB_BIN/receiver" --help
	assert_line --regexp "binding file .*receiver \[0\] to .*/$lib \[0\]: normal symbol \`mq_open'"
	run -0 env LD_DEBUG=bindings LD_BIND_NOW=1 "$CSECLAB_BIN/sender" --help
	assert_line --regexp "binding file .*sender \[0\] to .*/$lib \[0\]: normal symbol \`mq_send'"
	# ns resolves no mq_* symbol at all: there is nothing for librt to provide.
	run -0 env LD_DEBUG=bindings LD_BIND_NOW=1 "$CSECLAB_BIN/ns" --help
	refute_line --regexp "normal symbol \`mq_"
	assert_line --regexp "normal symbol \`clone'"
}
