# The face a newcomer sees. Every target first installs what is missing.
#   make         build build/sluice (Release)
#   make test    build, run every test, then the whole suite again under ASan+UBSan
#   make install the binary and its man page under PREFIX (default /usr/local; DESTDIR honoured)
#   make demo    word count over a local socket, results read back with sqlite3
#   make bench   benchmarks, a few minutes (word count, tumbling window, checkpoint cost, Kafka in,
#                decoders, the Nexmark suite with DuckDB and sqlite3 baselines); figures go to bench/RESULTS.md
#   make bench-full  the same at larger sizes (bench/nexmark/run.sh says which)
#   make fuzz    each libFuzzer target (or FUZZ_ONLY's) for FUZZ_SECONDS, FUZZ_PARALLEL at once (clang; tests/fuzz/README.md)
#   make soak    kill -9, servers stopped and disks filled, for an hour or so (docs/operations.md)
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
FUZZ_PARALLEL ?= 1
FUZZ_ONLY ?=
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc)
CTEST_FLAGS = --output-on-failure -j$(JOBS)

.PHONY: all deps build install test test-release test-asan demo bench bench-full fuzz soak clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

test: test-release test-asan

test-release: build
	ctest --test-dir $(BUILD) $(CTEST_FLAGS)

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSLUICE_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) $(CTEST_FLAGS)

demo: build
	@examples/demo.sh $(BUILD)

# Each script's defaults are its full size; make bench shortens the longest. bench-full's
# generator runs stop at 10 M events: q16 holds about 300 bytes of distinct sets a bid.
BENCH_SCRIPTS = run.sh windows.sh checkpoint.sh kafka.sh decode.sh nexmark/run.sh
BENCH_QUICK   = BENCH_EVENTS=20000000 BENCH_CKPT_GROUPS="10000 1000000"
BENCH_FULL    = NEXMARK_FULL=1 NEXMARK_EVENTS=10000000 NEXMARK_FILE_EVENTS=5434783 NEXMARK_RUNS=3 \
                NEXMARK_HEADLINE_RUNS=3 NEXMARK_SQLITE_TIMEOUT=600 NEXMARK_LATENCY_SECONDS=180 \
                NEXMARK_WORDCOUNT_WORDS="10000000 100000000"

# One script failing is said and the others still run; make fails at the end.
run_benches = status=0; for s in $(BENCH_SCRIPTS); do env $(1) bench/$$s $(BUILD) || \
  { echo "make: bench/$$s failed" >&2; status=1; }; done; exit $$status

bench: build
	@$(call run_benches,$(BENCH_QUICK))

bench-full: build
	@$(call run_benches,$(BENCH_FULL))

fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DSLUICE_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS)
	@FUZZ_PARALLEL=$(FUZZ_PARALLEL) FUZZ_ONLY='$(FUZZ_ONLY)' tests/fuzz/run-fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

soak: build
	@tests/soak/run $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
