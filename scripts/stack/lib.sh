# shellcheck shell=bash
# shellcheck disable=SC2034  # settings here are used by the scripts that source this file
# Shared settings and helpers for the local lakehouse stack.
# Sourced by up.sh, down.sh, status.sh and smoke.sh; not meant to be run directly.
set -euo pipefail

STACK_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$STACK_SCRIPTS/../.." && pwd)"
TEMPLATES="$STACK_SCRIPTS/templates"

# ---------------------------------------------------------------- settings
# Runtime state (data, pids, logs) lives in the checkout; downloads outside it.
export STACK_HOME="${STACK_HOME:-$REPO_ROOT/.stack}"
export STACK_CACHE="${STACK_CACHE:-$HOME/.cache/reciping-stack}"
STACK_HOST=127.0.0.1   # every service binds to loopback only
STACK_TIMEOUT="${STACK_TIMEOUT:-300}"   # seconds to wait for each service to be ready

export TRINO_PORT="${TRINO_PORT:-18080}"
export PG_PORT="${PG_PORT:-15432}"
export S3_PORT="${S3_PORT:-19000}"
export S3_CONSOLE_PORT="${S3_CONSOLE_PORT:-19001}"
export KAFKA_PORT="${KAFKA_PORT:-19092}"
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"

# Pinned versions (see docs/stack.md for why these).
TRINO_VERSION=476
KAFKA_VERSION=3.9.2
# MinIO publishes no semver tags; the module proxy here serves this pseudo-version (commit 7aac2a2c5b7c).
MINIO_MODULE=github.com/minio/minio
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
MVN_DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

# Memory: Trino heap + Kafka heap + MinIO + PostgreSQL must fit ~8 GB.
export TRINO_HEAP="${TRINO_HEAP:-4G}"
export TRINO_QUERY_MAX_MEMORY="${TRINO_QUERY_MAX_MEMORY:-2GB}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"

# Fixed dev credentials: every listener is on loopback.
export PG_USER=iceberg PG_PASSWORD=iceberg PG_DATABASE=iceberg
PG_SUPERUSER=postgres PG_SUPERPASSWORD=postgres
export S3_ACCESS_KEY_ID=minioadmin S3_SECRET_ACCESS_KEY=minioadmin S3_REGION=us-east-1
export S3_WAREHOUSE_BUCKET=warehouse S3_STAGING_BUCKET=reciping-user-event-logs
KAFKA_TOPIC=replay-user-events
KAFKA_TOPIC_PARTITIONS=3

# Derived paths.
RUN_DIR="$STACK_HOME/run"
LOG_DIR="$STACK_HOME/logs"
export TRINO_ETC="$STACK_HOME/trino/etc"
export TRINO_INSTALL="$STACK_CACHE/trino/trino-server-$TRINO_VERSION"
TRINO_CLI_JAR="$STACK_CACHE/trino/trino-cli-$TRINO_VERSION-executable.jar"
KAFKA_INSTALL="$STACK_CACHE/kafka/kafka-$KAFKA_VERSION"
GO_ROOT_CACHE="$STACK_CACHE/go"
MINIO_BIN="$GO_ROOT_CACHE/bin/minio"
M2_REPO="$STACK_CACHE/m2"
PG_DIR="$STACK_HOME/postgres"
PG_DATA="$PG_DIR/data"
ENV_FILE="$STACK_HOME/stack.env"

SERVICES=(postgres minio kafka trino)   # start order; stop order is the reverse

# ----------------------------------------------------------------- logging
log()  { printf '[stack %3ss] %s\n' "$SECONDS" "$*" >&2; }
die()  { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# Print the end of a log file so failures are visible without opening it.
show_log_tail() {
  local file=$1
  [[ -f $file ]] || return 0
  printf '[stack] ---- last lines of %s ----\n' "$file" >&2
  tail -n 25 "$file" >&2 || true
  printf '[stack] ----\n' >&2
}

# ------------------------------------------------------------ small utils
# Render a template: replace ${NAME} with the exported variable NAME, fail on unknown names.
render() {
  local src=$1 dst=$2
  mkdir -p "$(dirname "$dst")"
  RENDER_SRC=$src perl -pe \
    's/\$\{([A-Z0-9_]+)\}/exists $ENV{$1} ? $ENV{$1} : die "undefined template variable $1 in $ENV{RENDER_SRC}\n"/ge' \
    "$src" >"$dst.tmp"
  mv "$dst.tmp" "$dst"
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$STACK_HOST/$1" 2>/dev/null
}

svc_port() {
  case $1 in
    postgres) echo "$PG_PORT" ;;
    minio) echo "$S3_PORT" ;;
    kafka) echo "$KAFKA_PORT" ;;
    trino) echo "$TRINO_PORT" ;;
    *) die "unknown service $1" ;;
  esac
}

