#!/usr/bin/env bash
# System packages the benchmarks compare against (reference brokers): Mosquitto for `mqtt`,
# RabbitMQ (its AMQP 1.0 plugin ships in the package) for `amqp`.
set -euo pipefail
exec bash "$(dirname "$0")/install-debian-packages.sh" mosquitto rabbitmq-server
