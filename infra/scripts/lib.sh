# shellcheck shell=bash
# Helpers shared by infra/scripts/{up,down,reset,test,bench}.sh. Sourced, never run.
#
# What the scripts rely on, all overridable by environment:
#   PGHOST/PGPORT/PGUSER   PostgreSQL superuser connection   127.0.0.1 / 5432 / postgres
#   REDIS_URL              Redis                             redis://127.0.0.1:6379
#   KAFKA_BROKERS          brokers; when set to anything but 127.0.0.1:$KAFKA_PORT, Kafka is
#                          someone else's and is neither started nor stopped here
#   KAFKA_PORT             local broker port (infra/kafka/kafka.sh)   9092
#   <SERVICE>_PORT         e.g. TRANSFER_PORT, GATEWAY_PORT   3101…3104, 3000
#   <SERVICE>_DATABASE_URL e.g. HR_DATABASE_URL, the role the running service connects as
#                          postgres://hr_app:hr_app@$PGHOST:$PGPORT/hr
#   <SERVICE>_MIGRATIONS_DATABASE_URL  e.g. HR_MIGRATIONS_DATABASE_URL, the owner role the
#                          migrations run as   postgres://hr:hr@$PGHOST:$PGPORT/hr, or
#                          <SERVICE>_DATABASE_URL when only that one is set
#   IMB_BIND_HOST          address the services listen on   127.0.0.1 (the dev token issuer is
#                          on: do not expose it to the network by accident)

IMB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="$IMB_ROOT/.run"
LOG_DIR="$RUN_DIR/logs"
STORAGE_DIR="$RUN_DIR/storage"
KAFKA_SH="$IMB_ROOT/infra/kafka/kafka.sh"
BOOTSTRAP="$IMB_ROOT/infra/db/bootstrap.mjs"

# Start order: transfer owns the states every other service keeps a read model of.
SERVICES=(transfer hr procurement dignification gateway)

PG_HOST="${PGHOST:-127.0.0.1}"
PG_PORT="${PGPORT:-5432}"
REDIS_URL_EFFECTIVE="${REDIS_URL:-redis://127.0.0.1:6379}"
LOCAL_KAFKA="127.0.0.1:${KAFKA_PORT:-9092}"

# Nx: no daemon left behind by scripts and CI, no cloud, plain logs.
export NX_DAEMON="${NX_DAEMON:-false}"
export NX_NO_CLOUD="${NX_NO_CLOUD:-true}"
export NX_TUI="${NX_TUI:-false}"

# ---------------------------------------------------------------- output

SCRIPT_NAME="${SCRIPT_NAME:-$(basename "${BASH_SOURCE[1]:-imb}" .sh)}"

step() { printf '\n==> %s: %s\n' "$SCRIPT_NAME" "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf '%s: warning: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() { printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2; exit 1; }
now() { date +%s; }

# The comment block at the top of a script (after the shebang), as its --help.
usage_of() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$1"; }

# "1m 05s" from seconds.
fmt_duration() {
  local s="$1"
  if (( s >= 60 )); then printf '%dm %02ds' $(( s / 60 )) $(( s % 60 )); else printf '%ds' "$s"; fi
}

is_root() { [[ "$(id -u)" == 0 ]]; }
is_local_host() { [[ "$1" == 127.0.0.1 || "$1" == localhost || "$1" == ::1 ]]; }

# True if something accepts TCP connections on host:port (bash's /dev/tcp, 2 s at most).
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# ---------------------------------------------------------------- dependencies

# npm ci when node_modules is missing or package-lock.json changed after the last install
# (npm writes node_modules/.package-lock.json at the end of every install).
ensure_deps() {
  command -v node >/dev/null 2>&1 || die "node not found (Node 20.19+ or 22+ is needed)"
  command -v npm >/dev/null 2>&1 || die "npm not found"
  local stamp="$IMB_ROOT/node_modules/.package-lock.json"
  if [[ -f "$stamp" && ! "$IMB_ROOT/package-lock.json" -nt "$stamp" ]]; then
    return 0
  fi
  if [[ -d "$IMB_ROOT/node_modules" ]]; then
    step "package-lock.json changed since the last install: npm ci"
  else
    step "installing dependencies: npm ci"
  fi
  (cd "$IMB_ROOT" && npm ci --no-audit --no-fund) || die "npm ci failed (see above)"
}

# ---------------------------------------------------------------- PostgreSQL

pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3
  else
    port_open "$PG_HOST" "$PG_PORT"
  fi
}

