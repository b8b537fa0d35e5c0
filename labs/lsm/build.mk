# LSM lab: aagen reads its JSON policy with jansson; the others need only libc.
LIBS_aagen := $(call pkg,jansson)
CFLAGS_aagen := $(call pkgcflags,jansson)
