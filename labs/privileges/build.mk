# labs/privileges: libraries per program (see the Makefile's header).
# apiserver: HTTP with libmicrohttpd, JSON with jansson (Debian: libmicrohttpd-dev, libjansson-dev).
PKGS_apiserver := libmicrohttpd jansson
