# b8g - build, test and benchmark.
#
#   make              libb8g.a, libb8g.so and the b8g CLI in build/
#   make test         unit, spec, hostile tests (ends with "N passed, N failed")
#   make spec         the WebAssembly 2.0 spec suite only
#   make san          everything above rebuilt with ASan+UBSan in build-san/
#   make clang        the tests built with clang in build-clang/
#   make tsan         the unit tests and the threaded CLI suites built with
#                     ThreadSanitizer in build-tsan/
#   make portable     the tests with explicit bounds checks and switch dispatch
#   make BOUNDS_CHECK=1   explicit bounds checks instead of guard pages
#   make bench        translation throughput (bench/loadtime.c), in-process
#                     micro-benchmarks (bench/micro.c), start-up against Node
#                     (bench/startup.sh), JavaScript against native QuickJS
#                     and node (bench/js.sh) and the ../shared/bench yardstick
#                     (bench/yardstick.sh); figures in BENCHMARKS.md
#   make fuzz         libFuzzer targets (clang, ASan+UBSan) in $(BUILD)/fuzz,
#                     each run FUZZ_TIME seconds (default 20)
#   make fuzz-long    the same, each run FUZZ_SECONDS (default 3600)
#   make diff         DIFF_COUNT random modules (binaryen) run by b8g and node
#   make js           QuickJS for wasm32-wasi with our driver: $(BUILD)/js/qjs.wasm,
#                     and its pre-initialised image $(BUILD)/js/qjs.b8g (b8g js)

CC ?= cc
BUILD ?= build
SPEC_DIR ?= ../shared/spec/wasm-2.0
OPT ?= -O2
WERROR ?= -Werror
CFLAGS_BASE = -std=gnu11 $(OPT) -g -Wall -Wextra $(WERROR) -fPIC \
              -fvisibility=hidden -Iinclude -Isrc -I$(BUILD)/gen -DB8G_BUILDING $(EXTRA_CFLAGS)
ifeq ($(BOUNDS_CHECK),1)
CFLAGS_BASE += -DB8G_BOUNDS_CHECK=1
endif
ifeq ($(SAN),1)
CFLAGS_BASE += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS_SAN = -fsanitize=address,undefined
endif
ifeq ($(TSAN),1)
CFLAGS_BASE += -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS_SAN = -fsanitize=thread
endif
LDLIBS = -lm -lpthread -lseccomp -lxxhash

