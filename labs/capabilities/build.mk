# labs/capabilities: libraries per program (see the Makefile's header). libcap names the bits.
PKGS_capshow := libcap
PKGS_capexec := libcap
PKGS_capcalc := libcap
