load helpers
# lanes: host
#
# Seccomp, first half: strict mode, filter mode with every action, argument filters, and the
# limits of a system-call filter. Every "blocked" test has a control run without the filter.
# Status 137 = 128 + SIGKILL (strict mode), 159 = 128 + SIGSYS (a filter's kill actions).

teardown() {
	assert_no_leftovers
}

# ---- strict mode -----------------------------------------------------------------------------

@test "tour: strict mode prints the passwd line, then SIGKILL at close (137)" {
	requires lab:seccomp
	show strict
	assert_equal "$status" 137
	assert_line --regexp '^read: root:'
	assert_line --regexp '^close: calling close\([0-9]+\)$'
	refute_line --partial 'still alive'
}

@test "strict: control run without strict mode closes and exits 0" {
	run strict --no-seccomp
	assert_success
	assert_line --regexp '^read: root:'
	assert_line 'close: ok, still alive'
}

@test "strict: the raw exit system call is allowed, exit(3) = exit_group is killed" {
	requires lab:seccomp
	run strict --then exit
	assert_success
	assert_line 'exit: calling the exit system call directly'
	run strict --then exit_group
	assert_equal "$status" 137
	assert_line 'exit_group: calling exit(3), which ends in exit_group(2)'
}

@test "strict: output survives the kill when stdout is a pipe" {
	requires lab:seccomp
	run bash -c 'strict | cat; exit "${PIPESTATUS[0]}"'
	assert_equal "$status" 137
	assert_line --regexp '^read: root:'
}

# ---- filter mode -----------------------------------------------------------------------------

@test "tour: a seccomp filter kills at close with SIGSYS (159), --allow close exits 0" {
	requires lab:seccomp
	show filter
	assert_equal "$status" 159
	assert_line --regexp '^read: root:'
	assert_line --regexp '^close: calling close\([0-9]+\)$'
	refute_line 'close: ok'
	show filter --allow close
	assert_success
	assert_line 'close: ok'
}

@test "filter: control run without a filter closes and exits 0" {
	run filter --no-filter
	assert_success
	assert_line --regexp '^read: root:'
	assert_line 'close: ok'
}

@test "filter: output survives the SIGSYS kill when stdout is a pipe" {
	requires lab:seccomp
	run bash -c 'filter | cat; exit "${PIPESTATUS[0]}"'
	assert_equal "$status" 159
	assert_line --regexp '^read: root:'
}

@test "filter: kill-thread in a single-threaded process ends it with SIGSYS too" {
	requires seccomp-kill-thread
	run filter --action kill-thread
	assert_equal "$status" 159
	refute_line 'close: ok'
}

@test "filter: kill-thread kills only the worker thread, the main thread reports it" {
	requires seccomp-kill-thread
	run filter --action kill-thread --thread
	assert_failure 1
	assert_line 'main: the worker thread was killed at close; the main thread still runs'
	refute_line 'close: ok'
}

@test "filter: kill-process kills every thread, including the unfiltered main thread" {
	requires seccomp-kill-process
	run filter --action kill-process --thread
	assert_equal "$status" 159
	refute_line --partial 'main:'
	# Control: with close allowed the worker finishes and main reports it.
	run filter --allow close --thread
	assert_success
	assert_line 'main: the worker thread finished (status 0)'
}

@test "filter: trap delivers SIGSYS to a handler with the syscall number and arch" {
	requires seccomp-trap
	run filter --action trap
	assert_failure 1
	assert_line 'trap: SIGSYS caught by the handler; close was not executed'
	assert_line 'trap: handler saw syscall 3 (close is 3), arch 0xc000003e (x86_64 is 0xc000003e)'
	assert_line 'close: -1, errno 38 (Function not implemented)'
}

@test "filter: errno makes close fail with EPERM, errno=42 with errno 42" {
	requires seccomp-errno
	run filter --action errno
	assert_failure 1
	assert_line 'close: -1, errno 1 (Operation not permitted)'
	run filter --action errno=42
	assert_failure 1
	assert_line 'close: -1, errno 42 (No message of desired type)'
}

