#!/usr/bin/env bash
# The README's first command: install, build, and run the main job. Until the
# server lands (issue "Durable runtime") the main job is to check every shipped
# workflow and example and run their scenarios.
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
