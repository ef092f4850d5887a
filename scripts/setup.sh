#!/usr/bin/env bash
# Installs the Debian packages zgtflow builds and tests with (idempotent).
# Runs `apt-get update` once per machine, then installs only what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  antlr4 libantlr4-runtime-dev
  libboost-graph-dev libcli11-dev
  libpqxx-dev libsqlite3-dev libcpp-httplib-dev nlohmann-json3-dev
  catch2 libgraphviz-dev graphviz libssl-dev
  libsodium-dev
  postgresql
  fonts-noto-cjk
  chromium
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The browser tests (tests/browser) drive chromium with playwright-core from
# npm; a machine that already has node and npm (another packaging) keeps them.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  stamp=/var/lib/apt/periodic/zgtflow-updated
  if [ ! -e "$stamp" ]; then
    $sudo_cmd apt-get update -q
    $sudo_cmd mkdir -p "$(dirname "$stamp")" && $sudo_cmd touch "$stamp"
  fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
