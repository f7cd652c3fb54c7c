#!/usr/bin/env bash
# npm test [-- options] [jest arguments]
#
# The whole suite against real Kafka, PostgreSQL and Redis: installs what is missing, starts
# the infrastructure if needed (a Kafka broker started here is stopped at the end; one that
# was already running is left alone), creates the databases, then
#   build        nx run-many -t build
#   lint         nx run-many -t lint
#   unit         jest -c jest.unit.config.js                        (*.spec.ts)
#   integration  jest -c jest.integration.config.js --runInBand    (*.integration-spec.ts, *.e2e-spec.ts)
# Every step runs even if an earlier one failed (one CI run shows every problem); the exit
# status is non-zero if any failed. `.ci/run` calls exactly this.
#
#   --skip-build, --skip-lint     leave out a step
#   --only=unit|integration       run only that jest tier (with build and lint unless skipped)
#   anything else                 passed to both jest runs, e.g. `npm test -- libs/audit`
set -euo pipefail
SCRIPT_NAME="test"
# shellcheck source=infra/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { usage_of "${BASH_SOURCE[0]}"; }

DO_BUILD=1
DO_LINT=1
DO_UNIT=1
DO_INTEGRATION=1
JEST_ARGS=()
for arg in "$@"; do
  case "$arg" in
    --skip-build) DO_BUILD=0 ;;
    --skip-lint) DO_LINT=0 ;;
    --only=unit) DO_INTEGRATION=0 ;;
    --only=integration) DO_UNIT=0 ;;
    --only=*) die "unknown tier in $arg (expected unit or integration)" ;;
    -h | --help) usage; exit 0 ;;
    *) JEST_ARGS+=("$arg") ;;
  esac
done
# With a path filter one tier may have nothing to run; that is not a failure.
(( ${#JEST_ARGS[@]} == 0 )) || JEST_ARGS+=(--passWithNoTests)
[[ -n "${CI:-}" ]] && JEST_ARGS+=(--ci)

export AUTH_DEV_ISSUER=true
export KAFKAJS_LOG_LEVEL="${KAFKAJS_LOG_LEVEL:-nothing}"
# The broker managed here (KAFKA_PORT moves it) is the one the tests and benchmarks talk to.
export KAFKA_BROKERS="${KAFKA_BROKERS:-$LOCAL_KAFKA}"
# Nx forces colours on its tasks even into a file; CI logs read better without escape codes.
[[ -t 1 ]] || export FORCE_COLOR=0

START_TS="$(now)"
STEP_NAMES=()
STEP_RESULTS=()

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"

finish() {
  local rc=$?
  if (( KAFKA_STARTED_HERE )); then
    step "stopping the Kafka broker this run started"
    stop_kafka || true
  fi
  printf '\n==> test: total %s\n' "$(fmt_duration $(( $(now) - START_TS )))"
  print_test_totals
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs one step, records "name: ok|FAILED (duration)", never stops the script.
run_step() {
  local name="$1"; shift
  local t0 rc=0
  t0="$(now)"
  step "$name: $*"
  (cd "$IMB_ROOT" && "$@") || rc=$?
  local took; took="$(fmt_duration $(( $(now) - t0 )))"
  STEP_NAMES+=("$name")
  if (( rc == 0 )); then STEP_RESULTS+=("ok      $took"); else STEP_RESULTS+=("FAILED  $took (exit $rc)"); fi
  return 0
}

ensure_deps
(( DO_INTEGRATION )) && ensure_chromium
step "infrastructure"
ensure_postgres
ensure_redis
ensure_kafka
step "databases"
run_bootstrap

(( DO_BUILD )) && run_step build npx nx run-many -t build --output-style=static
(( DO_LINT )) && run_step lint npx nx run-many -t lint --output-style=static
(( DO_UNIT )) && run_step unit \
  npx jest -c jest.unit.config.js --json --outputFile="$RESULTS_DIR/unit.json" ${JEST_ARGS[@]+"${JEST_ARGS[@]}"}
(( DO_INTEGRATION )) && run_step integration \
  npx jest -c jest.integration.config.js --runInBand --forceExit \
  --json --outputFile="$RESULTS_DIR/integration.json" ${JEST_ARGS[@]+"${JEST_ARGS[@]}"}

printf '\n==> test: summary\n'
failed=0
for i in "${!STEP_NAMES[@]}"; do
  printf '    %-12s %s\n' "${STEP_NAMES[$i]}" "${STEP_RESULTS[$i]}"
  [[ "${STEP_RESULTS[$i]}" == ok* ]] || failed=1
done
if (( failed )); then
  printf '    result: FAILED\n'
  exit 1
fi
printf '    result: all passed\n'
