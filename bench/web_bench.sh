#!/usr/bin/env bash
# The web view's benchmark (docs/performance.md "Web view"): 100,000 cases
# stored on SQLite and on PostgreSQL (bench/web_load.cc), `zgtflow serve` on
# a loopback port, then wrk with 50 connections against the case page
# (random cases among all) and the case list (first page and a deep page);
# prints requests/s, p50 and p99 per target, with the CPU share of the
# server, of PostgreSQL and of wrk itself, and the load average (the machine
# is shared). Target: case page p99 < 50 ms.
# Before measuring, the server is left to deliver the notifications the load
# queued (one per case: a backlog no running system has), so that its outbox
# worker does not compete with the pages; ZGT_WEB_BENCH_NO_DRAIN=1 skips that.
# Usage: bench/web_bench.sh [BUILD_DIR] [CASES] [DURATION]
# (defaults: build-bench-web, 100000, 20s). ZGT_WEB_BENCH_BACKENDS="sqlite postgres".
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
build="${1:-build-bench-web}"
cases="${2:-100000}"
duration="${3:-20s}"
backends="${ZGT_WEB_BENCH_BACKENDS:-sqlite postgres}"

# wrk is only for this benchmark: installed here, not by scripts/setup.sh.
if ! command -v wrk >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends wrk >/dev/null
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target zgtflow zgt_web_load >/dev/null
zgtflow="$build/cli/zgtflow"
loader="$build/bench/zgt_web_load"

tmp="$(mktemp -d /tmp/zgt-web-bench.XXXXXX)"
chmod 755 "$tmp"
server_pid=""
pg_bin=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  if [ -n "$pg_bin" ] && [ -d "$tmp/pg" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$tmp/pg" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# wrk script: GET a random case page among the loaded ids.
cat > "$tmp/case_page.lua" <<LUA
math.randomseed(42)
request = function()
  local path = string.format("/cases/bench-%06d", math.random(0, $cases - 1))
  return wrk.format("GET", path)
end
LUA
# wrk prints latency percentiles with --latency; keep rps, p50 and p99.
report() {  # NAME WRK_OUTPUT_FILE CPU_NOTE
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p50=$(awk '$1=="50%" {print $2}' "$2")
  p99=$(awk '$1=="99%" {print $2}' "$2")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$2")
  printf '%-34s %10s req/s   p50 %8s   p99 %8s   %s%s\n' "$1" "$rps" "$p50" "$p99" "$3" \
    "${non2xx:+   non-2xx $non2xx}"
}
# CPU ticks used so far by a process, and by this benchmark's PostgreSQL
# cluster (its postmaster and the postmaster's children; other clusters on
# the machine are not counted).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local total=0 pid postmaster
  [ -f "$tmp/pg/postmaster.pid" ] || { echo 0; return; }
  postmaster=$(head -1 "$tmp/pg/postmaster.pid")
  for pid in "$postmaster" $(pgrep -P "$postmaster" || true); do
    total=$((total + $(ticks "$pid")))
  done
  echo "$total"
}
# wrk against URL with extra ARGS; reports as NAME with the CPU shares.
measure() {  # NAME OUTPUT_FILE ARGS...
  local name="$1" out="$2" hz s0 s1 p0 p1 l0 l1 wu ws we
  shift 2
  hz=$(getconf CLK_TCK)
  s0=$(ticks "$server_pid"); p0=$(pg_ticks); l0=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%U %S %e' -o "$out.time" \
    wrk -t2 -c50 -d"$duration" --latency -H "$auth" "$@" > "$out"
  s1=$(ticks "$server_pid"); p1=$(pg_ticks); l1=$(cut -d' ' -f1 /proc/loadavg)
  read -r wu ws we < "$out.time"
  report "$name" "$out" "$(awk -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v hz="$hz" -v u="$wu" \
    -v k="$ws" -v e="$we" -v l0="$l0" -v l1="$l1" 'BEGIN {
      printf "CPU: server %.0f%% postgres %.0f%% wrk %.0f%% (of 200%%), load %s-%s",
        s / hz / e * 100, p / hz / e * 100, (u + k) / e * 100, l0, l1 }')"
}

