# labs/privileges: libraries per program (see the Makefile's header).
# apiserver: HTTP with libmicrohttpd, JSON with jansson (Debian: libmicrohttpd-dev, libjansson-dev).
LIBS_apiserver := $(call pkg,libmicrohttpd) $(call pkg,jansson)
CFLAGS_apiserver := $(call pkgcflags,libmicrohttpd) $(call pkgcflags,jansson)
