#!/usr/bin/env bash
# bash infra/scripts/newcomer.sh
#
# The README's first command as a newcomer runs it, on empty databases: `npm run reset`,
# `npm run up` (demo profile, default ports), then infra/scripts/demo-check.mjs checks through the
# gateway that every seed's data is there and opens the dashboard, and `npm run down` stops what
# up started. CI runs this after the test suite (.ci/run). On a failure it prints the failed
# step's output and the last lines each service logged, stops the services, and exits 1. Its
# result is counted in the closing "tests: N passed, N failed" line with the test run's.
set -euo pipefail
SCRIPT_NAME=newcomer
# shellcheck source=infra/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in -h | --help) usage_of "${BASH_SOURCE[0]}"; exit 0 ;; esac

# Default ports and the demo profile, as in the README: nothing inherited from a test run.
unset GATEWAY_URL SEED_API_URL KAFKA_NAMESPACE JOBS_NAMESPACE
for s in "${SERVICES[@]}"; do unset "$(service_upper "$s")_PORT"; done

START_TS="$(now)"
FAILED_STEP=""
STARTED_STAMP="$(mktemp)"

on_exit() {
  local rc=$?
  if (( rc != 0 )); then
    printf '\nnewcomer: error: %s failed\n' "${FAILED_STEP:-a step}" >&2
    # Only logs written during this run: an older one would describe another run.
    for s in "${SERVICES[@]}"; do
      [[ "$(service_log "$s")" -nt "$STARTED_STAMP" ]] && { tail_log "$s" 15 >&2 || true; }
    done
    (cd "$IMB_ROOT" && npm run --silent down >/dev/null 2>&1) || true
  fi
  local result; result="$( (( rc == 0 )) && echo passed || echo failed)"
  printf '\n==> newcomer: %s in %s\n' "$result" "$(fmt_duration $(( $(now) - START_TS )))"
  # Counted with the test run's results, so CI's closing line covers both.
  mkdir -p "$RESULTS_DIR" && echo "newcomer $result" >"$RESULTS_DIR/newcomer"
  print_test_totals
  rm -f "$STARTED_STAMP"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run() { # step name, command...
  FAILED_STEP="$1"; shift
  step "$FAILED_STEP"
  (cd "$IMB_ROOT" && "$@")
}

run "npm run reset" npm run --silent reset
run "npm run up" npm run --silent up
ensure_chromium
run "the demo through the gateway and the dashboard" node infra/scripts/demo-check.mjs
run "npm run down" npm run --silent down
FAILED_STEP=""