ensure_postgres() {
  if pg_up; then
    info "PostgreSQL: up on $PG_HOST:$PG_PORT"
    return 0
  fi
  local version=""
  [[ -d /etc/postgresql ]] && version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  if ! is_local_host "$PG_HOST" || ! is_root || ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ -z "$version" ]]; then
    die "PostgreSQL does not answer on $PG_HOST:$PG_PORT. Start it (as root on Debian/Ubuntu:
       pg_ctlcluster --skip-systemctl-redirect <version> main start), or point PGHOST/PGPORT at a
       running server with a superuser in PGUSER."
  fi
  step "starting PostgreSQL $version (cluster main)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start \
    || die "pg_ctlcluster could not start PostgreSQL $version (see /var/log/postgresql/)"
  local deadline=$(( $(now) + 30 ))
  until pg_up; do
    (( $(now) < deadline )) || die "PostgreSQL $version started but does not answer on $PG_HOST:$PG_PORT after 30 s"
    sleep 0.5
  done
  info "PostgreSQL: up on $PG_HOST:$PG_PORT"
}

# ---------------------------------------------------------------- Redis

# host and port of REDIS_URL (redis://[user:pass@]host[:port][/db]).
redis_host_port() {
  local rest="${REDIS_URL_EFFECTIVE#*://}"
  rest="${rest##*@}"
  rest="${rest%%/*}"
  local host="${rest%:*}" port="${rest##*:}"
  [[ "$rest" == *:* ]] || { host="$rest"; port=6379; }
  printf '%s %s\n' "$host" "$port"
}

# Any RESP answer to PING counts as up (-NOAUTH too: the server is there, the URL has the password).
redis_up() {
  local host port
  read -r host port < <(redis_host_port)
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r -t 2 line <&3 || exit 1
    [[ "$line" == +PONG* || "$line" == -NOAUTH* ]]' _ "$host" "$port" 2>/dev/null
}

ensure_redis() {
  local host port
  read -r host port < <(redis_host_port)
  if redis_up; then
    info "Redis: up on $host:$port"
    return 0
  fi
  if ! is_local_host "$host" || ! is_root || ! command -v redis-server >/dev/null 2>&1; then
    die "Redis does not answer on $host:$port. Start it (e.g. redis-server --daemonize yes --port $port),
       or point REDIS_URL at a running server."
  fi
  step "starting Redis on 127.0.0.1:$port (no persistence)"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$port" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log \
    || die "redis-server could not start (see /var/log/redis/ci.log)"
  local deadline=$(( $(now) + 15 ))
  until redis_up; do
    (( $(now) < deadline )) || die "Redis started but does not answer on $host:$port after 15 s (see /var/log/redis/ci.log)"
    sleep 0.3
  done
  info "Redis: up on $host:$port"
}

# ---------------------------------------------------------------- Kafka

# shellcheck disable=SC2034 # read by the scripts that source this file
KAFKA_STARTED_HERE=0

# The dashboard's browser checks (the tests, the newcomer step) drive Debian's chromium through
# playwright-core (no browser download); install it when missing and we may.
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    step "installing chromium (browser checks)"
    apt-get install -y chromium >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1; } \
      || info "could not install chromium; the browser checks will fail (install the chromium package)"
  else
    info "chromium is missing and this is not root: the browser checks will fail (install the chromium package)"
  fi
}

kafka_is_external() {
  [[ -n "${KAFKA_BROKERS:-}" && "${KAFKA_BROKERS// /}" != "$LOCAL_KAFKA" && "${KAFKA_BROKERS// /}" != "localhost:${KAFKA_PORT:-9092}" ]]
}

