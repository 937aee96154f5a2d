#!/usr/bin/env bash
# One-time set-up of a Debian/Ubuntu machine for development and tests (as root, or with sudo):
# the PC/SC stack with virtual readers, PostgreSQL, Chromium, and the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

packages=(pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools postgresql chromium gcc g++ make python3)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# No Electron binary download here (no internet but the registries); native addons build against
# the system's Node headers rather than downloading them.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
export npm_config_nodedir=${npm_config_nodedir:-/usr}
npm ci --no-audit --no-fund
