#!/usr/bin/env bash
# The README's test command, and CI's (.ci/run). Three stages, each must pass:
#   1. install, build (build/) and run every test through ctest;
#   2. the same whole suite built with ASan + UBSan (build-asan/, ZGT_SANITIZE);
#   3. each libFuzzer target for ZGT_FUZZ_SECONDS (default 60) from its seed
#      corpus, then every saved crash input replayed (build-fuzz/, clang;
#      fuzz/run.sh).
# ZGT_QUICK=1 runs stage 1 only, and says so. Ends with a summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
started=$SECONDS

echo "== stage 1: build/ and ctest"
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${ZGT_QUICK:-0}" = 1 ]; then
  echo "ZGT_QUICK=1: stage 2 (sanitizers) and stage 3 (fuzzers) were NOT run"
  exit 0
fi

echo "== stage 2: build-asan/ (ASan + UBSan) and ctest"
# -O1 keeps ASan's stack traces exact and the build about as fast as -O2.
cmake -S . -B build-asan -G Ninja -DZGT_SANITIZE=ON -DZGT_BUILD_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" >/dev/null
# The build runs each test binary to list its tests (catch_discover_tests):
# leak reports there would fail the build, not a test; the run below has them.
ASAN_OPTIONS=detect_leaks=0 cmake --build build-asan -j"$jobs"
# Any ASan or UBSan report aborts the test that hit it (exit 1 → ctest fails).
ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0" \
LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 1500

echo "== stage 3: fuzzers"
bash fuzz/run.sh

echo "scripts/test.sh: all three stages passed in $(( (SECONDS - started) / 60 )) min"
