# gongyou: the two commands of a fresh machine are `make demo` and `make test`.
# Everything else is CMake under build/ (normal) and build/asan (ASan+UBSan).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_TYPE ?= RelWithDebInfo

.PHONY: all deps build build-asan test test-unit demo clean format fuzz peer

all: build

deps:
	@sh tools/install-deps.sh

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DGONGYOU_WERROR=ON >/dev/null
	@cmake --build build -j $(JOBS)

build-asan: deps
	@cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DGONGYOU_WERROR=ON \
		-DGONGYOU_SANITIZE=ON >/dev/null
	@cmake --build build/asan -j $(JOBS)

# The whole suite, in the normal and in the sanitizer build, then the unit tests of the
# normal build under valgrind (label memcheck), then the fuzz targets.
test: build build-asan peer
	@echo "== tests: normal build =="
	@ctest --test-dir build --output-on-failure -j $(JOBS) -LE memcheck
	@echo "== tests: ASan+UBSan build =="
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir build/asan --output-on-failure -j $(JOBS)
	@echo "== tests: unit tests under valgrind memcheck =="
	@ctest --test-dir build --output-on-failure -j $(JOBS) -L memcheck
	@$(MAKE) --no-print-directory fuzz

# node-smpp for the integration tests (tests/integration): npm ci in tests/peer when
# node_modules is missing or older than package-lock.json.
peer: deps
	@if [ ! -d tests/peer/node_modules ] || [ tests/peer/package-lock.json -nt tests/peer/node_modules ]; then \
		echo "== npm ci in tests/peer =="; \
		cd tests/peer && npm ci --no-audit --no-fund && touch node_modules; \
	fi

# Brief libFuzzer runs (clang) of every tests/fuzz/fuzz_*.c, FUZZ_SECONDS each, through
# ctest (label "fuzz"): a crash, leak or sanitizer report fails the target.
FUZZ_SECONDS ?= 10
fuzz: deps
	@echo "== fuzz: $(FUZZ_SECONDS) s per target =="
	@CC=clang cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGONGYOU_FUZZ=ON \
		-DGY_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@cmake --build build/fuzz -j $(JOBS) --target fuzz_all
	@ctest --test-dir build/fuzz --output-on-failure -L fuzz -j $(JOBS)

demo: build
	@sh tools/demo.sh $(if $(MSISDN),--msisdn $(MSISDN))

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf build
