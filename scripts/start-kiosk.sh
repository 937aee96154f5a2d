#!/usr/bin/env bash
# Starts the kiosk on a Debian/Ubuntu counter PC: installs what it needs (scripts/setup.sh --kiosk),
# makes sure the PC/SC daemon runs, then the supervisor (scripts/start.ts) in the foreground, which
# keeps the host and its window running until the window is closed. Options go to it:
#   bash scripts/start-kiosk.sh [--kiosk-mode] [--config FILE | --demo]
# Run as root (no sudo needed), it creates the unprivileged system user kiosk (home /var/lib/eid-kiosk,
# data in /var/lib/eid-kiosk/eid-kiosk) and runs the host and the window as that user: neither ever
# runs as root. As another user, sudo is used only for apt and pcscd.
set -euo pipefail
cd "$(dirname "$0")/.."
KIOSK_USER=kiosk
KIOSK_HOME=/var/lib/eid-kiosk
say() { echo "start-kiosk: $*" >&2; }

if [ "$(id -u)" -eq 0 ]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else SUDO=(); fi

bash scripts/setup.sh --kiosk

if ! pgrep -x pcscd >/dev/null; then
  if [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then
    say "pcscd (the PC/SC daemon) is not running and sudo is missing to start it: run this as root once, or start pcscd."
    exit 1
  fi
  if [ -d /run/systemd/system ] && systemctl list-unit-files pcscd.socket >/dev/null 2>&1; then
    "${SUDO[@]}" systemctl enable --now pcscd.socket
  else
    # No systemd (a container, a minimal install): the daemon forks into the background itself.
    "${SUDO[@]}" pcscd
  fi
fi

# Built here, as the owner of the checkout: the kiosk user may not write in it.
[ -f dist/renderer/index.html ] || npm run -s build:ui

if [ "$(id -u)" -ne 0 ]; then exec node --import tsx scripts/start.ts "$@"; fi

if ! id -u "$KIOSK_USER" >/dev/null 2>&1; then
  say "creating the system user $KIOSK_USER (home $KIOSK_HOME): the host and the window never run as root."
  useradd --system --home-dir "$KIOSK_HOME" --create-home --shell /usr/sbin/nologin --user-group "$KIOSK_USER"
fi
install -d -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0700 "$KIOSK_HOME" "$KIOSK_HOME/tmp"
if [ -n "${DISPLAY:-}" ]; then
  # The window runs as kiosk on root's X display: allow that one local user, nobody else.
  xhost +SI:localuser:"$KIOSK_USER" >/dev/null || { say "cannot open the X display $DISPLAY to let $KIOSK_USER use it (xhost failed)."; exit 1; }
fi
# runuser passes SIGTERM and SIGINT on to the supervisor, which stops what it started. Its own
# TMPDIR: what root left in /tmp (the demo's test PKI, tsx's cache) is not the kiosk user's to read.
exec runuser -u "$KIOSK_USER" -- env -u XAUTHORITY XDG_DATA_HOME="$KIOSK_HOME" XDG_CONFIG_HOME="$KIOSK_HOME/.config" \
  XDG_CACHE_HOME="$KIOSK_HOME/.cache" TMPDIR="$KIOSK_HOME/tmp" node --import tsx scripts/start.ts "$@"
