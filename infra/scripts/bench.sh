#!/usr/bin/env bash
# npm run bench [-- arguments for bench/run.js]
#
# The benchmarks: the same infrastructure as `npm test` (a Kafka broker started here is
# stopped at the end), a build, then `node bench/run.js` (or bench/dist/run.js, the bench
# workspace's build), which prints the table and writes bench/results/latest.json.
set -euo pipefail
SCRIPT_NAME=bench
# shellcheck source=infra/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
  -h | --help) usage_of "${BASH_SOURCE[0]}"; exit 0 ;;
esac

START_TS="$(now)"
finish() {
  local rc=$?
  if (( KAFKA_STARTED_HERE )); then
    step "stopping the Kafka broker this run started"
    stop_kafka || true
  fi
  printf '\n==> bench: total %s\n' "$(fmt_duration $(( $(now) - START_TS )))"
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export AUTH_DEV_ISSUER=true
export KAFKAJS_LOG_LEVEL=error
# The broker managed here (KAFKA_PORT moves it) is the one the tests and benchmarks talk to.
export KAFKA_BROKERS="${KAFKA_BROKERS:-$LOCAL_KAFKA}"

ensure_deps
step "infrastructure"
ensure_postgres
ensure_redis
ensure_kafka
step "databases"
run_bootstrap
step "build (nx run-many -t build)"
run_build || die "build failed (see above)"

# bench/run.js, or the compiled entry of the bench workspace.
runner=""
for candidate in bench/run.js bench/dist/run.js; do
  [[ -f "$IMB_ROOT/$candidate" ]] && { runner="$candidate"; break; }
done
if [[ -z "$runner" ]]; then
  step "no benchmarks yet (neither bench/run.js nor bench/dist/run.js exists)"
  exit 0
fi
step "node $runner $*"
cd "$IMB_ROOT"
node "$runner" "$@"
