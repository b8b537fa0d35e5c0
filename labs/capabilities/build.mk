# labs/capabilities: libraries per program (see the Makefile's header). libcap names the bits.
PKGS_capshow := libcap
PKGS_capexec := libcap
PKGS_capcalc := libcap
# capcalc: --verify (the table of cases run through the kernel) is a part of its own.
PARTS_capcalc := labs/capabilities/capcalc-verify.c
