#!/usr/bin/env bash
# The web view's benchmark (docs/performance.md "Web view"): 100,000 cases
# stored on SQLite and on PostgreSQL (bench/web_load.cc), `zgtflow serve` on
# a loopback port, then wrk with 50 connections against the case page
# (random cases among all) and the case list (first page and a deep page);
# prints requests/s and p99 per target. Target: case page p99 < 50 ms.
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
# wrk prints latency percentiles with --latency; keep rps and p99.
report() {  # NAME WRK_OUTPUT_FILE
  local rps p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p99=$(awk '$1=="99%" {print $2}' "$2")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$2")
  printf '%-34s %10s req/s   p99 %8s%s\n' "$1" "$rps" "$p99" "${non2xx:+   non-2xx $non2xx}"
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
  local auth="Authorization: Bearer $token"
  # Warm the diagram cache and the database's pages.
  wrk -t2 -c8 -d3s -H "$auth" -s "$tmp/case_page.lua" "$base" >/dev/null
  wrk -t2 -c50 -d"$duration" --latency -H "$auth" -s "$tmp/case_page.lua" "$base" > "$tmp/case.txt"
  report "$name case page /cases/{id}" "$tmp/case.txt"
  wrk -t2 -c50 -d"$duration" --latency -H "$auth" "$base/cases" > "$tmp/list.txt"
  report "$name case list /cases" "$tmp/list.txt"
  wrk -t2 -c50 -d"$duration" --latency -H "$auth" "$base/cases?page=1000" > "$tmp/deep.txt"
  report "$name case list /cases?page=1000" "$tmp/deep.txt"
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
      run_backend postgres "postgresql://postgres@127.0.0.1:$port/postgres"
      ;;
  esac
done