LIB_SRC := $(sort $(wildcard src/util/*.c src/wasm/*.c src/exec/*.c src/rt/*.c src/cap/*.c src/wasi/*.c src/api/*.c src/sys/*.c src/snap/*.c src/trace/*.c src/prof/*.c src/debug/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/*_test.c))
UNIT_BIN := $(filter-out $(UNIT_SKIP:%=$(BUILD)/tests/%),$(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%))
HEADERS := $(wildcard include/*.h src/*/*.h src/*/*.def)

.PHONY: fuzz fuzz-long fuzz-targets diff examples js
.PHONY: all lib cli test unit spec hostile wasi-guests san clang tsan portable clean check-headers demo bench

all: lib cli

lib: $(BUILD)/libb8g.a $(BUILD)/libb8g.so
cli: $(BUILD)/b8g

$(BUILD)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -c $< -o $@

# Translated code that images carry (src/exec/xlstore.h) runs only in the
# build that made it: its id hashes everything that decides what the
# translator emits and what the interpreter makes of it.
XL_BUILD_SRC := $(sort $(wildcard src/exec/* src/wasm/*))
$(BUILD)/gen/xl_build.h: $(XL_BUILD_SRC) Makefile
	@mkdir -p $(dir $@)
	@{ cat $(XL_BUILD_SRC); echo '$(filter -D%,$(CFLAGS_BASE))'; } | sha256sum | \
	  { read h _; echo "#define XL_BUILD_HASH \"$${h%????????????????????????????????}\""; } > $@.tmp
	@mv $@.tmp $@
$(BUILD)/obj/src/exec/xlstore.o: $(BUILD)/gen/xl_build.h

$(BUILD)/libb8g.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libb8g.so: $(LIB_OBJ)
	$(CC) -shared $(LDFLAGS_SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/b8g: $(CLI_OBJ) $(BUILD)/libb8g.a
	$(CC) $(LDFLAGS_SAN) -o $@ $(CLI_OBJ) $(BUILD)/libb8g.a -ljansson $(LDLIBS)

# Unit tests link the static library so they can reach internal modules.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libb8g.a $(HEADERS) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $< $(BUILD)/libb8g.a $(LDFLAGS_SAN) -lcmocka $(LDLIBS)

$(BUILD)/tests/spec-runner: $(wildcard tests/spec/*.c tests/spec/*.h) include/b8g.h $(BUILD)/libb8g.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $(filter %.c,$^) $(BUILD)/libb8g.a $(LDFLAGS_SAN) -ljansson $(LDLIBS)

$(BUILD)/tests/mutate: $(wildcard tests/hostile/*.c) $(BUILD)/libb8g.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $(filter %.c,$^) $(BUILD)/libb8g.a $(LDFLAGS_SAN) $(LDLIBS)

# wast2json output is generated at test time, never committed.
$(BUILD)/spec/.converted: $(wildcard $(SPEC_DIR)/*.wast) tests/spec/convert.sh
	@mkdir -p $(BUILD)/spec
	tests/spec/convert.sh $(SPEC_DIR) $(BUILD)/spec
	@touch $@

# WASI test guests: C programs for wasm32-wasi, built with clang and
# wasi-libc whatever CC builds the engine (tests/wasi/run.sh runs them).
WASI_CC ?= clang
WASI_CFLAGS = --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror
WASI_GUEST_SRC := $(sort $(wildcard tests/wasi/guests/*.c))
WASI_GUESTS := $(WASI_GUEST_SRC:tests/wasi/guests/%.c=$(BUILD)/tests/wasi/%.wasm)

$(BUILD)/tests/wasi/%.wasm: tests/wasi/guests/%.c $(wildcard tests/wasi/guests/*.h)
	@mkdir -p $(dir $@)
	$(WASI_CC) $(WASI_CFLAGS) -o $@ $<

# Guests of the ABI unit test (tests/unit/abi_test.c), from WAT.
ABI_GUESTS := $(patsubst tests/abi/%.wat,$(BUILD)/tests/abi/%.wasm,$(wildcard tests/abi/*.wat))
$(BUILD)/tests/abi/%.wasm: tests/abi/%.wat
	@mkdir -p $(dir $@)
	wat2wasm $< -o $@

unit: $(UNIT_BIN) $(ABI_GUESTS)
spec: $(BUILD)/tests/spec-runner $(BUILD)/spec/.converted
hostile: $(BUILD)/tests/mutate $(BUILD)/b8g $(BUILD)/spec/.converted
wasi-guests: $(WASI_GUESTS)

test: all unit spec hostile wasi-guests examples js
	BUILD=$(BUILD) tests/run.sh

san:
	$(MAKE) BUILD=build-san SAN=1 OPT=-O1 test

# ThreadSanitizer over the library and the unit tests - where the threads
# are (the kernel objects of cap/, stores used from several threads) - and
# over the CLI suites whose processes run threads: b8g compose (a thread
# per component), b8g run's timeout watchdog (tests/cli/run.sh) and the
# runaway guests.  The spec, WASI and hostile suites run one guest on one
# thread and would only be slow.  Any report fails the run (exit status
# 66).  TSan cannot run a SIGSEGV handler that jumps out of a guard-page
# fault (the process dies), so this build uses explicit bounds checks, and
# skips memory_test, whose test_guard faults on guard pages directly, and
# confine_test, which checks that Landlock covers the whole process: TSan's
# runtime starts a thread of its own before main, and a kernel without
# Landlock's thread sync (ABI 8) confines only the calling thread.
TSAN_SKIP ?= memory_test confine_test
TSAN_OPTIONS_RUN = halt_on_error=1 exitcode=66 second_deadlock_stack=1
tsan:
	$(MAKE) BUILD=build-tsan TSAN=1 OPT=-O1 BOUNDS_CHECK=1 UNIT_SKIP="$(TSAN_SKIP)" \
	  lib unit cli examples build-tsan/spec/.converted
	rm -f $(TSAN_SKIP:%=build-tsan/tests/%)
	BUILD=build-tsan THREADED_ONLY=1 TSAN_OPTIONS="$(TSAN_OPTIONS_RUN)" tests/run.sh

# The same suites built with clang, and with explicit bounds checks and the
# portable switch dispatch instead of guard pages and computed goto.
clang:
	$(MAKE) BUILD=build-clang CC=clang test

portable:
	$(MAKE) BUILD=build-portable BOUNDS_CHECK=1 EXTRA_CFLAGS=-DB8G_NO_COMPUTED_GOTO test

check-headers:
	@for h in include/b8g.h $(wildcard src/*/*.h); do \
	  echo "#include \"$${h#*/}\"" | $(CC) $(CFLAGS_BASE) -Iinclude -Isrc -x c -fsyntax-only - || exit 1; \
	done; echo "headers ok"

$(BUILD)/bench/loadtime: bench/loadtime.c $(BUILD)/libb8g.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $< $(BUILD)/libb8g.a $(LDFLAGS_SAN) $(LDLIBS)

$(BUILD)/bench/micro: bench/micro.c $(BUILD)/libb8g.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $< $(BUILD)/libb8g.a $(LDFLAGS_SAN) $(LDLIBS)

$(BUILD)/bench/snapshot: bench/snapshot.c $(BUILD)/libb8g.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $< $(BUILD)/libb8g.a $(LDFLAGS_SAN) $(LDLIBS)

$(BUILD)/bench/%.wasm: bench/micro/%.wat
	@mkdir -p $(dir $@)
	wat2wasm $< -o $@

$(BUILD)/bench/xlsize: bench/xlsize.c $(BUILD)/libb8g.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $< $(BUILD)/libb8g.a $(LDFLAGS_SAN) $(LDLIBS)

$(BUILD)/bench/pipes: bench/pipes.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $<

BENCH_MICRO := $(BUILD)/bench/micro $(BUILD)/bench/small.wasm $(BUILD)/bench/calls.wasm \
               $(BUILD)/bench/snapshot $(BUILD)/bench/snapinit.wasm

# Everything in BENCHMARKS.md that one command can measure: translation
# throughput, in-process micro-benchmarks, whole-process start-up against
# Node, and (when ../shared/bench is beside the checkout) the yardstick
# with native, b8g and node in one run (bench/yardstick.sh).  Run it on a
# quiet machine: the figures are ratios of timings taken side by side.
bench: $(BUILD)/bench/loadtime $(BENCH_MICRO) $(BUILD)/b8g
	$(BUILD)/bench/loadtime 10 5
	$(BUILD)/bench/micro $(BUILD)/bench/small.wasm $(BUILD)/bench/calls.wasm
	$(BUILD)/bench/snapshot $(BUILD)/bench/snapinit.wasm 1000
	BUILD=$(BUILD) bench/startup.sh
	BUILD=$(BUILD) bench/compose.sh
	BUILD=$(BUILD) bench/js.sh
	BUILD=$(BUILD) bench/yardstick.sh

# Example components (examples/components/*.c) for `b8g compose`
# (examples/pipeline.json, examples/pingpong.json): C built as WASI
# reactors exporting b8g_main.
EXAMPLE_COMPONENTS := $(patsubst examples/components/%.c,$(BUILD)/examples/%.wasm,$(wildcard examples/components/*.c))
$(BUILD)/examples/%.wasm: examples/components/%.c examples/components/common.h include/b8g_abi.h
	@mkdir -p $(dir $@)
	$(WASI_CC) $(WASI_CFLAGS) -Iinclude -mexec-model=reactor -Wl,--export=b8g_main -o $@ $<
# A host program embedding the library: starts worker.wasm through its
# canonical entry b8g_main(shared, private, callback).
$(BUILD)/examples/host: examples/host.c $(BUILD)/libb8g.a include/b8g.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $< $(BUILD)/libb8g.a $(LDFLAGS_SAN) $(LDLIBS)
examples: $(EXAMPLE_COMPONENTS) $(BUILD)/examples/host

demo: all examples js
	examples/demo.sh

# JavaScript in the sandbox: QuickJS 2021-03-27, as shipped in the npm
# package qjsc@0.3.0 (js/fetch.sh fetches it once into $(BUILD)/js and
# checks its pinned SHA-256), built for wasm32-wasi with our driver
# (js/driver.c, timers.c, radix.c, console.js) into $(BUILD)/js/qjs.wasm;
# tests/cli/js.sh runs it.  The vendored sources are never edited: what
# wasi-libc lacks comes from js/compat (a header force-included into them,
# a single-threaded pthread.h, directed rounding in software), and their
# warnings are silenced for them alone (-w); ours build with -Werror.
# The shadow stack goes first in memory, so that overflowing it traps
# instead of overwriting data; the driver sets QuickJS's stack limit
# from its size.
QJS_VERSION = 2021-03-27
QJS_STACK_SIZE ?= 2097152
JS_BUILD = $(BUILD)/js
QJS_DIR = $(JS_BUILD)/quickjs
QJS_ENGINE_OBJ := $(patsubst %,$(JS_BUILD)/engine/%.o,quickjs libregexp libunicode cutils libbf)
QJS_DRIVER_OBJ := $(patsubst js/%.c,$(JS_BUILD)/obj/%.o,js/driver.c js/timers.c js/radix.c js/compat/rounding.c)
QJS_ENGINE_CFLAGS = --target=wasm32-wasi --sysroot=/usr -O2 -w -D_GNU_SOURCE \
                    -DCONFIG_VERSION=\"$(QJS_VERSION)\" -DCONFIG_BIGNUM \
                    -Ijs/compat -include js/compat/quickjs_wasi.h
QJS_DRIVER_CFLAGS = $(WASI_CFLAGS) -std=gnu11 -isystem $(QJS_DIR) -I$(JS_BUILD) \
                    -DQJS_STACK_SIZE=$(QJS_STACK_SIZE)

$(QJS_DIR)/.extracted: js/fetch.sh
	js/fetch.sh $(JS_BUILD)

$(JS_BUILD)/engine/%.o: $(QJS_DIR)/.extracted $(wildcard js/compat/*.h)
	@mkdir -p $(dir $@)
	$(WASI_CC) $(QJS_ENGINE_CFLAGS) -c $(QJS_DIR)/$*.c -o $@

$(JS_BUILD)/console_js.h: js/console.js js/embed.sh
	@mkdir -p $(dir $@)
	js/embed.sh $< $@ b8g_console_js

# Makefile: QJS_STACK_SIZE is compiled into the driver and linked.
$(JS_BUILD)/obj/%.o: js/%.c js/driver.h $(wildcard js/compat/*.h) $(JS_BUILD)/console_js.h $(QJS_DIR)/.extracted Makefile
	@mkdir -p $(dir $@)
	$(WASI_CC) $(QJS_DRIVER_CFLAGS) -c $< -o $@

$(JS_BUILD)/qjs.wasm: $(QJS_ENGINE_OBJ) $(QJS_DRIVER_OBJ)
	$(WASI_CC) --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--stack-first \
	  -Wl,-z,stack-size=$(QJS_STACK_SIZE) -o $@ $^ -lm

# The pre-initialised image `b8g js` runs (src/cli/js.c finds it beside
# the b8g executable): made with no --dir and no arguments, so that every
# run grants its own script directories, and with the translated code of
# every function the init ran (--code), which only this build of b8g
# takes.  Remade with b8g, whose image format and code it holds.
$(JS_BUILD)/qjs.b8g: $(JS_BUILD)/qjs.wasm $(BUILD)/b8g
	$(BUILD)/b8g snapshot $(JS_BUILD)/qjs.wasm --init b8g_js_init --code -o $@

js: $(JS_BUILD)/qjs.wasm $(JS_BUILD)/qjs.b8g

# The same QuickJS and driver built for the host with gcc -O2, for
# bench/js.sh: the limit for running QuickJS's interpreter inside ours.
# Without js/compat (the host has pthreads and directed rounding); the
# driver's wasm export attribute is ignored (-Wno-attributes).
$(BUILD)/bench/qjs-native: $(QJS_DIR)/.extracted js/driver.c js/timers.c js/radix.c js/driver.h $(JS_BUILD)/console_js.h
	@mkdir -p $(dir $@)
	$(CC) -O2 -w -D_GNU_SOURCE -DCONFIG_VERSION=\"$(QJS_VERSION)\" -DCONFIG_BIGNUM \
	  -DQJS_STACK_SIZE=8388608 -isystem $(QJS_DIR) -I$(JS_BUILD) -o $@ \
	  $(addprefix $(QJS_DIR)/,quickjs.c libregexp.c libunicode.c cutils.c libbf.c) \
	  js/driver.c js/timers.c js/radix.c -lm -lpthread

# Fuzz targets: the library is rebuilt with clang and coverage
# instrumentation in $(FUZZ_LIB_BUILD); the targets land in $(BUILD)/fuzz.
# tests/fuzz/run.sh builds them, makes the seed corpora and runs each target.
FUZZ_CC ?= clang
FUZZ_LIB_BUILD ?= build-fuzz
FUZZ_TIME ?= 20
# -O0: with ASan, -O1 takes minutes on the interpreter's dispatch loop.
FUZZ_OPT ?= -O0
FUZZ_SECONDS ?= 3600
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

fuzz-targets:
	$(MAKE) BUILD=$(FUZZ_LIB_BUILD) CC=$(FUZZ_CC) OPT=$(FUZZ_OPT) \
	  EXTRA_CFLAGS='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' $(FUZZ_LIB_BUILD)/libb8g.a
	$(MAKE) $(FUZZ_BINS)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_BUILD)/libb8g.a include/b8g.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 $(FUZZ_OPT) -g -Wall -Wextra -Werror -Iinclude -Isrc \
	  -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< $(FUZZ_LIB_BUILD)/libb8g.a $(LDLIBS)

fuzz: $(BUILD)/spec/.converted
	BUILD=$(BUILD) tests/fuzz/run.sh $(FUZZ_TIME)

fuzz-long: $(BUILD)/spec/.converted
	BUILD=$(BUILD) tests/fuzz/run.sh $(FUZZ_SECONDS)

# Differential testing against node: tests/diff/run.sh generates modules
# with binaryen and compares what b8g (this driver) and node report.
DIFF_COUNT ?= 300
$(BUILD)/tests/diff-driver: tests/diff/driver.c $(BUILD)/libb8g.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -o $@ $< $(BUILD)/libb8g.a $(LDFLAGS_SAN) $(LDLIBS)

diff: $(BUILD)/tests/diff-driver
	BUILD=$(BUILD) tests/diff/run.sh $(DIFF_COUNT)

clean:
	rm -rf build build-san build-clang build-portable build-fuzz build-tsan
