#!/usr/bin/env bash
# System packages the test suite drives (real third-party clients).
set -euo pipefail
exec bash "$(dirname "$0")/install-debian-packages.sh" mosquitto-clients
