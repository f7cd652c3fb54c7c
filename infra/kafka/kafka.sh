#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft) on 127.0.0.1 without Docker: jars from Maven Central,
# one JVM running broker + controller. See README.md.
#
# Usage: kafka.sh {fetch|format|start|wait|stop|kill|status|reset|cli <main-class> [args...]}
#
# Environment:
#   KAFKA_STATE_DIR        state (data/, logs/, kafka.pid, cluster.id)   default <this dir>/.state
#   KAFKA_PORT             client listener port                         default 9092
#   KAFKA_CONTROLLER_PORT  KRaft controller listener port               default 9093
#   KAFKA_WAIT_TIMEOUT     seconds to wait for readiness (wait, start)  default 90
#   KAFKA_HEAP_OPTS        broker heap                                  default -Xms256m -Xmx512m
#   JAVA_HOME              java to use (else `java` on PATH)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="$HERE/.cache"
LIB_DIR="$CACHE_DIR/lib"
POM="$HERE/pom.xml"
POM_STAMP="$CACHE_DIR/pom.sha256"
TEMPLATE="$HERE/server.properties"
LOG4J_CONF="$HERE/log4j.properties"
TOOLS_LOG4J_CONF="$HERE/tools-log4j.properties"

STATE_DIR="${KAFKA_STATE_DIR:-$HERE/.state}"
DATA_DIR="$STATE_DIR/data"
LOG_DIR="$STATE_DIR/logs"
PID_FILE="$STATE_DIR/kafka.pid"
CLUSTER_ID_FILE="$STATE_DIR/cluster.id"
CONFIG="$STATE_DIR/server.properties"
OUT_LOG="$LOG_DIR/kafka.out"

HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
WAIT_TIMEOUT="${KAFKA_WAIT_TIMEOUT:-90}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
STOP_TIMEOUT=30

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

