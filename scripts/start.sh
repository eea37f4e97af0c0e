#!/usr/bin/env bash
# Builds Suflyor and starts the server on an embedded SQLite database (./var/ by default).
# On the first start it creates the first account and prints its login and password once.
# Extra arguments go to `suflyor`, e.g.: scripts/start.sh --config suflyor.toml
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
echo "start: building (first build takes a few minutes)..."
ninja -C build suflyor
echo "start: building the web UI..."
npm --prefix web ci --no-audit --no-fund > /dev/null
npm --prefix web run build > /dev/null
exec ./build/suflyor "$@" serve
