# polsearch: full-text search for Vietnamese Party and State documents.
#
#   make            build bin/polsearch (release flavour)
#   make test       build and run every test (unit, golden, integration, HTTP, browser)
#   make check      the same tests built with AddressSanitizer + UBSan (build/check/)
#   make fuzz       build the libFuzzer targets (build/fuzz/) and run each for FUZZ_SECONDS
#   make eval       retrieval quality on ../shared/data (skips when absent)
#   make bench      speed figures (indexing, queries, peers), printed not asserted
#   make demo       set up, index corpus/ and run sample searches
#   make deps       install the Debian packages the build and tests need
#   make install PREFIX=/usr/local
#
# Each flavour builds in its own folder, so switching never needs a clean.

FLAVOUR ?= release
BUILD   := build/$(FLAVOUR)
PREFIX  ?= /usr/local

CC  ?= cc
CXX ?= c++
ifeq ($(origin CC),default)
CC := gcc
endif
ifeq ($(origin CXX),default)
CXX := g++
endif

PKGS := icu-uc icu-i18n xapian-core libmicrohttpd jansson libzip libxml-2.0 poppler-glib nettle
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-missing-field-initializers
CXXWARN  := -Wall -Wextra -Wshadow -Wformat=2
OPT      := -O2 -g
SAN      :=
ifeq ($(FLAVOUR),check)
OPT := -O1 -g -fno-omit-frame-pointer
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
endif
ifeq ($(FLAVOUR),fuzz)
CC  := clang
CXX := clang++
OPT := -O1 -g -fno-omit-frame-pointer
SAN := -fsanitize=address,undefined,fuzzer-no-link
endif
ifneq ($(WERROR)$(CI),)
WARN += -Werror
CXXWARN += -Werror
endif

CPPFLAGS += -Iinclude -Ilib -I. -D_GNU_SOURCE
CFLAGS   += -std=c11 $(OPT) $(SAN) $(WARN) -MMD -MP $(PKG_CFLAGS)
CXXFLAGS += -std=c++17 $(OPT) $(SAN) $(CXXWARN) -MMD -MP $(PKG_CFLAGS)
LDFLAGS  += $(SAN)
LDLIBS   += $(PKG_LIBS) -lstdc++ -lpthread -lm

ifeq ($(FLAVOUR),release)
BIN := bin
else
BIN := $(BUILD)/bin
endif

LIB_C   := $(sort $(wildcard lib/*/*.c))
LIB_CXX := $(sort $(wildcard lib/*/*.cc))
LIB_OBJ := $(LIB_C:%.c=$(BUILD)/obj/%.o) $(LIB_CXX:%.cc=$(BUILD)/obj/%.o)
LIBA    := $(BUILD)/libpolsearch.a

PROG_C   := $(sort $(wildcard cli/*.c indexer/*.c searchd/*.c))
PROG_OBJ := $(PROG_C:%.c=$(BUILD)/obj/%.o)

# unit tests: tests/unit/<module>/test_<name>.c, one binary each
UNIT_SRC := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
# helper programs for tests and benchmarks: tests/tools/*.c, bench/*.c
TOOL_SRC := $(sort $(wildcard tests/tools/*.c bench/*.c))
TOOL_BIN := $(patsubst %.c,$(BUILD)/%,$(TOOL_SRC))
# fuzz targets: tests/fuzz/fuzz_<name>.c
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/bin/%,$(FUZZ_SRC))

.PHONY: all test check fuzz fuzz-build eval bench demo deps install clean unit tools
.DEFAULT_GOAL := all

all: $(BIN)/polsearch tools

tools: $(TOOL_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/polsearch: $(PROG_OBJ) $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $(PROG_OBJ) $(LIBA) $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests $< $(LIBA) $(LDFLAGS) $(LDLIBS) -lcmocka -o $@

$(BUILD)/tests/tools/%: tests/tools/%.c $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LIBA) $(LDFLAGS) $(LDLIBS) -o $@

$(BUILD)/bench/%: bench/%.c $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LIBA) $(LDFLAGS) $(LDLIBS) -lsqlite3 -o $@

unit: $(UNIT_BIN)

# The test command the README and .ci/run give. The fuzz targets are built
# too (about a minute on two cores): tests/integration/fuzz-smoke.sh runs
# each for a few seconds under ASan and UBSan.
test: deps all unit fuzz-build
	@tests/run-tests.sh $(BUILD) $(BIN)

check:
	$(MAKE) FLAVOUR=check test

# libFuzzer targets (clang); each runs FUZZ_SECONDS seconds on its seeds.
# The binaries are built in the fuzz flavour (fuzz-build re-enters make
# with FLAVOUR=fuzz), so they link the library built once with coverage.
FUZZ_SECONDS ?= 60
# Linked by clang++: a target that reaches the Xapian binding needs
# UBSan's C++ runtime.
build/fuzz/bin/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) build/fuzz/libpolsearch.a
	@mkdir -p $(@D) build/fuzz/obj/tests/fuzz
	$(CC) $(CPPFLAGS) $(filter-out -MMD -MP,$(CFLAGS)) -c $< -o build/fuzz/obj/tests/fuzz/$*.o
	$(CXX) -fsanitize=fuzzer build/fuzz/obj/tests/fuzz/$*.o build/fuzz/libpolsearch.a \
	  $(LDFLAGS) $(LDLIBS) -o $@

# the HTTP parameter target links the daemon's parameter parser, which
# depends on nothing but the library
build/fuzz/bin/fuzz_http_params: tests/fuzz/fuzz_http_params.c $(wildcard tests/fuzz/*.h) \
  build/fuzz/obj/searchd/params.o build/fuzz/libpolsearch.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(filter-out -MMD -MP,$(CFLAGS)) -fsanitize=fuzzer \
	  $< build/fuzz/obj/searchd/params.o build/fuzz/libpolsearch.a $(LDFLAGS) $(LDLIBS) -o $@

fuzz-build:
	$(MAKE) FLAVOUR=fuzz $(FUZZ_BIN)

fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

eval: all
	@bench/eval.sh $(BIN)

bench: all
	@bench/bench.sh $(BIN)

# The scale benchmark alone (long; sizes and options in bench/run-scale.sh).
.PHONY: bench-scale
bench-scale: all
	@POLSEARCH_BENCH_SCALE=1 POLSEARCH_BIN=$(CURDIR)/$(BIN) POLSEARCH_BUILD=$(CURDIR)/$(BUILD) \
	  sh bench/run-scale.sh

# The unit tests and every subcommand under valgrind (slow).
.PHONY: valgrind
valgrind: all unit
	@tests/valgrind.sh $(BUILD) $(BIN)

# The soak alone: the daemon under load while its index is rebuilt.
.PHONY: soak
soak: all
	@POLSEARCH_BENCH_SOAK=1 POLSEARCH_ROOT=$(CURDIR) POLSEARCH_BIN=$(CURDIR)/$(BIN) \
	  POLSEARCH_BUILD=$(CURDIR)/$(BUILD) sh bench/run-soak.sh

demo: deps all
	@scripts/demo.sh $(BIN)

deps:
	@scripts/deps.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/polsearch/web
	install -m 755 bin/polsearch $(DESTDIR)$(PREFIX)/bin/polsearch
	cp -R web/. $(DESTDIR)$(PREFIX)/share/polsearch/web/

clean:
	rm -rf build bin

-include $(LIB_OBJ:.o=.d) $(PROG_OBJ:.o=.d)