log() { printf 'kafka: %s\n' "$*" >&2; }
die() { printf 'kafka: error: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }

# Runs a Kafka main class with the cached jars; tools log WARN+ to stderr.
run_class() {
  local main="$1"; shift
  "$JAVA" -Xmx256m -Dlog4j.configuration="file:$TOOLS_LOG4J_CONF" -cp "$LIB_DIR/*" "$main" "$@"
}

# One-process-at-a-time lock for the commands that change state (Linux has flock;
# elsewhere we go without). The broker must not inherit fd 9 (see do_start).
take_lock() {
  mkdir -p "$STATE_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$STATE_DIR/.lock"
    flock -w 180 9 || die "another kafka.sh holds $STATE_DIR/.lock for more than 180 s"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

# stdout/stderr of the JVM (fatal startup errors land here), then the broker's own log.
tail_logs() {
  if [[ -s "$OUT_LOG" ]]; then
    printf -- '----- last lines of %s -----\n' "$OUT_LOG" >&2
    grep -v '^$' "$OUT_LOG" | tail -n 10 >&2 || true
  fi
  if [[ -s "$LOG_DIR/server.log" ]]; then
    printf -- '----- last lines of %s -----\n' "$LOG_DIR/server.log" >&2
    tail -n 15 "$LOG_DIR/server.log" >&2
  fi
}

# ---------------------------------------------------------------- fetch

do_fetch() {
  mkdir -p "$CACHE_DIR"
  # The cache is shared by all state dirs: its own lock (fd 8), released on the way out.
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$CACHE_DIR/.lock"
    flock -w 300 8 || die "another kafka.sh holds $CACHE_DIR/.lock for more than 300 s"
  fi
  _fetch_locked
  local rc=$?
  exec 8>&-
  return "$rc"
}

_fetch_locked() {
  local want have=""
  want="$(sha256_of "$POM")"
  [[ -f "$POM_STAMP" ]] && have="$(cat "$POM_STAMP")"
  if [[ "$want" == "$have" ]] && compgen -G "$LIB_DIR/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needed once to download the Kafka jars)"
  log "resolving Kafka jars with Maven into $LIB_DIR (first run only) ..."
  local tmp="$CACHE_DIR/lib.tmp" mvn_log="$CACHE_DIR/mvn.log"
  rm -rf "$tmp"
  # Copy into a scratch dir and swap, so an interrupted or changed fetch never leaves a
  # half-filled or mixed-version lib dir behind.
  if ! mvn -q -B -Dstyle.color=never -f "$POM" -Dlib.dir="$tmp" package >"$mvn_log" 2>&1; then
    tail -n 40 "$mvn_log" >&2
    die "maven failed (full output: $mvn_log)"
  fi
  compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || die "maven ran but $tmp has no kafka_2.13 jar"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  printf '%s\n' "$want" >"$POM_STAMP"
  log "jars ready: $(ls "$LIB_DIR" | grep -c '\.jar$') in $LIB_DIR ($(ls "$LIB_DIR" | grep -o '^kafka_2.13-.*\.jar'))"
}

# ---------------------------------------------------------------- config + format

sed_escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

render_config() {
  mkdir -p "$STATE_DIR" "$DATA_DIR" "$LOG_DIR"
  sed -e "s|@KAFKA_PORT@|$(sed_escape "$PORT")|g" \
      -e "s|@KAFKA_CONTROLLER_PORT@|$(sed_escape "$CONTROLLER_PORT")|g" \
      -e "s|@DATA_DIR@|$(sed_escape "$DATA_DIR")|g" \
      "$TEMPLATE" >"$CONFIG.tmp"
  mv "$CONFIG.tmp" "$CONFIG"
}

do_format() {
  do_fetch
  render_config
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    return 0
  fi
  if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
    run_class kafka.tools.StorageTool random-uuid | tr -d '[:space:]' >"$CLUSTER_ID_FILE.tmp"
    [[ -s "$CLUSTER_ID_FILE.tmp" ]] || die "StorageTool random-uuid printed nothing"
    mv "$CLUSTER_ID_FILE.tmp" "$CLUSTER_ID_FILE"
  fi
  local cid; cid="$(cat "$CLUSTER_ID_FILE")"
  log "formatting $DATA_DIR (cluster id $cid)"
  run_class kafka.tools.StorageTool format -t "$cid" -c "$CONFIG" >/dev/null \
    || die "StorageTool format failed"
}

# ---------------------------------------------------------------- process helpers

# Command line of a live, non-zombie process (empty if gone).
proc_args() {
  local pid="$1" stat
  kill -0 "$pid" 2>/dev/null || return 0
  stat="$(ps -o stat= -p "$pid" 2>/dev/null || true)"
  [[ -n "$stat" && "$stat" != Z* ]] || return 0
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true
  else
    ps -ww -o args= -p "$pid" 2>/dev/null || true
  fi
}

# Our broker is the java process running `kafka.Kafka <this state dir's config>`.
is_our_broker() {
  local args; args="$(proc_args "$1")"
  [[ "$args" == *java* && "$args" == *"kafka.Kafka $CONFIG"* ]]
}

# Prints the PID of our broker, else nothing. Trusts the pid file only if it names our
# broker (a dead pid, a zombie, or a pid reused by another program is stale). If the pid
# file is missing or stale but our broker is running anyway, finds it by its command
# line and rewrites the pid file.
broker_pid() {
  local pid=""
  [[ -f "$PID_FILE" ]] && pid="$(tr -dc '0-9' <"$PID_FILE")"
  if [[ -n "$pid" ]] && is_our_broker "$pid"; then
    printf '%s\n' "$pid"; return 0
  fi
  local p args
  while read -r p args; do
    [[ "$args" == *java* && "$args" == *"kafka.Kafka $CONFIG"* ]] || continue
    is_our_broker "$p" || continue
    log "pid file ${pid:+($pid) }does not match the running broker; found it as pid $p"
    printf '%s\n' "$p" >"$PID_FILE"
    printf '%s\n' "$p"; return 0
  done < <(ps -ww -eo pid=,args= 2>/dev/null || true)
}

# True if the process is gone (or a zombie awaiting its reaper).
pid_gone() {
  kill -0 "$1" 2>/dev/null || return 0
  local stat; stat="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [[ -z "$stat" || "$stat" == Z* ]]
}

port_open() {
  # bash's /dev/tcp; `timeout` guards against a hanging connect where available.
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
  else
    (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
  fi
}

# ---------------------------------------------------------------- start / wait / stop

do_start() {
  take_lock
  local pid; pid="$(broker_pid)"
  if [[ -n "$pid" ]]; then
    log "already running (pid $pid, $HOST:$PORT)"
    exec 9>&- || true
    do_wait
    return 0
  fi
  if [[ -f "$PID_FILE" ]]; then
    log "removing stale pid file (pid $(cat "$PID_FILE") is not our broker)"
    rm -f "$PID_FILE"
  fi
  local p
  for p in "$PORT" "$CONTROLLER_PORT"; do
    if port_open "$p"; then
      die "$HOST:$p is already in use by another process (another broker? see 'ss -ltnp' / 'lsof -i :$p')"
    fi
  done

  do_format

  local jvm_opts=(
    $HEAP_OPTS
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true
    -Dlog4j.configuration="file:$LOG4J_CONF"
    -Dkafka.logs.dir="$LOG_DIR"
  )
  local detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  {
    printf '\n===== %s starting kafka.Kafka %s (port %s, controller %s)\n' \
      "$(date '+%Y-%m-%d %H:%M:%S')" "$CONFIG" "$PORT" "$CONTROLLER_PORT"
  } >>"$OUT_LOG"
  rm -f "$PID_FILE"
  # The inner bash writes its own PID and then execs java, so the pid file holds the JVM's
  # PID whether or not setsid forks. Its own session keeps it alive when the caller's
  # terminal or process group goes away; fd 9 (our lock) must not leak into it.
  ${detach[@]+"${detach[@]}"} nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    "$JAVA" "${jvm_opts[@]}" -cp "$LIB_DIR/*" kafka.Kafka "$CONFIG" \
    </dev/null >>"$OUT_LOG" 2>&1 8>&- 9>&- &

  local i
  for i in $(seq 1 50); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
  [[ -s "$PID_FILE" ]] || { tail_logs; die "broker did not write its pid file"; }
  log "started (pid $(cat "$PID_FILE")), logs in $LOG_DIR"
  do_wait   # still holding the lock: a concurrent `start` waits, then finds it running
}

do_wait() {
  local deadline=$(( $(now) + WAIT_TIMEOUT )) start_ts; start_ts="$(now)"
  local pid=""; [[ -f "$PID_FILE" ]] && pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -d "$LIB_DIR" ]] || die "no jars in $LIB_DIR; run '$0 fetch' first"

  # 1) cheap TCP poll; bail out early if the broker process died.
  until port_open "$PORT"; do
    if [[ -n "$pid" ]] && pid_gone "$pid"; then
      tail_logs; die "broker process $pid exited during startup"
    fi
    if (( $(now) >= deadline )); then
      tail_logs; die "timed out after ${WAIT_TIMEOUT}s: nothing listening on $HOST:$PORT"
    fi
    sleep 0.5
  done
  # 2) protocol check: metadata + ApiVersions round trip through the real client.
  local out
  until out="$(run_class kafka.admin.BrokerApiVersionsCommand --bootstrap-server "$HOST:$PORT" 2>&1)" \
        && [[ "$out" == *"(id: "*"-> ("* ]]; do
    if [[ -n "$pid" ]] && pid_gone "$pid"; then
      tail_logs; die "broker process $pid exited during startup"
    fi
    if (( $(now) >= deadline )); then
      printf '%s\n' "$out" | tail -n 5 >&2
      tail_logs; die "timed out after ${WAIT_TIMEOUT}s: $HOST:$PORT accepts connections but does not answer Kafka requests"
    fi
    sleep 1
  done
  log "ready on $HOST:$PORT (waited $(( $(now) - start_ts ))s)"
}

do_stop() {
  take_lock
  local pid; pid="$(broker_pid)"
  if [[ -z "$pid" ]]; then
    [[ -f "$PID_FILE" ]] && { log "removing stale pid file"; rm -f "$PID_FILE"; }
    log "not running"
    return 0
  fi
  log "stopping (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( $(now) + STOP_TIMEOUT ))
  while ! pid_gone "$pid"; do
    if (( $(now) >= deadline )); then
      log "still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  log "stopped"
}

do_kill() {
  take_lock
  local pid; pid="$(broker_pid)"
  if [[ -n "$pid" ]]; then
    kill -KILL "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 50); do pid_gone "$pid" && break; sleep 0.1; done
    log "killed (pid $pid, SIGKILL)"
  else
    log "not running"
  fi
  rm -f "$PID_FILE"
}

do_status() {
  local pid; pid="$(broker_pid)"
  if [[ -n "$pid" ]]; then
    echo "running (pid $pid, $HOST:$PORT, state $STATE_DIR)"
    return 0
  fi
  echo "stopped"
  return 3
}

do_reset() {
  do_stop
  take_lock
  log "deleting $DATA_DIR"
  rm -rf "$DATA_DIR"
}

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF'

Commands:
  fetch    download the Kafka jars with Maven into .cache/lib (once per pom.xml version)
  format   format the storage directory (only if not formatted yet)
  start    fetch + format if needed, start the broker in the background, wait until ready
           (idempotent: "already running" if it is up)
  wait     wait until the broker answers Kafka requests on 127.0.0.1:$KAFKA_PORT
  stop     SIGTERM, up to 30 s for a clean shutdown, then SIGKILL
  kill     SIGKILL at once (fault injection)
  status   print running/stopped; exit 0 when running, 3 when stopped
  reset    stop and delete all data (topics, offsets)
  cli      run a Kafka tool class with the jars, e.g.
           kafka.sh cli org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
EOF
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  fetch)  do_fetch ;;
  format) take_lock; do_format ;;
  start)  do_start ;;
  wait)   do_wait ;;
  stop)   do_stop ;;
  kill)   do_kill ;;
  status) do_status ;;
  reset)  do_reset ;;
  cli)    [[ $# -ge 1 ]] || die "usage: $0 cli <main-class> [args...]"
          do_fetch; run_class "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