@test "filter: log allows close and the kernel logs the record (audit type 1326)" {
	requires seccomp-log kmsg
	grep -qw log /proc/sys/kernel/seccomp/actions_logged ||
		skip "kernel.seccomp.actions_logged does not include log: the kernel would not log it"
	if pgrep -x auditd >/dev/null; then
		skip "auditd runs: the record goes to its log, not the kernel log"
	fi
	local try wait pid since
	# The record is printed by the kauditd thread a moment later, and the audit printk is
	# rate limited (other kills may use it up): poll, and retry the run.
	for try in 1 2 3; do
		# Only records logged after this point count (pids are reused).
		since=$(cut -d' ' -f1 /proc/uptime)
		run filter --action log
		assert_success
		assert_line 'close: ok'
		pid=$(sed -n 's/^pid: //p' <<<"$output")
		for wait in 1 2 3 4 5; do
			if dmesg | tr -d '[]' | awk -v t="$since" -v p="pid=$pid" \
				'$1 + 1 >= t && /type=1326 / && index($0, " " p " ") &&
				 / syscall=3 / && /code=0x7ffc0000/ { print; found = 1 }
				 END { exit !found }'; then
				return 0
			fi
			sleep 1
		done
	done
	fail "no audit record for pid $pid with syscall=3 code=0x7ffc0000 in the kernel log"
}

@test "filter: trace without a tracer makes close fail with ENOSYS" {
	requires seccomp-trace
	run filter --action trace
	assert_failure 1
	assert_line 'close: -1, errno 38 (Function not implemented)'
}

@test "filter: trace under a ptrace parent stops at close and the tracer lets it run" {
	requires seccomp-trace ptrace
	run filter --action trace --tracer
	assert_success
	assert_line 'tracer: seccomp stop: syscall 3, filter data 42'
	assert_line 'close: ok'
	assert_line 'tracer: child exited with status 0'
}

@test "filter: notify hands close to a supervisor, which answers 4242" {
	requires lab:seccomp-notify
	run filter --action notify
	assert_success
	assert_line --regexp '^supervisor: got listener fd [0-9]+ from pid [0-9]+$'
	assert_line --regexp '^supervisor: pid [0-9]+ asks for syscall 3 \(close is 3\) with fd [0-9]+$'
	assert_line 'close: returned 4242 (not a kernel answer: the supervisor'"'"'s)'
	assert_line 'supervisor: child exited with status 0'
}

@test "filter: stacked filters, the stricter action wins whichever is loaded first" {
	requires seccomp-errno seccomp-log seccomp-trap
	run filter --action errno=5 --stack log
	assert_failure 1
	assert_line 'stack: both filters run for close; the strictest result wins: errno'
	assert_line 'close: -1, errno 5 (Input/output error)'
	run filter --action log --stack errno=7
	assert_failure 1
	assert_line 'close: -1, errno 7 (Argument list too long)'
	run filter --allow close --stack trap
	assert_failure 1
	assert_line 'trap: SIGSYS caught by the handler; close was not executed'
	# Control: two permissive filters let close run.
	run filter --allow close --stack log
	assert_success
	assert_line 'close: ok'
}

@test "filter: a tracer rewriting an allowed call into close is re-checked (no 4.8 escape)" {
	requires seccomp-trace ptrace
	run filter --rewrite
	assert_equal "$status" 159
	assert_line 'tracer: rewrote getppid (110) into close (3)'
	assert_line 'tracer: child killed by SIGSYS (signal 31)'
	refute_line --partial 'getppid: returned'
	# Control: with close allowed, the same rewrite runs as close and closes the file.
	run filter --rewrite --allow close
	assert_success
	assert_line 'getppid: returned 0'
	assert_line --regexp '^read: fd [0-9]+ is closed: the rewritten call ran as close$'
}

@test "filter: --export prints libseccomp's PFC text and the BPF size" {
	run filter --export --allow close
	assert_success
	assert_line '# filter for arch x86_64 (3221225534)'
	assert_line --regexp '^ +action ALLOW;$'
	assert_line --regexp '^bpf: [0-9]+ instructions \([0-9]+ bytes, 8 per struct sock_filter\)$'
}

