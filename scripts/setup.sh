#!/usr/bin/env bash
# Set-up of a Debian/Ubuntu machine (as root, or with sudo for apt only), idempotent and quick when
# nothing changed, since scripts/start-kiosk.sh runs it at every start.
#   scripts/setup.sh --kiosk   the PC/SC daemon, Chromium, espeak-ng, xhost, the npm dependencies, then Electron's binary if it downloads
#   scripts/setup.sh --tests   plus virtual readers (vpcd), PostgreSQL, a virtual display (Xvfb, xdotool); no Electron binary
# vsmartcard-vpcd exposes readers that any program on the network can fill: never on a real kiosk.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:---tests}
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

# x11-xserver-utils: xhost, to let the kiosk user use root's X display (start-kiosk.sh as root).
# espeak-ng: the offline voice of "Read aloud" (speech/), at run time, and for the tests that hear it.
packages=(pcscd libpcsclite-dev gcc g++ make python3 chromium espeak-ng x11-xserver-utils)
case "$mode" in
  --kiosk) ;;
  --tests) packages+=(vsmartcard-vpcd pcsc-tools postgresql fonts-dejavu-core xvfb xdotool) ;;
  *) echo "usage: $0 --kiosk|--tests" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ -n "$SUDO" ] && ! command -v sudo >/dev/null; then
    echo "setup: missing packages (${missing[*]}) and no sudo to install them: run this once as root." >&2
    exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Native addons build against the system's Node headers instead of downloading them.
export npm_config_nodedir=${npm_config_nodedir:-/usr}

# node_modules matches package-lock.json when npm's own record of what it installed
# (node_modules/.package-lock.json) names the same versions: then a full `npm ci` is skipped.
installed_matches_lock() {
  node -e '
    const fs = require("node:fs");
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
    const had = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages;
    const ok = Object.entries(lock).every(([path, p]) => path === "" || (had[path] ? had[path].version === p.version : p.optional));
    process.exit(ok ? 0 : 1);
  ' 2>/dev/null
}
if installed_matches_lock; then
  echo "setup: node_modules matches package-lock.json"
else
  # Electron's binary is a separate download (below): without internet it would fail the whole install.
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

# Tests never launch Electron. A kiosk tries its binary once per Electron version; without it,
# `npm start` runs the same host under Node with the window in Chromium.
if [ "$mode" = --kiosk ] && [ ! -e node_modules/electron/dist ]; then
  version=$(node -p 'require("./node_modules/electron/package.json").version')
  tried=node_modules/.eid-kiosk-electron-tried
  if [ "$(cat "$tried" 2>/dev/null)" != "$version" ]; then
    if timeout 300 node node_modules/electron/install.js >/dev/null 2>&1; then
      echo "setup: Electron $version downloaded: npm start opens the Electron kiosk"
    else
      echo "$version" 2>/dev/null >"$tried" || true
      echo "setup: Electron's binary could not be downloaded (no internet?): the kiosk runs in Chromium instead"
    fi
  fi
fi