# Starts the local broker unless it runs already (kafka.sh start waits until it answers either
# way); KAFKA_STARTED_HERE=1 tells the caller it is ours to stop.
ensure_kafka() {
  if kafka_is_external; then
    info "Kafka: using KAFKA_BROKERS=$KAFKA_BROKERS (not managed here)"
    return 0
  fi
  if bash "$KAFKA_SH" status >/dev/null 2>&1; then
    # Already up (someone else's start): kafka.sh still waits until it answers.
    if ! bash "$KAFKA_SH" start 2>&1 | sed 's/^/    /'; then
      die "Kafka is running but does not answer (see above)"
    fi
    return 0
  fi
  step "starting Kafka (infra/kafka/kafka.sh start)"
  bash "$KAFKA_SH" start || die "Kafka did not start (see above)"
  # shellcheck disable=SC2034 # read by the scripts that source this file
  KAFKA_STARTED_HERE=1
}

stop_kafka() {
  if kafka_is_external; then return 0; fi
  bash "$KAFKA_SH" stop
}

# ---------------------------------------------------------------- databases, build

run_bootstrap() {
  node "$BOOTSTRAP" "$@" || die "database bootstrap failed (see above)"
}

# Nx rebuilds only what changed (and restores the rest from its cache), so this is cheap when
# nothing did.
run_build() {
  (cd "$IMB_ROOT" && npx nx run-many -t build --output-style=static)
}

# ---------------------------------------------------------------- services

service_upper() { printf '%s' "$1" | tr '[:lower:]-' '[:upper:]_'; }

service_port() {
  local var; var="$(service_upper "$1")_PORT"
  if [[ -n "${!var:-}" ]]; then printf '%s\n' "${!var}"; return; fi
  case "$1" in
    gateway) echo 3000 ;;
    transfer) echo 3101 ;;
    hr) echo 3102 ;;
    procurement) echo 3103 ;;
    dignification) echo 3104 ;;
    *) die "unknown service $1" ;;
  esac
}

service_main() { printf '%s\n' "$IMB_ROOT/services/$1/dist/main.js"; }
service_pid_file() { printf '%s\n' "$RUN_DIR/$1.pid"; }
service_log() { printf '%s\n' "$LOG_DIR/$1.log"; }
service_url() { printf 'http://127.0.0.1:%s\n' "$(service_port "$1")"; }

# Environment of a service's processes (API, migrations, seeds), as NAME=value words.
# DATABASE_URL is the runtime role <s>_app, which may only read and write rows;
# MIGRATIONS_DATABASE_URL the owner <s> (infra/db/bootstrap.mjs explains both). A
# <SERVICE>_DATABASE_URL given alone serves for both, as one role did before the split. The
# URLs carry the dev passwords so they also work where pg_hba asks for one.
service_env() {
  local s="$1" up; up="$(service_upper "$s")"
  local dburl_var="${up}_DATABASE_URL" migurl_var="${up}_MIGRATIONS_DATABASE_URL"
  printf '%s\n' \
    "PORT=$(service_port "$s")" \
    "HOST=${IMB_BIND_HOST:-127.0.0.1}" \
    "DATABASE_URL=${!dburl_var:-postgres://${s}_app:${s}_app@$PG_HOST:$PG_PORT/$s}" \
    "MIGRATIONS_DATABASE_URL=${!migurl_var:-${!dburl_var:-postgres://$s:$s@$PG_HOST:$PG_PORT/$s}}" \
    "REDIS_URL=$REDIS_URL_EFFECTIVE" \
    "KAFKA_BROKERS=${KAFKA_BROKERS:-$LOCAL_KAFKA}" \
    "AUTH_DEV_ISSUER=${AUTH_DEV_ISSUER:-true}" \
    "NODE_ENV=${NODE_ENV:-development}" \
    "STORAGE_DIR=$STORAGE_DIR/$s" \
    "IMB_RUN_DIR=$RUN_DIR" \
    "TRANSFER_URL=$(service_url transfer)" \
    "HR_URL=$(service_url hr)" \
    "PROCUREMENT_URL=$(service_url procurement)" \
    "DIGNIFICATION_URL=$(service_url dignification)"
}

