# doctor decodes its own capability sets by name with libcap.
LIBS_doctor := $(call pkg,libcap)
