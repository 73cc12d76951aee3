# The face a newcomer sees. Every target first installs what is missing.
#   make         build build/sluice (Release)
#   make test    build, run every test, then the whole suite again under ASan+UBSan
#   make demo    word count over a local socket, results read back with sqlite3
#   make bench   benchmarks (word count, tumbling window, checkpoint cost, Kafka in, decoders); figures go to bench/RESULTS.md
#   make fuzz    each libFuzzer target for FUZZ_SECONDS (clang; see tests/fuzz/README.md)
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
JOBS       ?= $(shell nproc)
CTEST_FLAGS = --output-on-failure -j$(JOBS)

.PHONY: all deps build test test-release test-asan demo bench fuzz clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

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

bench: build
	@bench/run.sh $(BUILD)
	@bench/windows.sh $(BUILD)
	@bench/checkpoint.sh $(BUILD)
	@bench/kafka.sh $(BUILD)
	@bench/decode.sh $(BUILD)

fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DSLUICE_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS)
	@tests/fuzz/run-fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
