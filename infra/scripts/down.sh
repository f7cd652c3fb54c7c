#!/usr/bin/env bash
# npm run down [-- --docker]
#
# Stops what `npm run up` started: the services (SIGTERM, up to 20 s, then SIGKILL) and the
# local Kafka broker. Data stays (databases, topics, stored files). PostgreSQL and Redis
# belong to the machine and keep running. With --docker (or after `up --docker`):
# docker compose down, volumes kept.
set -euo pipefail
SCRIPT_NAME=down
# shellcheck source=infra/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOCKER=0
[[ -f "$RUN_DIR/docker" ]] && DOCKER=1
for arg in "$@"; do
  case "$arg" in
    --docker) DOCKER=1 ;;
    -h | --help) usage_of "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$arg'" ;;
  esac
done

if (( DOCKER )); then
  step "docker compose down (volumes kept)"
  compose down
  rm -f "$RUN_DIR/docker"
  exit 0
fi

step "services"
stop_services 20
step "Kafka"
if kafka_is_external; then
  info "KAFKA_BROKERS=$KAFKA_BROKERS is not managed here; left alone"
else
  stop_kafka
fi
step "done: data kept; PostgreSQL and Redis left running. npm run up starts everything again."
