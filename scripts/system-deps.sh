#!/usr/bin/env bash
# Debian packages the test suite drives for real: Chromium (docs and dashboard browser tests,
# through playwright-core — no browser download) and systemd-analyze (schedule unit checks).
# Installs what is missing when run as root; otherwise says exactly what to install.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
((${#missing[@]})) || exit 0

if ((EUID != 0)); then
  echo "system-deps: missing Debian packages: ${missing[*]} — run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]} (apt-get)" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
