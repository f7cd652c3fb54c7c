#!/usr/bin/env bash
# npm run bench [-- arguments for bench/run.js]
#
# The benchmarks: the same infrastructure as `npm test` (a Kafka broker started here is
# stopped at the end), a build, then `node bench/run.js`, which prints the table and writes
# bench/results/latest.json (see docs/CONTRACT.md).
set -euo pipefail
SCRIPT_NAME=bench
# shellcheck source=infra/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
  -h | --help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

ensure_deps
step "infrastructure"
ensure_postgres
ensure_redis
ensure_kafka
step "databases"
run_bootstrap
step "build (nx run-many -t build)"
run_build || die "build failed (see above)"

if [[ ! -f "$IMB_ROOT/bench/run.js" ]]; then
  step "no benchmarks yet (bench/run.js does not exist)"
  exit 0
fi
step "node bench/run.js $*"
cd "$IMB_ROOT"
node bench/run.js "$@"
