# labs/capabilities: libraries per program (see the Makefile's header). libcap names the bits.
PKGS_capshow := libcap
PKGS_capexec := libcap
PKGS_capcalc := libcap
# capcalc: the rules of execve (compute) and --verify (the table of cases run through the kernel)
# are parts of their own; capcalc.c is read first.
PARTS_capcalc := labs/capabilities/capcalc-rules.c labs/capabilities/capcalc-verify.c
