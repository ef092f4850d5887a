#!/usr/bin/env bash
# Runs the durable-runtime benchmark (bench/durable_bench.cc): the standard
# app-listing workload (shared/bench/WORKLOAD.md) through CaseRunner on SQLite
# (WAL, synchronous=FULL) and on a throwaway PostgreSQL server with default
# durability, with 1 and 8 clients and 64 inputs in flight, each beside the
# ceiling of plain single-row transactions on the same database, medians of 3.
#
#   bench/run_durable_bench.sh [--seconds S] [--runs R] [--backend sqlite|postgres]
#
# Environment: BUILD_DIR (default <root>/build-bench), RESULTS_DIR (default
# <root>/bench/results/durable-<time>), JOBS (build parallelism, default 2).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results/durable-$(date +%Y%m%d-%H%M%S)}"
JOBS="${JOBS:-2}"
ARGS=()
BACKENDS=(sqlite postgres)
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds|--runs) ARGS+=("$1" "$2"); shift 2 ;;
    --backend) BACKENDS=("$2"); shift 2 ;;
    -h|--help) sed -n 2,11p "$0"; exit 0 ;;
    *) echo "run_durable_bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DZGT_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS" --target zgt_durable_bench >/dev/null
mkdir -p "$RESULTS_DIR"
cd "$ROOT"
for backend in "${BACKENDS[@]}"; do
  "$BUILD_DIR/bench/zgt_durable_bench" --backend "$backend" "${ARGS[@]}" | tee "$RESULTS_DIR/$backend.txt"
  echo
done
echo "results in $RESULTS_DIR"
