#!/usr/bin/env bash
# Starts the kiosk on a Debian/Ubuntu counter PC: installs what it needs, makes sure the PC/SC
# daemon runs, then `npm start` (add --kiosk-mode for full-screen lock-down). npm start opens the
# Electron kiosk when Electron's binary is installed (setup.sh --kiosk downloads it), and otherwise
# the same host under Node with the UI in Chromium's app mode; it prints which and why.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --kiosk
if ! pgrep -x pcscd >/dev/null; then
  if command -v systemctl >/dev/null && systemctl list-unit-files pcscd.socket >/dev/null 2>&1; then
    sudo systemctl enable --now pcscd.socket
  else
    sudo pcscd
  fi
fi
if [ "${1:-}" = --kiosk-mode ]; then npm run start:kiosk; else npm start; fi
