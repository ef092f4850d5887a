#!/usr/bin/env bash
# The README's first command: install, build, check and test the shipped
# workflows, then run the server on the embedded store (SQLite under var/)
# with workflows/ loaded, until Ctrl-C (graceful shutdown).
# ZGT_LISTEN=HOST:PORT and ZGT_DB=URL override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
paths=(examples)
compgen -G "workflows/*.flow" >/dev/null && paths=(workflows examples)
for p in "${paths[@]}"; do
  echo "== zgtflow check $p/"
  ./build/cli/zgtflow check "$p"
  echo "== zgtflow test $p/"
  ./build/cli/zgtflow test --workflows "$p" "$p"
done
echo "== zgtflow serve (Ctrl-C stops it)"
exec ./build/cli/zgtflow serve --db "${ZGT_DB:-sqlite:var/zgtflow.db}" --workflows workflows \
  --listen "${ZGT_LISTEN:-127.0.0.1:8080}"
