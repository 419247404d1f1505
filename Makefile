# SPDX-License-Identifier: Apache-2.0
# Front door: `make demo` and `make test` do everything on a fresh Debian 12 machine (as root).
JOBS ?= $(shell nproc)
BUILD ?= build
RELEASE_BUILD ?= build-release
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
TSAN_BUILD ?= build-tsan

.PHONY: all deps build build-release build-asan build-fuzz build-tsan test test-unit demo bench lint fuzz clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# Release (-O3) warns about things -O2 does not (array bounds after inlining): `make test` builds
# it too, so it stays warning-free. Build only, no tests run from it.
build-release: deps
	cmake -S . -B $(RELEASE_BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(RELEASE_BUILD) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DLIG_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# ThreadSanitizer: only ligd and the programs its thread churn test runs (a few minutes less
# than a whole tree); make test runs that one test against it.
build-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIG_TSAN=ON \
		-DLIG_DIRS="lib/netlink;src;lib/memif;lib/api;tools/ligctl;bench" >/dev/null
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target ligd ligctl lig-memif-responder api_routes

# libFuzzer targets need clang; everything is instrumented for coverage and ASan+UBSan.
build-fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DLIG_FUZZ=ON \
		-DLIG_DIRS="lib/netlink;src;lib/memif;lib/api;cninfra;agent;sfc;tests" >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

# Formatting, the -O3 Release build (compile only), all tests of the default (RelWithDebInfo)
# build, the unit tests and the integration tests that feed ligd hostile input (label
# "hostile", ~30 s) again under ASan+UBSan, where any sanitizer report fails the test, and
# the worker threads' churn test (~20 s; deferred frees while workers read) under ASan+UBSan
# and under ThreadSanitizer, where any race report fails it, then every fuzz target for a
# bounded time (LIG_FUZZ_SECONDS each, set at configure time).
test: lint build build-release build-asan build-fuzz build-tsan
	cd $(BUILD) && ctest --output-on-failure --timeout 600
	cd $(ASAN_BUILD) && ctest --output-on-failure --timeout 600 -L "unit|hostile"
	bash tests/integration/test_threads_churn.sh $(ASAN_BUILD)/bin
	bash tests/integration/test_threads_churn.sh $(TSAN_BUILD)/bin
	bash tests/integration/test_acl_nat_churn.sh $(TSAN_BUILD)/bin
	cd $(FUZZ_BUILD) && ctest --output-on-failure --timeout 600 -L fuzz

fuzz: build-fuzz
	cd $(FUZZ_BUILD) && ctest --output-on-failure -L fuzz

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -L unit

demo: build
	scripts/demo.sh $(BUILD)/bin

bench: build
	bench/run-all.sh $(BUILD)/bin

# Formatting is part of the tests: .clang-format is the house style.
lint: deps
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')
	@echo "lint: $$(git ls-files '*.c' '*.h' | wc -l) files formatted"

clean:
	rm -rf $(BUILD) $(RELEASE_BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(TSAN_BUILD)