svc_log() { echo "$LOG_DIR/$1.log"; }
pid_file() { echo "$RUN_DIR/$1.pid"; }

# PID of a service this stack started, or nothing. The command line must mention
# STACK_HOME so a recycled PID of an unrelated process is never trusted (or killed).
svc_pid() {
  local file pid
  file=$(pid_file "$1")
  [[ -f $file ]] || return 0
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  [[ -r /proc/$pid/cmdline ]] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$STACK_HOME" || return 0
  echo "$pid"
}

svc_up() {
  local pid
  pid=$(svc_pid "$1")
  [[ -n $pid ]] && port_open "$(svc_port "$1")"
}

# Record the port a service was started on, to catch a port change while it runs.
save_port() { svc_port "$1" >"$RUN_DIR/$1.port"; }

# Decide whether to start a service: 0 = start it, 1 = already running (ours).
# Refuse when the port belongs to something we did not start.
need_start() {
  local svc=$1 port pid started_port
  port=$(svc_port "$svc")
  pid=$(svc_pid "$svc")
  if [[ -n $pid ]]; then
    started_port=$(cat "$RUN_DIR/$svc.port" 2>/dev/null || echo "$port")
    [[ $started_port == "$port" ]] ||
      die "$svc (pid $pid) runs on port $started_port but the port is now set to $port: run scripts/stack/down.sh first"
    log "$svc already running (pid $pid, port $port)"
    return 1
  fi
  rm -f "$(pid_file "$svc")"
  if port_open "$port"; then
    die "port $port (for $svc) is already used by a process this stack did not start; free it or set another port (see docs/stack.md)"
  fi
  return 0
}

# Wait until CHECK (a command) succeeds, failing fast if the service process dies.
wait_ready() {
  local svc=$1 what=$2; shift 2
  local deadline=$((SECONDS + STACK_TIMEOUT)) log
  log=$(svc_log "$svc")
  until "$@" >/dev/null 2>&1; do
    if [[ -z $(svc_pid "$svc") ]]; then
      show_log_tail "$log"
      die "$svc exited before it was ready ($what); see $log"
    fi
    if ((SECONDS >= deadline)); then
      show_log_tail "$log"
      die "$svc not ready after ${STACK_TIMEOUT}s ($what); see $log"
    fi
    sleep 1
  done
}

# Start a long-running process in its own session (so Ctrl-C on up.sh does not reach it),
# logging to logs/<svc>.log, and record its PID.
spawn() {
  local svc=$1; shift
  local log
  log=$(svc_log "$svc")
  printf '\n==== %s starting %s ====\n' "$(date -Is)" "$svc" >>"$log"
  # 9>&- : the daemon must not inherit (and so hold forever) the stack lock.
  setsid "$@" >>"$log" 2>&1 </dev/null 9>&- &
  echo $! >"$(pid_file "$svc")"
  save_port "$svc"
}

# Serialise up/down so two invocations never race on the same STACK_HOME.
acquire_lock() {
  mkdir -p "$STACK_HOME"
  exec 9>"$STACK_HOME/.lock"
  if ! flock -n 9; then
    log "another stack command holds $STACK_HOME/.lock; waiting"
    flock 9
  fi
}

# -------------------------------------------------------------- toolchain
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

# First JDK (bin/java) whose major version is within [min, max].
find_java() {
  local min=$1 max=$2; shift 2
  local cand major
  for cand in "$@"; do
    [[ -n $cand && -x $cand ]] || continue
    major=$(java_major "$cand") || continue
    [[ -n $major ]] || continue
    if ((major >= min && major <= max)); then
      echo "$cand"
      return 0
    fi
  done
  return 1
}

