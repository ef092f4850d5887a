#!/usr/bin/env bash
# ctest entry of the browser tests: installs playwright-core from the lock
# file into the build dir (npm ci, once per lock file) and runs
# pages.test.mjs against a real `zgtflow serve`.
# Usage: run.sh ZGTFLOW_BINARY BUILD_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="$1"
build="$2"
work="$build/browser-tests"
mkdir -p "$work"
for tool in node npm /usr/bin/chromium; do
  command -v "$tool" >/dev/null || { echo "browser tests: $tool is missing (scripts/setup.sh installs it)"; exit 1; }
done
cp "$here/package.json" "$here/package-lock.json" "$here/pages.test.mjs" "$work/"
if ! cmp -s "$here/package-lock.json" "$work/node_modules/.zgt-lock" 2>/dev/null; then
  (cd "$work" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
  cp "$here/package-lock.json" "$work/node_modules/.zgt-lock"
fi
cd "$work"
exec node pages.test.mjs "$binary" "$(cd "$here/../.." && pwd)" "$build/browser-screenshots"
