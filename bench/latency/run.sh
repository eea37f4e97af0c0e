#!/bin/sh
# Server-added latency per path with real baresip phones on loopback (docs/performance.md,
# "Added latency with real phones"). Needs baresip and tcpdump (bench/latency/install.sh), root
# for the capture on lo. Example: bench/latency/run.sh --binary build/suflyor --seconds 20
exec python3 "$(dirname "$0")/run.py" "$@"
