#!/usr/bin/env bash
# Stop the local lakehouse stack. Only processes recorded in $STACK_HOME/run/*.pid
# (and whose command line points into $STACK_HOME) are signalled: graceful first,
# SIGKILL after a timeout. Data stays in $STACK_HOME; delete it for a clean slate.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Trino writes its CDS archive on exit and Kafka does a controlled shutdown: allow time.
STOP_TIMEOUT="${STOP_TIMEOUT:-60}"

# Graceful signal per service: PostgreSQL's "fast" shutdown is SIGINT
# (SIGTERM would wait for clients to disconnect); the JVMs and MinIO use SIGTERM.
stop_signal() {
  case $1 in
    postgres) echo INT ;;
    *) echo TERM ;;
  esac
}

stop_service() {
  local svc=$1 pid deadline
  pid=$(svc_pid "$svc")
  if [[ -z $pid ]]; then
    log "$svc not running"
    rm -f "$(pid_file "$svc")" "$RUN_DIR/$svc.port"
    return 0
  fi
  log "stopping $svc (pid $pid, SIG$(stop_signal "$svc"))"
  kill -s "$(stop_signal "$svc")" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$svc did not stop within ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$(pid_file "$svc")" "$RUN_DIR/$svc.port"
}

# down.sh [service ...]: all services (reverse start order), or only the named ones.
main() {
  local i svc
  acquire_lock
  if (($#)); then
    for svc in "$@"; do
      [[ " ${SERVICES[*]} " == *" $svc "* ]] || die "unknown service '$svc' (known: ${SERVICES[*]})"
      stop_service "$svc"
    done
    log "stopped: $*"
    return
  fi
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    stop_service "${SERVICES[$i]}"
  done
  log "stack stopped (data kept in $STACK_HOME)"
}

main "$@"
