#!/usr/bin/env bash
# Set-up of a Debian/Ubuntu machine (as root, or with sudo), idempotent.
#   scripts/setup.sh --kiosk   the PC/SC daemon and the npm dependencies with the Electron binary
#   scripts/setup.sh --tests   plus virtual readers (vpcd), PostgreSQL and Chromium (end-to-end); no Electron binary
# vsmartcard-vpcd exposes readers that any program on the network can fill: never on a real kiosk.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:---tests}
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

packages=(pcscd libpcsclite-dev gcc g++ make python3)
case "$mode" in
  # Chromium: npm start's kiosk window where Electron's binary could not be downloaded.
  --kiosk) packages+=(chromium) ;;
  --tests) packages+=(vsmartcard-vpcd pcsc-tools postgresql chromium fonts-dejavu-core) ;;
  *) echo "usage: $0 --kiosk|--tests" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Native addons build against the system's Node headers instead of downloading them.
export npm_config_nodedir=${npm_config_nodedir:-/usr}
# Tests never launch Electron, and CI machines cannot download its binary.
[ "$mode" = --tests ] && export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund
