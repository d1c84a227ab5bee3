#!/usr/bin/env bash
# Show each stack service with its pid, port and state.
# Exit status 0 only when every service is up (pid alive and port accepting connections).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
  local svc pid port state rss all_up=0
  printf '%-9s %-8s %-6s %-5s %s\n' SERVICE PID PORT STATE "RSS(MB)"
  for svc in "${SERVICES[@]}"; do
    pid=$(svc_pid "$svc")
    port=$(svc_port "$svc")
    rss=-
    if [[ -n $pid ]] && port_open "$port"; then
      state=up
      rss=$(($(ps -o rss= -p "$pid" 2>/dev/null || echo 0) / 1024))
    elif [[ -n $pid ]]; then
      state=down   # process alive but not listening (starting or broken)
      all_up=1
    else
      state=down
      pid=-
      all_up=1
    fi
    printf '%-9s %-8s %-6s %-5s %s\n' "$svc" "$pid" "$port" "$state" "$rss"
  done
  [[ -f $ENV_FILE ]] && printf 'env file: %s\n' "$ENV_FILE"
  return "$all_up"
}

main "$@"
