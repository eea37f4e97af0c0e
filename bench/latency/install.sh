#!/bin/sh
# Packages of the latency bench only (not needed by the build or the tests).
set -e
apt-get install -y --no-install-recommends baresip-core tcpdump
