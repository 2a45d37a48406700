#!/usr/bin/env bash
# System packages the test suite drives (real third-party clients). Idempotent; needs root or sudo.
set -euo pipefail
packages=(mosquitto-clients)
if [ ${#packages[@]} -eq 0 ]; then exit 0; fi
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
