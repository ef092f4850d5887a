#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/, ZGT_BUILD_FUZZ) and
# runs each for ZGT_FUZZ_SECONDS (default 60) from its committed seed corpus
# (fuzz/corpus/NAME/, read only: new inputs go to build-fuzz/corpus/NAME/).
# A crash, leak, timeout (>10 s for one input) or sanitizer report fails the
# run; the input is left in build-fuzz/crashes/NAME/ and should become a
# regression test (tests/regress/inputs/NAME/). Prints one line per target:
#   fuzz NAME: RUNS executions in SECONDS s, CRASHES crashes
# and writes them to build-fuzz/fuzz-summary.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${ZGT_FUZZ_SECONDS:-60}"
targets=(flow scenario expression api_request)

CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DZGT_BUILD_FUZZ=ON -DZGT_BUILD_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/%/_fuzzer}"

summary=build-fuzz/fuzz-summary.txt
: > "$summary"
failed=0
for name in "${targets[@]}"; do
  work=build-fuzz/corpus/$name
  crashes=build-fuzz/crashes/$name
  mkdir -p "$work" "$crashes"
  dict=()
  [ "$name" = flow ] && dict=(-dict=fuzz/flow.dict)
  log=build-fuzz/fuzz-$name.log
  set +e
  ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    "build-fuzz/fuzz/${name}_fuzzer" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$work" "fuzz/corpus/$name" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  found=$(find "$crashes" -type f | wc -l)
  line="fuzz $name: ${runs:-0} executions in $seconds s, $found crashes (exit $rc)"
  echo "$line" | tee -a "$summary"
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    failed=1
    grep -A30 -m1 'ERROR: \|runtime error\|==ERROR\|deadly signal\|timeout' "$log" | head -60 || true
  fi
done
exit "$failed"
