# cseclab - container-security labs. `make help` lists the targets.
#
# Every labs/<topic>/<prog>.c builds into bin/<prog>, linked with common/ (libcseclab.a: the
# linker takes only the parts a program uses) and with the libraries that program alone needs.
# A topic's labs/<topic>/build.mk names those per program:
#     PKGS_filter := libseccomp     # pkg-config names: their flags, for bin/filter only
#     LIBS_cpuquota := -lm          # plain linker flags (libc's own libraries)
#     CFLAGS_prog := ...            # compiler flags for one program
#     NOSAN += strict               # reason: ... (built without sanitizers)
#     PARTS_prog := labs/<topic>/x.c  # more source files of bin/prog (no main of their own)
#     BPF_prog := labs/<topic>/x.bpf.c  # eBPF programs of bin/prog: it includes "x.skel.h"
# A program is every labs/*/*.c that no PARTS_ variable names, and no .bpf.c (eBPF objects,
# built by their own rules): `prog.c` is the file a student reads first, its parts come after,
# and a part named by several programs is a unit they share (its header sits next to it).
# pkg-config runs when a program is built, not when make reads this file: `make help`,
# `make setup`, `make clean` work on a machine without any -dev package, and a missing library
# stops only the programs that link it (`make -k` builds all the others).

CC      ?= cc
OUT     ?= bin
OBJ     ?= build/obj
SANITIZE ?=

WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) -Icommon
LDFLAGS_HARDEN := -pie -Wl,-z,relro,-z,now

ifeq ($(SANITIZE),1)
# FORTIFY needs optimisation and checks what ASan checks better; the sanitizers want -O1.
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ALL_CFLAGS += -O1 -fPIE
else
ALL_CFLAGS += $(HARDEN)
endif

# The Debian package that gives pkg-config each name of PKGS_<prog> (scripts/setup installs them).
DEB_libcap        := libcap-dev
DEB_libseccomp    := libseccomp-dev
DEB_jansson       := libjansson-dev
DEB_libmicrohttpd := libmicrohttpd-dev
DEB_libbpf        := libbpf-dev

# Expanded in recipes only, that is when a program is built.
# $(call pkgs_missing,NAMES): the names pkg-config does not find (all when it is not installed).
pkgs_missing = $(strip $(foreach p,$(1),$(if $(shell pkg-config --exists $(p) 2>/dev/null && echo y),,$(p))))
# $(call pkgs_check,PROG): a recipe line that stops PROG's build with what to install, or nothing.
pkgs_check = $(call pkgs_fail,$(1),$(call pkgs_missing,$(PKGS_$(1))))
pkgs_fail = $(if $(2),@echo "$(OUT)/$(1) needs $(2): apt-get install $(strip \
	$(if $(shell command -v pkg-config 2>/dev/null),,pkg-config) \
	$(foreach p,$(2),$(or $(DEB_$(p)),$(p)-dev))) (or make setup)" >&2; exit 1)