@test "filter: bad options are usage errors (exit 2)" {
	run filter --action bogus
	assert_failure 2
	run filter --allow close --action errno
	assert_failure 2
	run filter --allow no_such_syscall
	assert_failure 2
	# The suite's convention: the bad option named once, then the Try line, on stderr only.
	run -2 --separate-stderr filter --bogus
	assert_equal "$output" ""
	assert_equal "$stderr" "filter: unknown option '--bogus'
Try 'filter --help' for more information."
	run -2 filter --action
	assert_line "filter: option '--action' needs an argument"
	run --separate-stderr filter --help
	assert_success
	assert_line --partial 'Usage: filter'
	assert_equal "$stderr" ""
}

# ---- argument filters ------------------------------------------------------------------------

@test "argfilter: write allowed to fd 1, refused to fd 2; control writes both" {
	requires lab:seccomp
	run argfilter stdout
	assert_failure 1
	assert_line 'stdout: this line is allowed'
	assert_line 'write(fd=2): refused, errno 1 (Operation not permitted)'
	refute_line --partial 'stderr:'
	run argfilter --no-filter stdout
	assert_success
	assert_line 'write(fd=2): ok'
}

# compare OP VALUE FD_ALLOWED FD_REFUSED
compare_both_ways() {
	local op=$1 value=$2 yes=$3 no=$4
	run argfilter compare "$op" "$value" "$yes" "$no"
	assert_success
	assert_line "write(fd=$yes): allowed"
	assert_line "write(fd=$no): refused, errno 1 (Operation not permitted)"
	run argfilter --no-filter compare "$op" "$value" "$yes" "$no"
	assert_success
	assert_line "write(fd=$yes): allowed"
	assert_line "write(fd=$no): allowed"
}

@test "argfilter: SCMP_CMP_EQ both ways" {
	requires lab:seccomp
	compare_both_ways eq 5 5 6
}

@test "argfilter: SCMP_CMP_NE both ways" {
	requires lab:seccomp
	compare_both_ways ne 5 6 5
}

@test "argfilter: SCMP_CMP_LT both ways" {
	requires lab:seccomp
	compare_both_ways lt 5 4 5
}

@test "argfilter: SCMP_CMP_LE both ways" {
	requires lab:seccomp
	compare_both_ways le 5 5 6
}

@test "argfilter: SCMP_CMP_GT both ways (GT is >, not >=)" {
	requires lab:seccomp
	compare_both_ways gt 5 6 5
}

@test "argfilter: SCMP_CMP_GE both ways (GE is >=)" {
	requires lab:seccomp
	compare_both_ways ge 5 5 4
}

@test "argfilter: SCMP_CMP_MASKED_EQ both ways" {
	requires lab:seccomp
	run argfilter compare masked_eq 0 --mask 1 4 5
	assert_success
	assert_line 'rule: write allowed when (fd & 1) == 0 (SCMP_CMP_MASKED_EQ); anything else: EPERM'
	assert_line 'write(fd=4): allowed'
	assert_line 'write(fd=5): refused, errno 1 (Operation not permitted)'
	run argfilter --no-filter compare masked_eq 0 --mask 1 4 5
	assert_line 'write(fd=5): allowed'
}

@test "tour: Docker's clone rule refuses new namespaces, clone3 gets ENOSYS, fork works" {
	requires seccomp-filter root
	show argfilter clone
	assert_success
	assert_line 'rule: clone allowed when (flags & 0x7e020000) == 0 (SCMP_CMP_MASKED_EQ, mask 2114060288)'
	assert_line 'fork: ok'
	assert_line 'clone(CLONE_NEWUTS): refused, errno 1 (Operation not permitted)'
	assert_line 'clone(CLONE_NEWPID): refused, errno 1 (Operation not permitted)'
	assert_line 'clone(CLONE_NEWCGROUP): refused, errno 1 (Operation not permitted)'
	assert_line 'clone3: refused, errno 38 (Function not implemented)'
	assert_line 'pthread_create: ok'
	assert_line 'unshare(CLONE_NEWUTS): refused, errno 1 (Operation not permitted)'
	assert_line 'unshare(CLONE_NEWTIME): refused, errno 1 (Operation not permitted)'
	assert_line 'unshare(CLONE_FS): ok'
}