# Runs a command with the service's environment (env -S style, without word-splitting surprises).
with_service_env() {
  local s="$1"; shift
  local vars=()
  mapfile -t vars < <(service_env "$s")
  env "${vars[@]}" "$@"
}

# Command line of a live, non-zombie process; empty if gone.
proc_cmdline() {
  local pid="$1" stat
  kill -0 "$pid" 2>/dev/null || return 0
  stat="$(ps -o stat= -p "$pid" 2>/dev/null || true)"
  [[ -n "$stat" && "$stat" != Z* ]] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || ps -ww -o args= -p "$pid" 2>/dev/null || true
}

# True if the process was started by start_service of this checkout: tests start the same
# dist/main.js on their own ports, and those are not ours to adopt or stop.
launched_here() {
  [[ -r "/proc/$1/environ" ]] && tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | grep -qxF "IMB_RUN_DIR=$RUN_DIR"
}

# PID of the service's API process, else nothing. The pid file is trusted only if it names a
# node process running this checkout's services/<s>/dist/main.js (a dead pid, or one reused by
# another program, is stale); a process of ours whose pid file was lost is found again.
service_pid() {
  local s="$1" file main pid="" p args
  file="$(service_pid_file "$s")"; main="$(service_main "$s")"
  [[ -f "$file" ]] && pid="$(tr -dc '0-9' <"$file")"
  if [[ -n "$pid" && "$(proc_cmdline "$pid")" == *node*" $main"* ]]; then
    printf '%s\n' "$pid"; return 0
  fi
  while read -r p args; do
    [[ "$args" == "node $main"* ]] || continue
    if [[ "$(proc_cmdline "$p")" != "node $main"* ]] || ! launched_here "$p"; then continue; fi
    mkdir -p "$RUN_DIR"; printf '%s\n' "$p" >"$file"
    printf '%s\n' "$p"; return 0
  done < <(ps -ww -eo pid=,args= 2>/dev/null || true)
}

# HTTP status of GET /health ("000" when nothing answers).
health_status() {
  local url; url="$(service_url "$1")/health"
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$url" 2>/dev/null || true
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(3000) })
      .then((r) => console.log(r.status), () => console.log("000"))' "$url"
  fi
}

health_body() {
  local url; url="$(service_url "$1")/health"
  if command -v curl >/dev/null 2>&1; then curl -s --max-time 3 "$url" 2>/dev/null || true; fi
}

# The last lines the current run of a service logged (since its "===== ... starting" marker),
# each cut to 400 characters: JSON log lines can be long.
tail_log() {
  local log; log="$(service_log "$1")"
  [[ -s "$log" ]] || { info "(no log yet at $log)"; return 0; }
  printf -- '    ----- last lines of %s -----\n' "${log#"$IMB_ROOT/"}"
  awk '/^===== .* starting /{n=0; delete buf} {buf[n++]=$0} END{for(i=0;i<n;i++) print buf[i]}' "$log" \
    | grep -v '^[[:space:]]*$' | tail -n "${2:-25}" | cut -c1-400 | sed 's/^/    | /'
}

# Starts the API process in its own session (survives the terminal), detached from our
# stdio; the pid file gets the node PID itself (bash writes $$ and then execs node).
start_service() {
  local s="$1" log file
  log="$(service_log "$s")"; file="$(service_pid_file "$s")"
  mkdir -p "$LOG_DIR" "$STORAGE_DIR/$s"
  printf '\n===== %s starting %s on port %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$s" "$(service_port "$s")" >>"$log"
  rm -f "$file"
  local detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  (
    cd "$IMB_ROOT" || exit 1
    # The API process is not given the owner's URL: what it runs as cannot rewrite the audit log.
    with_service_env "$s" ${detach[@]+"${detach[@]}"} nohup env -u MIGRATIONS_DATABASE_URL bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$file" \
      node "$(service_main "$s")" </dev/null >>"$log" 2>&1 &
  )
  local i
  for i in $(seq 1 50); do [[ -s "$file" ]] && break; sleep 0.1; done
  [[ -s "$file" ]] || die "$s did not start (no pid file); see $log"
}

