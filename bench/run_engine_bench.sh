#!/usr/bin/env bash
# Runs the standard workload (shared/bench/WORKLOAD.md) on zgtflow (core::Step,
# bench/engine_bench.cc) and on XState v5 (bench/xstate/workload.mjs) in the
# same run, and prints medians and ratios as a table. docs/performance.md.
#
#   bench/run_engine_bench.sh [--runs R] [--n N] [--m M] [--xstate-n N] [--xstate-m M]
#
# Environment: BUILD_DIR (default <root>/build-bench), RESULTS_DIR (default
# <root>/bench/results/<time>), JOBS (build parallelism, default 2).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)}"
JOBS="${JOBS:-2}"
RUNS=3
N=1000000          # Workload A, zgtflow: the size WORKLOAD.md specifies.
M=100000           # Workload B, both sides.
XSTATE_N=100000    # Workload A, XState: 1,000,000 would take about a minute a run.
XSTATE_M=""

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --n) N="$2"; shift 2 ;;
    --m) M="$2"; shift 2 ;;
    --xstate-n) XSTATE_N="$2"; shift 2 ;;
    --xstate-m) XSTATE_M="$2"; shift 2 ;;
    -h|--help) sed -n 2,10p "$0"; exit 0 ;;
    *) echo "run_engine_bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
XSTATE_M="${XSTATE_M:-$M}"

# 1. Build zgt_engine_bench (Release, -O2), only that target.
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S "$ROOT" -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DZGT_BUILD_BENCH=ON >/dev/null
fi
cmake --build "$BUILD_DIR" -j"$JOBS" --target zgt_engine_bench >/dev/null
BIN="$BUILD_DIR/bench/zgt_engine_bench"

# 2. XState, installed into bench/xstate/node_modules (gitignored).
XSTATE_DIR="$ROOT/bench/xstate"
if [ ! -d "$XSTATE_DIR/node_modules/xstate" ]; then
  (cd "$XSTATE_DIR" && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; }) >&2
fi

mkdir -p "$RESULTS_DIR"
HAVE_TIME=0
[ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1 && HAVE_TIME=1

# run NAME CMD…: stdout → NAME.out; the whole process measured from outside
# → NAME.time (/usr/bin/time -v, or the wall time alone without it).
run() {
  local name="$1"; shift
  if [ "$HAVE_TIME" = 1 ]; then
    /usr/bin/time -v -o "$RESULTS_DIR/$name.time" "$@" >"$RESULTS_DIR/$name.out"
  else
    local t0 t1
    t0=$(date +%s%N)
    "$@" >"$RESULTS_DIR/$name.out"
    t1=$(date +%s%N)
    awk -v ns=$((t1 - t0)) 'BEGIN { printf "\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:%.3f\n", ns / 1e9 }' \
      >"$RESULTS_DIR/$name.time"
  fi
}

# 3. Each side RUNS times, interleaved so that noise hits both alike. B also
# runs with M = 0, the baseline of the whole-process peak RSS delta.
for r in $(seq 1 "$RUNS"); do
  echo "run $r/$RUNS …" >&2
  run "zgtflow-A-$r" "$BIN" --mode A --n "$N" --json
  run "xstate-A-$r" node --expose-gc "$XSTATE_DIR/workload.mjs" --mode=A --n="$XSTATE_N"
  run "zgtflow-B-$r" "$BIN" --mode B --m "$M" --json
  run "zgtflow-B0-$r" "$BIN" --mode B --m 0 --json
  run "xstate-B-$r" node --expose-gc "$XSTATE_DIR/workload.mjs" --mode=B --m="$XSTATE_M"
  run "xstate-B0-$r" node --expose-gc "$XSTATE_DIR/workload.mjs" --mode=B --m=0
done

# 4. Medians, ratios, the table.
{
  echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  node "$ROOT/bench/summarize.mjs" "$RESULTS_DIR" "$RUNS"
} | tee "$RESULTS_DIR/summary.md"
echo "(raw outputs in $RESULTS_DIR)" >&2