NOSAN :=
-include $(sort $(wildcard labs/*/build.mk))

# Every file some program names as a part; the rest of labs/*/*.c are programs.
PARTS := $(sort $(foreach v,$(filter PARTS_%,$(.VARIABLES)),$($(v))))
SRCS  := $(filter-out $(PARTS) %.bpf.c,$(sort $(wildcard labs/*/*.c)))
PROGS := $(notdir $(SRCS:.c=))
BINS  := $(addprefix $(OUT)/,$(PROGS))
LAB_HEADERS := $(wildcard labs/*/*.h)
COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(patsubst common/%.c,$(OBJ)/common/%.o,$(COMMON_SRCS))
COMMON_LIB  := $(OBJ)/libcseclab.a

.PHONY: all help setup tour check test test-host test-vm test-vm-selinux test-docker sanitize lint bench fuzz clean \
	clean-system vm vm-selinux coverage-course guide check-guide man install uninstall
.DEFAULT_GOAL := all

all: $(BINS)

help:
	@echo "cseclab - make targets"
	@echo "  all              build every lab program into bin/"
	@echo "  setup            install the Debian packages of the labs, the host lane and lint (scripts/setup)"
	@echo "  tour             install what the labs need, build, walk through every lab this machine can show"
	@echo "  check EX=NAME    grade your answer to exercise NAME (bin/exercise check NAME; exercise list)"
	@echo "  test             install what every lane needs (scripts/setup all), build, run every"
	@echo "                   test lane this machine can run (host, vm, vm-selinux, docker)"
	@echo "  test-host        bats tests on this machine's kernel"
	@echo "  test-vm          in a qemu VM, the tests that need cgroup v2, AppArmor or its Docker"
	@echo "  test-vm-selinux  the SELinux tests in the same VM booted with SELinux"
	@echo "  test-docker      the docker lane against a real Docker engine"
	@echo "  vm               boot the lab VM with an interactive shell (poweroff to leave)"
	@echo "  vm-selinux       the same VM booted with SELinux (LAB_GUIDE: SELinux in the lab VM)"
	@echo "  sanitize         ASan+UBSan build and the host tests on it"
	@echo "  lint             cppcheck, shellcheck, clang-format check"
	@echo "  bench            benchmarks (ratios, side by side)"
	@echo "  fuzz             fuzz the parsers (FUZZ_SECONDS per target, default 60)"
	@echo "  coverage-course  per course demo: passed, failed, skipped or not run in each lane"
	@echo "  guide            rebuild LAB_GUIDE.md from labs/*/chapter.md"
	@echo "  man              a man page per program, from its --help and header comment:"
	@echo "                   build/man/man1/PROG.1 (read one with man -l build/man/man1/ns.1)"
	@echo "  install          the programs to \$$(DESTDIR)\$$(PREFIX)/bin, their pages to"
	@echo "                   .../share/man/man1 (PREFIX=/usr/local; DESTDIR= for staging)"
	@echo "  uninstall        remove what install put there (same PREFIX and DESTDIR)"
	@echo "  clean            remove build output"
	@echo "  clean-system     remove anything of ours left on the system (scripts/cleanup)"

# --- build -------------------------------------------------------------------------------
$(OBJ)/common/%.o: common/%.c common/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(COMMON_LIB): $(COMMON_OBJS)
	@rm -f $@
	ar rcs $@ $^

# One rule per program: its file and its parts compile together (a part's folder is on the
# include path); a program in NOSAN never gets the sanitizer flags.
# pkg-config's flags come in at recipe time, after pkgs_check found every name.
define prog_rule
$(OUT)/$(notdir $(1:.c=)): $(1) $(PARTS_$(notdir $(1:.c=))) $(COMMON_LIB) common/*.h $(LAB_HEADERS)
	$$(call pkgs_check,$(notdir $(1:.c=)))
	@mkdir -p $(OUT)
	$$(CC) $$(ALL_CFLAGS) $$(if $$(filter $(notdir $(1:.c=)),$$(NOSAN)),$$(HARDEN) -O2,$$(SAN_FLAGS)) \
		$$(if $$(PKGS_$(notdir $(1:.c=))),$$(shell pkg-config --cflags $$(PKGS_$(notdir $(1:.c=))) 2>/dev/null)) \
		$$(addprefix -I,$$(sort $$(patsubst %/,%,$$(dir $$(PARTS_$(notdir $(1:.c=))))))) \
		$$(CFLAGS_$(notdir $(1:.c=))) $(1) $$(PARTS_$(notdir $(1:.c=))) -o $$@ $$(LDFLAGS_HARDEN) $$(LDFLAGS) \
		$$(if $$(filter $(notdir $(1:.c=)),$$(NOSAN)),$$(COMMON_NOSAN_LIB),$$(COMMON_LIB)) \
		$$(LIBS_$(notdir $(1:.c=))) \
		$$(if $$(PKGS_$(notdir $(1:.c=))),$$(shell pkg-config --libs $$(PKGS_$(notdir $(1:.c=))) 2>/dev/null))
endef
$(foreach s,$(SRCS),$(eval $(call prog_rule,$(s))))

# eBPF objects. clang compiles labs/<topic>/x.bpf.c for the BPF target, whatever CC is (gcc 12
# has no BPF back end), with -g for the BTF that CO-RE and the verifier read; bpftool then
# turns the object into x.skel.h, its bytes and typed open/load/attach functions, which the
# program includes from $(OBJ)/bpf. A missing clang or bpftool stops only the programs that
# name a BPF_ object, with what to install, as pkgs_check does for libraries.
BPFCC     ?= clang
# Debian installs bpftool in /usr/sbin, which a user's PATH may lack.
BPFTOOL   ?= $(firstword $(shell command -v bpftool 2>/dev/null) $(wildcard /usr/sbin/bpftool) bpftool)
DEB_clang   := clang
DEB_bpftool := bpftool
# Expanded in recipes only. The kernel's name of this architecture (bpf_tracing.h wants it),
# and the multiarch include folder that holds <asm/types.h> for <linux/bpf.h>.
BPFARCH = $(patsubst x86_64,x86,$(patsubst aarch64,arm64,$(patsubst ppc64le,powerpc,$(shell uname -m))))
BPFINCLUDES = $(addprefix -I,$(wildcard /usr/include/$(shell uname -m)-linux-gnu))
tools_missing = $(strip $(foreach t,$(1),$(if $(shell command -v $(t) 2>/dev/null),,$(t))))
# $(call bpf_rule,PROG,SRC): SRC's object and skeleton, made before bin/PROG is compiled.
define bpf_rule
$(OBJ)/bpf/$(notdir $(2:.bpf.c=.skel.h)): $(2)
	$$(call pkgs_check,$(1))
	$$(call pkgs_fail,$(1),$$(call tools_missing,$$(BPFCC) $$(BPFTOOL)))
	@mkdir -p $$(@D)
	$$(BPFCC) -target bpf -g -O2 -Wall -Werror -D__TARGET_ARCH_$$(BPFARCH) $$(BPFINCLUDES) \
		-c $(2) -o $$(@:.skel.h=.bpf.o)
	$$(BPFTOOL) gen skeleton $$(@:.skel.h=.bpf.o) > $$@.tmp
	mv $$@.tmp $$@
$(OUT)/$(1): $(OBJ)/bpf/$(notdir $(2:.bpf.c=.skel.h))
$(OUT)/$(1): CFLAGS_$(1) += -I$(OBJ)/bpf
endef
$(foreach v,$(filter BPF_%,$(.VARIABLES)),$(if $(filter file,$(origin $(v))),\
	$(foreach s,$($(v)),$(eval $(call bpf_rule,$(v:BPF_%=%),$(s))))))

# In a sanitizer build the NOSAN programs link a plain build of common/.
ifeq ($(SANITIZE),1)
COMMON_NOSAN_LIB := build/obj/libcseclab.a
$(COMMON_NOSAN_LIB): $(COMMON_SRCS) common/*.h
	$(MAKE) --no-print-directory build/obj/libcseclab.a SANITIZE= OUT=bin OBJ=build/obj
else
COMMON_NOSAN_LIB := $(COMMON_LIB)
endif
$(foreach p,$(NOSAN),$(eval $(OUT)/$(p): $(COMMON_NOSAN_LIB)))

# --- man pages and install ---------------------------------------------------------------
# help2man writes each page from the program's --help (SYNOPSIS, DESCRIPTION, options) and an
# include file that scripts/man-include makes from its header comment (MECHANISM, OUTCOME,
# NEEDS, SEE ALSO). The programs have no --version: the suite has one version, not one per lab,
# so help2man gets it as --version-string ("PROG (cseclab) VERSION", VERSION from git describe)
# and the page's date is the last commit's (SOURCE_DATE_EPOCH), not the day it was built.
PREFIX  ?= /usr/local
DESTDIR ?=
MAN_OUT ?= build/man
VERSION ?= $(or $(shell git describe --tags --always --dirty 2>/dev/null),unknown)
MAN_DATE = $(shell git log -1 --format=%ct 2>/dev/null)
MANPAGES := $(PROGS:%=$(MAN_OUT)/man1/%.1)

man: $(MANPAGES)

define man_rule
$(MAN_OUT)/man1/$(notdir $(1:.c=)).1: $(OUT)/$(notdir $(1:.c=)) $(1) scripts/man-include
	@command -v help2man >/dev/null || { echo "make man needs help2man: apt-get install help2man (or make setup)" >&2; exit 1; }
	@mkdir -p $(MAN_OUT)/man1 $(MAN_OUT)/include
	scripts/man-include $(1) > $(MAN_OUT)/include/$(notdir $(1:.c=)).h2m
	$$(if $$(MAN_DATE),SOURCE_DATE_EPOCH=$$(MAN_DATE)) help2man --no-info --section=1 \
		--manual="cseclab lab programs" --include=$(MAN_OUT)/include/$(notdir $(1:.c=)).h2m \
		--version-string="$(notdir $(1:.c=)) (cseclab) $$(VERSION)" --output=$$@ $(OUT)/$(notdir $(1:.c=))
endef
$(foreach s,$(SRCS),$(eval $(call man_rule,$(s))))

install: all man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(MANPAGES) $(DESTDIR)$(PREFIX)/share/man/man1/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(PROGS)) \
		$(PROGS:%=$(DESTDIR)$(PREFIX)/share/man/man1/%.1)

# --- set-up, tour, tests -------------------------------------------------------------------
# The README's two commands work on a fresh machine: each installs what it needs first
# (scripts/setup only checks, in well under a second, when everything is there).
setup:
	scripts/setup

tour:
	scripts/setup labs
	$(MAKE) --no-print-directory all
	scripts/tour

# The learner's shortcut: grade an exercise (without EX, the one started last).
check: all
	$(OUT)/exercise check $(EX)

test:
	scripts/setup all
	$(MAKE) --no-print-directory all
	scripts/test all

test-host: all
	scripts/test host

test-vm: all
	scripts/setup vm docker
	scripts/test vm

test-vm-selinux: all
	scripts/setup vm docker
	scripts/test vm-selinux

test-docker: all
	scripts/test docker

vm: all
	scripts/setup vm docker
	CSECLAB_VM_DOCKER=1 scripts/vm shell

vm-selinux: all
	scripts/setup vm docker
	CSECLAB_VM_LSM=selinux CSECLAB_VM_DOCKER=1 scripts/vm shell

sanitize:
	$(MAKE) --no-print-directory all SANITIZE=1 OUT=build/sanitize/bin OBJ=build/sanitize/obj
	CSECLAB_SANITIZE=1 CSECLAB_BIN=$(CURDIR)/build/sanitize/bin scripts/test host

coverage-course:
	@scripts/course-map summary

guide:
	scripts/build-guide > LAB_GUIDE.md

check-guide:
	@scripts/build-guide | cmp -s - LAB_GUIDE.md || \
		{ echo "LAB_GUIDE.md is out of date: run make guide"; exit 1; }

# --- quality -------------------------------------------------------------------------------
# The exercises' C (graders' probes, starters, solutions): the same gates. A known-wrong answer
# is a patch (wrong/CASE.patch), tested by tests/97-exercises.bats, not linted.
EX_C_FILES := $(wildcard labs/*/exercises/*/*.c labs/*/exercises/*/*/*.c \
	docker/exercises/*/*.c docker/exercises/*/*/*.c labs/runtime/box-grader/*.c)
C_FILES  := $(sort $(wildcard common/*.c common/*.h labs/*/*.c labs/*/*.h tests/fuzz/*.c) $(EX_C_FILES))
SH_FILES := $(sort $(shell grep -rlE '^\#!.*\b(bash|sh)\b' scripts labs .ci docker 2>/dev/null) \
	$(wildcard common/*.bash tests/*.bash tests/*/*.bash scripts/*.sh scripts/*/*.sh))
BATS_FILES := $(sort $(wildcard tests/*.bats tests/*/*.bats))

lint:
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
		--inline-suppr --suppress=missingIncludeSystem -Icommon -D__linux__ \
		--include=/usr/include/jansson.h $(filter-out %.bpf.c,$(C_FILES))
	@# eBPF objects: SEC() and the map macros come from libbpf's <bpf/bpf_helpers.h>
	for f in $(filter %.bpf.c,$(C_FILES)); do cppcheck --quiet --error-exitcode=1 --std=c11 \
		--enable=warning,performance,portability --inline-suppr \
		--suppress=missingIncludeSystem -I/usr/include "$$f" || exit 1; done
	shellcheck -x $(SH_FILES)
	shellcheck -x --shell=bash -e SC2030,SC2031,SC2034,SC2154,SC2164,SC2317 $(BATS_FILES)
	scripts/lint-bats $(BATS_FILES) $(wildcard tests/*.bash tests/*/*.bash)
	clang-format --dry-run --Werror $(C_FILES)
	@echo "lint: clean"

bench: all
	scripts/bench

fuzz:
	scripts/fuzz

clean:
	rm -rf bin build

clean-system:
	scripts/cleanup