run_backend() {  # NAME DB_URL
  local name="$1" db="$2"
  if [ -z "${ZGT_SKIP_LOAD:-}" ]; then
    echo "== $name: loading $cases cases"
    "$loader" --db "$db" --cases "$cases" --threads 4 | sed 's/^/   /'
  fi
  [ -n "${ZGT_LOAD_ONLY:-}" ] && return 0
  echo "== $name: wrk, 50 connections, $duration per target"
  token=$("$zgtflow" token issue --role management_unit --db "$db" | grep -o 'zgt_[0-9a-z_]*' | head -1)
  "$zgtflow" serve --db "$db" --listen 127.0.0.1:0 > "$tmp/serve.out" 2>&1 &
  server_pid=$!
  local base=""
  for _ in $(seq 1 300); do
    base=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1 || true)
    [ -n "$base" ] && break
    sleep 0.1
  done
  [ -n "$base" ] || { cat "$tmp/serve.out"; exit 1; }
  auth="Authorization: Bearer $token"
  if [ -z "${ZGT_WEB_BENCH_NO_DRAIN:-}" ]; then
    local start pending=""
    start=$(date +%s)
    for _ in $(seq 1 900); do
      pending=$(curl -s -H "$auth" "$base/metrics" | awk '$1 == "zgtflow_outbox_pending" {print $2}')
      [ "$pending" = "0" ] && break
      sleep 2
    done
    echo "   outbox backlog delivered in $(( $(date +%s) - start )) s (pending now: ${pending:-?})"
  fi
  # Warm the diagram cache and the database's pages.
  wrk -t2 -c8 -d3s -H "$auth" -s "$tmp/case_page.lua" "$base" >/dev/null
  measure "$name case page /cases/{id}" "$tmp/case.txt" -s "$tmp/case_page.lua" "$base"
  measure "$name case list /cases" "$tmp/list.txt" "$base/cases"
  measure "$name case list /cases?page=1000" "$tmp/deep.txt" "$base/cases?page=1000"
  # One scrape at a time, as Prometheus does.
  local scrapes=""
  for _ in 1 2 3; do
    scrapes+="$(curl -s -o /dev/null -w '%{time_total}' -H "$auth" "$base/metrics")s "
  done
  echo "   /metrics scrape times: $scrapes"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

for backend in $backends; do
  case "$backend" in
    sqlite)
      # Loaded on tmpfs (a commit's fsync would make 100,000 steps take many
      # minutes), then moved to disk, where the server reads it.
      shm="/dev/shm/zgt-web-bench-$$.db"
      ZGT_LOAD_ONLY=1 run_backend sqlite "sqlite:$shm"
      mv "$shm" "$tmp/web.db"
      rm -f "$shm"-wal "$shm"-shm
      ZGT_SKIP_LOAD=1 run_backend sqlite "sqlite:$tmp/web.db"
      ;;
    postgres)
      pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$tmp"
      as_pg "$pg_bin/initdb" -D "$tmp/pg" -A trust -U postgres >/dev/null
      port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
      as_pg "$pg_bin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w \
        -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c max_connections=200" start >/dev/null
      # Load only, then VACUUM ANALYZE before serving, as autovacuum would
      # have done long before a real server held 100,000 cases: without the
      # visibility map an index-only scan (the deep page's OFFSET) still
      # visits every skipped row in the table.
      ZGT_LOAD_ONLY=1 run_backend postgres "postgresql://postgres@127.0.0.1:$port/postgres"
      as_pg psql -h "$tmp" -p "$port" -U postgres -X -q -c "VACUUM ANALYZE" postgres
      ZGT_SKIP_LOAD=1 run_backend postgres "postgresql://postgres@127.0.0.1:$port/postgres"
      ;;
  esac
done
