#!/usr/bin/env bash
# Builds zgt_timer_lag_bench and runs it: 100,000 pending timers due over a
# window, fired by TimerWorker(s), on SQLite and on PostgreSQL (a throwaway
# server with default durability); prints one TIMER-LAG line per run with the
# firing lag p50/p99/max and timers/s. docs/performance.md has the figures.
#
#   bench/run_timer_lag_bench.sh [--timers N] [--window-ms W] [--backends "sqlite postgres"]
#
# Environment: BUILD_DIR (default <root>/build-bench), JOBS (default 2).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
JOBS="${JOBS:-2}"
TIMERS=100000
WINDOW_MS=20000
BACKENDS="sqlite postgres"

while [ $# -gt 0 ]; do
  case "$1" in
    --timers) TIMERS="$2"; shift 2 ;;
    --window-ms) WINDOW_MS="$2"; shift 2 ;;
    --backends) BACKENDS="$2"; shift 2 ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) echo "run_timer_lag_bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DZGT_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS" --target zgt_timer_lag_bench >/dev/null
BENCH="$BUILD_DIR/bench/zgt_timer_lag_bench"

cd "$ROOT"
for backend in $BACKENDS; do
  # The worker as `zgtflow serve` runs it: 64 firing threads whose commits
  # are grouped (CommitBatcher), claims of 2,000. First every timer due
  # within the window (a burst: N/W per second), then the same N pending
  # timers falling due over a 5x longer window (a steady stream).
  "$BENCH" --backend "$backend" --timers "$TIMERS" --window-ms "$WINDOW_MS" \
           --threads 64 --batched --batch 2000 || true
  "$BENCH" --backend "$backend" --timers "$TIMERS" --window-ms "$((WINDOW_MS * 5))" \
           --threads 64 --batched --batch 2000 || true
done
