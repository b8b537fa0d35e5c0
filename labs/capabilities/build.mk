# labs/capabilities: libraries per program (see the Makefile's header). libcap names the bits.
LIBS_capshow := $(call pkg,libcap)
LIBS_capexec := $(call pkg,libcap)
LIBS_capcalc := $(call pkg,libcap)