# Kafka 3.9 is built and tested for Java 11-21, so it (and the CLIs) get Java 17.
find_java17() {
  find_java 17 21 \
    "${KAFKA_JAVA_HOME:+$KAFKA_JAVA_HOME/bin/java}" \
    /usr/lib/jvm/java-17-openjdk-amd64/bin/java \
    "${JAVA_HOME:+$JAVA_HOME/bin/java}" \
    "$(command -v java || true)" \
    /usr/lib/jvm/*/bin/java
}

# Trino 476 refuses to start on a JDK older than 24.
find_java_trino() {
  local all
  # Newest first, so Temurin 25 wins over anything older.
  mapfile -t all < <(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV)
  find_java 24 99 \
    "${TRINO_JAVA_HOME:+$TRINO_JAVA_HOME/bin/java}" \
    /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
    "${all[@]}"
}

# Go is often installed in /usr/local/go without being on a non-login PATH.
if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then
  PATH="$PATH:/usr/local/go/bin"
fi

# Name every missing tool at once, then stop: nothing is skipped silently.
# Sets JAVA17 and JAVA_TRINO.
check_prereqs() {
  local missing=() tool
  JAVA17=$(find_java17) ||
    missing+=("java 17-21 (for Kafka $KAFKA_VERSION): apt-get install openjdk-17-jdk-headless, or set KAFKA_JAVA_HOME")
  JAVA_TRINO=$(find_java_trino) ||
    missing+=("java >= 24 (for Trino $TRINO_VERSION): install a JDK 24+ such as Temurin 25 under /usr/lib/jvm, or set TRINO_JAVA_HOME")
  command -v mvn >/dev/null || missing+=("mvn (Apache Maven: fetches Trino and Kafka from Maven Central)")
  command -v go >/dev/null || missing+=("go (Go toolchain: builds MinIO with go install)")
  for tool in curl tar unzip perl flock setsid timeout; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    printf '[stack] ERROR: missing prerequisites:\n' >&2
    printf '[stack]   - %s\n' "${missing[@]}" >&2
    exit 1
  fi
}

# ------------------------------------------------------------ PostgreSQL
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [[ -n $dir && -x $dir/postgres ]] && echo "$dir"
}

# PostgreSQL refuses to run as root: when we are root, run it as the postgres user.
as_pg() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_admin_psql() {
  PGOPTIONS="-c client_min_messages=warning" PGPASSWORD=$PG_SUPERPASSWORD "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$STACK_HOST" -p "$PG_PORT" -U "$PG_SUPERUSER" "$@"
}

pg_iceberg_psql() {
  PGOPTIONS="-c client_min_messages=warning" PGPASSWORD=$PG_PASSWORD "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$STACK_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DATABASE" "$@"
}

# ------------------------------------------------------------------ S3
# One signed S3 request with curl's built-in SigV4 (no mc client needed).
s3_curl() {
  curl -sS --aws-sigv4 "aws:amz:$S3_REGION:s3" \
    --user "$S3_ACCESS_KEY_ID:$S3_SECRET_ACCESS_KEY" "$@"
}

s3_bucket_exists() {
  [[ $(s3_curl -o /dev/null -w '%{http_code}' -I "http://$STACK_HOST:$S3_PORT/$1") == 200 ]]
}

# ---------------------------------------------------------------- Kafka
# Run a Kafka CLI class (storage format, topics) with quiet logging; never hang forever.
kafka_tool() {
  timeout 120 "$JAVA17" -Xmx256m -cp "$KAFKA_INSTALL/libs/*" \
    -Dlog4j.configuration="file:$STACK_HOME/kafka/etc/tools-log4j.properties" "$@"
}

# ---------------------------------------------------------------- Trino
# Trino CLI on Java 17 (the CLI jar only needs 11+); dumb terminal avoids a jline warning when piped.
trino_cli() {
  "$JAVA17" -Dorg.jline.terminal.dumb=true -jar "$TRINO_CLI_JAR" --server "http://$STACK_HOST:$TRINO_PORT" \
    --user stack --output-format=TSV "$@"
}
