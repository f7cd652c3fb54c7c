#!/usr/bin/env bash
# npm run up [-- --seed=demo|reference|none] [--docker]
#
# Installs what is missing, starts PostgreSQL/Redis (if down, as root) and Kafka, creates the
# databases, builds, runs every service's migrations, starts the services in the background
# (logs in .run/logs/<service>.log, pids in .run/<service>.pid), waits until every /health is
# 200, seeds, and prints the dashboard URL. Running it again is harmless: a healthy service is
# left alone, one whose build changed since it started is restarted.
#
#   --seed=demo        reference data plus generated demo data (default)
#   --seed=reference   only reference data (states, their joining history and stages, catalogues)
#   --seed=none        no seeding
#   --docker           docker compose up instead (needs a Docker engine)
#
# Environment: UP_TIMEOUT (seconds to wait for /health, 120), and those of lib.sh.
set -euo pipefail
SCRIPT_NAME=up
# shellcheck source=infra/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { usage_of "${BASH_SOURCE[0]}"; }

SEED=demo
DOCKER=0
TIMEOUT="${UP_TIMEOUT:-120}"
for arg in "$@"; do
  case "$arg" in
    --seed=demo | --seed=reference | --seed=none) SEED="${arg#--seed=}" ;;
    --seed=*) die "unknown seed profile '${arg#--seed=}' (expected demo, reference or none)" ;;
    --no-seed) SEED=none ;;
    --docker) DOCKER=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$arg'" ;;
  esac
done

START_TS="$(now)"

# ---------------------------------------------------------------- seeding

has_npm_script() { # package.json dir, script name
  node -e 'const p = require(process.argv[1] + "/package.json"); process.exit(p.scripts && p.scripts[process.argv[2]] ? 0 : 1)' "$1" "$2"
}