@test "argfilter: clone control run without the filter creates every namespace" {
	requires root utsns pidns cgroupns timens
	run argfilter --no-filter clone
	assert_success
	assert_line 'clone(CLONE_NEWUTS): ok'
	assert_line 'clone(CLONE_NEWPID): ok'
	assert_line 'clone(CLONE_NEWCGROUP): ok'
	assert_line 'clone3: ok'
	assert_line 'unshare(CLONE_NEWTIME): ok'
}

@test "argfilter: the course's mask 2080505856 lets CLONE_NEWCGROUP through" {
	requires seccomp-filter root cgroupns
	run argfilter --mask course clone
	assert_success
	assert_line 'rule: clone allowed when (flags & 0x7c020000) == 0 (SCMP_CMP_MASKED_EQ, mask 2080505856)'
	assert_line 'clone(CLONE_NEWCGROUP): ok'
	assert_line 'clone(CLONE_NEWUTS): refused, errno 1 (Operation not permitted)'
}

@test "argfilter: ns -p under Docker's clone rule fails with EPERM, fork still works" {
	requires seccomp-filter root pidns
	if [ -x "$CSECLAB_BIN/ns" ]; then
		run argfilter clone -- ns -p true
		assert_failure
		assert_output --partial 'clone: Operation not permitted'
		run argfilter --no-filter clone -- ns -p true
		assert_success
	else
		run argfilter clone -- unshare -p --fork true
		assert_failure
		assert_output --partial 'Operation not permitted'
		run argfilter --no-filter clone -- unshare -p --fork true
		assert_success
	fi
	# fork under the same filter: a shell runs a background child.
	run argfilter clone -- sh -c 'true & wait $!; echo forked: $?'
	assert_success
	assert_line 'forked: 0'
}

# ---- the limits of a system-call filter ------------------------------------------------------

@test "limits: a filter without the arch check is bypassed through int \$0x80" {
	requires lab:seccomp-ia32
	run_lab ia32 archbypass
	assert_success
	assert_line 'unshare (64-bit, nr 272): refused, errno 1 (Operation not permitted)'
	assert_line "unshare (int \$0x80, nr 310): ok"
	assert_line --regexp '^uts: changed \(inode [0-9]+ -> [0-9]+\)'
	# Control: without a filter both entries work.
	run_lab ia32 archbypass --no-filter
	assert_success
	assert_line 'unshare (64-bit, nr 272): ok'
	assert_line "unshare (int \$0x80, nr 310): ok"
}

@test "limits: with the arch check the 32-bit call kills the process (SIGSYS)" {
	requires lab:seccomp-ia32
	run_lab ia32 archbypass --checked
	assert_equal "$status" 159
	assert_line 'unshare (64-bit, nr 272): refused, errno 1 (Operation not permitted)'
	refute_line --partial "int \$0x80"
}

@test "limits: io_uring reads a file the seccomp filter forbids to open and read" {
	requires seccomp-filter io-uring
	show uringread
	assert_success
	assert_line 'open: refused, errno 1 (Operation not permitted)'
	assert_line --regexp '^io_uring open: ok \(fd [0-9]+\)'
	assert_line --regexp '^io_uring read: root:'
	# Control: without the filter open(2) itself works.
	run uringread --no-filter
	assert_success
	assert_line --regexp '^open: ok \(fd [0-9]+\)$'
}

@test "filter --stack allow: a first filter that allows close loads (no rule repeating its default), the second decides" {
	requires seccomp-errno seccomp-kill-process
	run -1 filter --stack allow --action errno=5
	assert_line 'seccomp: filter 1 loaded: close -> allow (its default action, no rule)'
	assert_line 'stack: both filters run for close; the strictest result wins: errno'
	assert_line 'close: -1, errno 5 (Input/output error)'
	# the lab's own filter kills at close: SIGSYS, status 128 + 31
	run -159 filter --stack allow
	assert_line 'stack: both filters run for close; the strictest result wins: kill-process'
	# control: both filters allow close
	run -0 filter --allow close --stack allow
	assert_line 'close: ok'
}
