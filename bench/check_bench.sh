#!/usr/bin/env bash
# Front-end benchmark: times `zgtflow check` (parse → check → lower) on a
# generated ~10,000-line workflow (bench/gen_large_flow.py), RUNS times, and
# prints the median wall time, lines per second and peak RSS. Targets
# (docs/cli.md): median < 0.5 s, peak RSS < 200 MB.
#
#   bench/check_bench.sh [--lines N] [--runs R]
#
# Environment: ZGTFLOW (the binary; default <root>/build/cli/zgtflow, built
# with `cmake --build` when missing), BUILD_DIR (default <root>/build).
# On a loaded machine compare the CPU time (user + system), which other jobs
# inflate far less than the wall time. Uses hyperfine for the timing when installed, /usr/bin/time -v otherwise
# (and always for peak RSS).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
ZGTFLOW="${ZGTFLOW:-$BUILD_DIR/cli/zgtflow}"
LINES=10000
RUNS=5

while [ $# -gt 0 ]; do
  case "$1" in
    --lines) LINES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    *) echo "check_bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ ! -x "$ZGTFLOW" ]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target zgtflow
fi
if [ ! -x /usr/bin/time ]; then
  echo "check_bench.sh: /usr/bin/time is missing (Debian package 'time')" >&2
  exit 1
fi

WORK="$(mktemp -d /tmp/zgtflow-check-bench-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
FLOW="$WORK/large.flow"
python3 "$ROOT/bench/gen_large_flow.py" --lines "$LINES" > "$FLOW"
ACTUAL_LINES=$(wc -l < "$FLOW")

# The file must be valid, or the benchmark measures error reporting.
if ! "$ZGTFLOW" check "$FLOW" > "$WORK/check.out" 2> "$WORK/check.err"; then
  echo "check_bench.sh: the generated file does not check clean:" >&2
  head -20 "$WORK/check.err" >&2
  exit 1
fi

# Peak RSS (and the wall time when hyperfine is absent), one /usr/bin/time per run.
seconds=()
cpu_seconds=()
rss_kb=()
for _ in $(seq "$RUNS"); do
  /usr/bin/time -v -o "$WORK/time.txt" "$ZGTFLOW" check "$FLOW" > /dev/null 2>&1
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt")
  seconds+=("$(echo "$wall" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')")
  user=$(sed -n 's/.*User time (seconds): //p' "$WORK/time.txt")
  sys=$(sed -n 's/.*System time (seconds): //p' "$WORK/time.txt")
  cpu_seconds+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")
  rss_kb+=("$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")")
done
timer="/usr/bin/time -v"
if command -v hyperfine > /dev/null; then
  timer="hyperfine"
  hyperfine --runs "$RUNS" --warmup 1 --export-json "$WORK/hyperfine.json" \
    "'$ZGTFLOW' check '$FLOW'" > /dev/null
  mapfile -t seconds < <(python3 -c 'import json,sys; print("\n".join(str(t) for t in json.load(open(sys.argv[1]))["results"][0]["times"]))' "$WORK/hyperfine.json")
fi

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
MEDIAN_S=$(median "${seconds[@]}")
MEDIAN_CPU=$(median "${cpu_seconds[@]}")
PEAK_KB=$(printf '%s\n' "${rss_kb[@]}" | sort -n | tail -1)
PEAK_MB=$(awk -v kb="$PEAK_KB" 'BEGIN { printf "%.1f", kb / 1024 }')
LPS=$(awk -v l="$ACTUAL_LINES" -v s="$MEDIAN_S" 'BEGIN { if (s > 0) printf "%.0f", l / s; else print "inf" }')
PASS_TIME=$(awk -v s="$MEDIAN_S" 'BEGIN { print (s < 0.5) ? "ok" : "OVER" }')
PASS_RSS=$(awk -v m="$PEAK_MB" 'BEGIN { print (m < 200) ? "ok" : "OVER" }')

echo "zgtflow check on $ACTUAL_LINES lines, $RUNS runs (timing: $timer)"
echo "  runs (s):     ${seconds[*]}"
echo "  median:       $MEDIAN_S s   (target < 0.5 s: $PASS_TIME)"
echo "  median CPU:   $MEDIAN_CPU s   (user + system; wall time suffers when other jobs share the cores)"
echo "  lines/s:      $LPS"
echo "  peak RSS:     $PEAK_MB MB   (target < 200 MB: $PASS_RSS)"
