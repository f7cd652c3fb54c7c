#!/usr/bin/env bash
# npm run reset [-- --docker]
#
# Stops everything `npm run up` started and wipes the platform's data, so the next `up` starts
# clean: the five service databases (DROP DATABASE ... WITH (FORCE); roles stay), all Kafka
# topics and offsets (kafka.sh reset), the platform's Redis keys (imb:*, SCAN + DEL; never
# FLUSHALL: the machine's Redis may hold other data), and stored files (.run/storage).
# With --docker (or after `up --docker`): docker compose down -v.
set -euo pipefail
SCRIPT_NAME=reset
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
  step "docker compose down -v (containers and volumes)"
  compose down -v --remove-orphans
  rm -f "$RUN_DIR/docker"
  rm -rf "$STORAGE_DIR"
  exit 0
fi

ensure_deps
step "services"
stop_services 20

step "databases"
ensure_postgres
run_bootstrap --drop --no-redis

step "Kafka topics"
if kafka_is_external; then
  warn "KAFKA_BROKERS=$KAFKA_BROKERS is not managed here: its topics were not deleted"
else
  bash "$KAFKA_SH" reset
fi

step "Redis keys"
if redis_up; then
  node "$IMB_ROOT/infra/db/redis.mjs" flush 'imb:*' | sed 's/^/    /'
else
  info "Redis is not running (it keeps nothing on disk): nothing to delete"
fi

step "stored files"
rm -rf "$STORAGE_DIR"
info "deleted ${STORAGE_DIR#"$IMB_ROOT/"}"
step "done: the next npm run up starts clean."
