# The two commands of the README. Both install missing Debian packages first.
BUILD ?= _build

.PHONY: all deps build run test bench fuzz clean

all: build

deps:
	build-aux/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

run: build
	./$(BUILD)/app/handshake-lens

test: build
	BUILD=$(BUILD) build-aux/run-tests

bench: build
	./$(BUILD)/tests/bench/bench-engine

FUZZ_SECONDS ?= 60
fuzz:
	build-aux/install-deps --fuzz
	tests/fuzz/run-fuzzers $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) _build-asan _build-fuzz