pid_gone() {
  kill -0 "$1" 2>/dev/null || return 0
  local stat; stat="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [[ -z "$stat" || "$stat" == Z* ]]
}

# SIGTERM to each running service (its whole process group when it leads one), up to
# $1 seconds for a graceful shutdown, then SIGKILL. Services: the rest of the arguments, or all.
stop_services() {
  local grace="$1"; shift
  local targets=("$@") s pid pids=() names=()
  (( ${#targets[@]} > 0 )) || targets=("${SERVICES[@]}")
  for s in "${targets[@]}"; do
    pid="$(service_pid "$s")"
    if [[ -z "$pid" ]]; then
      rm -f "$(service_pid_file "$s")"
      continue
    fi
    info "stopping $s (pid $pid)"
    signal_service TERM "$pid"
    pids+=("$pid"); names+=("$s")
  done
  (( ${#pids[@]} > 0 )) || { info "no services running"; return 0; }
  local deadline=$(( $(now) + grace )) i alive
  while :; do
    alive=0
    for i in "${!pids[@]}"; do pid_gone "${pids[$i]}" || alive=1; done
    (( alive )) || break
    if (( $(now) >= deadline )); then
      for i in "${!pids[@]}"; do
        if ! pid_gone "${pids[$i]}"; then
          warn "${names[$i]} (pid ${pids[$i]}) still running after ${grace}s; sending SIGKILL"
          signal_service KILL "${pids[$i]}"
        fi
      done
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  for s in "${names[@]}"; do rm -f "$(service_pid_file "$s")"; done
  info "stopped: ${names[*]}"
}

signal_service() {
  local sig="$1" pid="$2" pgid
  pgid="$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
  if [[ -n "$pgid" && "$pgid" == "$pid" ]]; then
    kill "-$sig" -- "-$pid" 2>/dev/null || true
  else
    kill "-$sig" "$pid" 2>/dev/null || true
  fi
}

# ---------------------------------------------------------------- Docker Compose

# Compose v2 (`docker compose`): the file uses its top-level `name` and `up --wait`.
compose() {
  docker compose version >/dev/null 2>&1 \
    || die "--docker needs Docker with the Compose v2 plugin ('docker compose'); without Docker, leave out --docker"
  (cd "$IMB_ROOT" && docker compose "$@")
}

# ---------------------------------------------------------------- test totals

RESULTS_DIR="$RUN_DIR/test-results"

# One closing line over both jest runs and any extra check recorded as a plain
# "<name> passed|failed" file in $RESULTS_DIR: "tests: N passed, N failed, N skipped".
print_test_totals() {
  compgen -G "$RESULTS_DIR/*" >/dev/null || return 0
  node -e '
    const { readFileSync } = require("fs");
    let passed = 0, failed = 0, skipped = 0, broken = 0;
    for (const file of process.argv.slice(1)) {
      if (!file.endsWith(".json")) {
        if (readFileSync(file, "utf8").trim().endsWith("passed")) passed++; else failed++;
        continue;
      }
      const r = JSON.parse(readFileSync(file, "utf8"));
      passed += r.numPassedTests; failed += r.numFailedTests;
      skipped += r.numPendingTests + (r.numTodoTests || 0);
      broken += r.testResults.filter((t) => t.status === "failed" && t.assertionResults.length === 0).length;
    }
    // A file that fails to load has no failed test of its own: count it as one failure.
    if (broken > 0) console.log(`    (${broken} test file(s) failed before running any test, counted as failed)`);
    console.log(`tests: ${passed} passed, ${failed + broken} failed, ${skipped} skipped`);
  ' "$RESULTS_DIR"/* || true
}
