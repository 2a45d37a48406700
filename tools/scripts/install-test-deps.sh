#!/usr/bin/env bash
# System packages the test suite drives (real third-party clients): mosquitto_pub/_sub for MQTT;
# Qpid Proton's Python binding and its example clients (/usr/share/proton/examples/python) for AMQP 1.0.
set -euo pipefail
exec bash "$(dirname "$0")/install-debian-packages.sh" mosquitto-clients python3-qpid-proton libqpid-proton11-dev-examples
