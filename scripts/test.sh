#!/usr/bin/env bash
# The README's second command: install, build, and run every test through
# ctest (unit, golden, CLI and scenario tests). Ends with ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
