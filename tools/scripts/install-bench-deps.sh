#!/usr/bin/env bash
# System packages the benchmarks compare against (reference brokers).
set -euo pipefail
exec bash "$(dirname "$0")/install-debian-packages.sh" mosquitto
