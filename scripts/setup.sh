#!/usr/bin/env bash
# Installs every Debian package Suflyor's build and tests need.
# Idempotent: installs only what is missing and runs `apt-get update` only then.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang clang-format clang-tidy
  libclang-rt-14-dev git
  # libraries (see shared DESIGN.md "Dependencies")
  libre-dev libcivetweb-dev civetweb nlohmann-json3-dev libsqlite3-dev
  libopus-dev libspandsp-dev libspeexdsp-dev libsrtp2-dev libssl-dev
  libsodium-dev libtomlplusplus-dev libspdlog-dev libfmt-dev libcli11-dev
  libcurl4-openssl-dev liburing-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev sqlite3
  libbpf-dev # the kernel-relay spike (bench/spikes/kernel_relay)
  sip-tester baresip-core sox
  # web UI: Node.js builds it (npm comes with it); its end-to-end tests drive Debian's Chromium
  nodejs chromium
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

# npm ships with the nodejs packages of some sources and separately in Debian's.
if ! command -v npm > /dev/null 2>&1; then missing+=(npm); fi

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