# Seeds are the services' own code; this only calls them, in start order, if they exist: a
# root `seed` script (which then owns the whole job), else each service's `seed` npm script,
# else its dist/seed.js. They get --profile=<demo|reference> and SEED_PROFILE, act through their
# service's own public API at SEED_API_URL (like any user, so validation, audit and events all
# apply; not through the gateway, whose per-client rate limit would throttle a seed's thousands
# of requests), reach another service's API through the gateway at GATEWAY_URL (DevApiClient's
# viaGateway), and must be idempotent (up runs them every time).
run_seeds() {
  local profile="$1" s ran=()
  export SEED_PROFILE="$profile"
  export GATEWAY_URL="${GATEWAY_URL:-$(service_url gateway)}"
  if has_npm_script "$IMB_ROOT" seed; then
    (cd "$IMB_ROOT" && npm run seed -- "--profile=$profile") || die "npm run seed failed (see above)"
    return 0
  fi
  for s in "${SERVICES[@]}"; do
    if has_npm_script "$IMB_ROOT/services/$s" seed; then
      info "$s: npm run seed -- --profile=$profile"
      (cd "$IMB_ROOT/services/$s" && SEED_API_URL="$(service_url "$s")" with_service_env "$s" npm run --silent seed -- "--profile=$profile") \
        || die "seeding $s failed (see above)"
      ran+=("$s")
    elif [[ -f "$IMB_ROOT/services/$s/dist/seed.js" ]]; then
      info "$s: node services/$s/dist/seed.js --profile=$profile"
      (cd "$IMB_ROOT" && SEED_API_URL="$(service_url "$s")" with_service_env "$s" node "services/$s/dist/seed.js" "--profile=$profile") \
        || die "seeding $s failed (see above)"
      ran+=("$s")
    fi
  done
  if (( ${#ran[@]} == 0 )); then
    info "no seed scripts yet (services/<service>/dist/seed.js): nothing seeded"
  fi
}

# ---------------------------------------------------------------- Docker Compose

if (( DOCKER )); then
  # A laptop demo: dev tokens are opted into explicitly (docker-compose.yml is production by default).
  step "docker compose up with dev tokens (build, start, wait for healthchecks)"
  NODE_ENV=development AUTH_DEV_ISSUER=true compose up -d --build --wait || die "docker compose up failed (see above; logs: docker compose logs <service>)"
  mkdir -p "$RUN_DIR" && : >"$RUN_DIR/docker"
  if [[ "$SEED" != none ]]; then
    step "seeding ($SEED)"
    for s in "${SERVICES[@]}"; do
      compose exec -T -e GATEWAY_URL=http://gateway:3000 "$s" sh -c 'if [ -f "services/$SERVICE/dist/seed.js" ]; then node "services/$SERVICE/dist/seed.js" "$1"; fi' \
        _ "--profile=$SEED" || die "seeding $s failed (see above)"
    done
  fi
  step "ready in $(fmt_duration $(( $(now) - START_TS )))"
  echo
  echo "    Dashboard: http://127.0.0.1:3000/    (API docs: http://127.0.0.1:3000/api/docs)"
  echo "    Stop with: npm run down -- --docker"
  exit 0
fi

# ---------------------------------------------------------------- infrastructure, build

ensure_deps
step "infrastructure"
ensure_postgres
ensure_redis
ensure_kafka
step "databases"
run_bootstrap
step "build (nx run-many -t build)"
mkdir -p "$LOG_DIR"
if ! run_build >"$LOG_DIR/build.log" 2>&1; then
  grep -v '^[[:space:]]*$' "$LOG_DIR/build.log" | tail -n 40 | sed 's/^/    | /' >&2
  die "build failed (full output: .run/logs/build.log)"
fi
info "$(grep -E 'Successfully ran target|Cache:' "$LOG_DIR/build.log" | sed 's/^[[:space:]]*//; s/^NX[[:space:]]*//' | paste -sd ' ' -) (log: .run/logs/build.log)"
for s in "${SERVICES[@]}"; do
  for f in main.js migrate.js; do
    [[ -f "$IMB_ROOT/services/$s/dist/$f" ]] || die "services/$s/dist/$f is missing after the build"
  done
done

# ---------------------------------------------------------------- migrations

step "migrations"
mkdir -p "$LOG_DIR"
for s in "${SERVICES[@]}"; do
  mlog="$LOG_DIR/$s.migrate.log"
  if ! (cd "$IMB_ROOT" && with_service_env "$s" node "services/$s/dist/migrate.js" run) >"$mlog" 2>&1; then
    sed 's/^/    | /' "$mlog" | tail -n 30 >&2
    die "migrations of $s failed (full output: ${mlog#"$IMB_ROOT/"})"
  fi
  info "$s: $(grep -v '^[[:space:]]*$' "$mlog" | tail -n 1 | cut -c1-160)"
done

# ---------------------------------------------------------------- services

# Hash of the code a service runs (its dist and the libraries' dist, by content: Nx restoring
# identical files from its cache must not count as a change).
build_fingerprint() {
  (cd "$IMB_ROOT" && find "services/$1/dist" libs/*/dist -type f -name '*.js' -print0 2>/dev/null \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

# True if the code changed since the running service was started by up.
rebuilt_since_start() {
  local file="$RUN_DIR/$1.build"
  [[ -f "$file" && "$(cat "$file")" != "$(build_fingerprint "$1")" ]]
}

step "services"
for s in "${SERVICES[@]}"; do
  port="$(service_port "$s")"
  pid="$(service_pid "$s")"
  if [[ -n "$pid" ]]; then
    if rebuilt_since_start "$s"; then
      info "$s: rebuilt since it started (pid $pid); restarting"
      stop_services 20 "$s"
    elif [[ "$(health_status "$s")" == 200 ]]; then
      info "$s: already running (pid $pid, port $port) and healthy; left alone"
      continue
    else
      info "$s: already running (pid $pid, port $port), not healthy yet; waiting for it below"
      continue
    fi
  fi
  if port_open 127.0.0.1 "$port"; then
    die "port $port ($s) is taken by a process that npm run up did not start (see: ss -ltnp 'sport = :$port').
       Stop it, or choose another port with $(service_upper "$s")_PORT."
  fi
  start_service "$s"
  build_fingerprint "$s" >"$RUN_DIR/$s.build"
  info "$s: started (pid $(cat "$(service_pid_file "$s")"), port $port, log .run/logs/$s.log)"
done

step "waiting until every /health answers 200 (up to ${TIMEOUT}s)"
wait_start="$(now)"
deadline=$(( wait_start + TIMEOUT ))
pending=("${SERVICES[@]}")
failed=()
declare -A last_status=()
while (( ${#pending[@]} > 0 )); do
  still=()
  for s in "${pending[@]}"; do
    if [[ -z "$(service_pid "$s")" ]]; then
      failed+=("$s"); last_status[$s]="process exited"
      continue
    fi
    code="$(health_status "$s")"
    if [[ "$code" == 200 ]]; then
      info "$s: healthy ($(( $(now) - wait_start ))s)"
    else
      last_status[$s]="GET /health: ${code/#000/no answer}"
      still+=("$s")
    fi
  done
  pending=(${still[@]+"${still[@]}"})
  (( ${#failed[@]} == 0 )) || break
  (( ${#pending[@]} > 0 )) || break
  if (( $(now) >= deadline )); then
    failed+=("${pending[@]}")
    break
  fi
  sleep 1
done
if (( ${#failed[@]} > 0 )); then
  for s in "${failed[@]}"; do
    printf '\nup: error: %s is not healthy (%s, port %s)\n' "$s" "${last_status[$s]}" "$(service_port "$s")" >&2
    body="$(health_body "$s")"
    [[ -n "$body" ]] && printf '    /health: %s\n' "$body" >&2
    tail_log "$s" 25 >&2
  done
  die "not every service became healthy (${failed[*]}); the others keep running (npm run down stops them)"
fi

# ---------------------------------------------------------------- seed

if [[ "$SEED" != none ]]; then
  step "seeding ($SEED)"
  run_seeds "$SEED"
fi

# ---------------------------------------------------------------- summary

step "ready in $(fmt_duration $(( $(now) - START_TS )))"
for s in "${SERVICES[@]}"; do
  printf '    %-14s %-24s pid %s\n' "$s" "$(service_url "$s")" "$(service_pid "$s")"
done
echo
echo "    Dashboard: http://127.0.0.1:$(service_port gateway)/    (API docs: http://127.0.0.1:$(service_port gateway)/api/docs)"
echo "    Logs:      .run/logs/<service>.log     Stop: npm run down     Wipe: npm run reset"
