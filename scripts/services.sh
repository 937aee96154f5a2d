#!/usr/bin/env bash
# Starts or stops what the tests need on this machine: pcscd with the two vpcd virtual readers
# (with the TCP_NODELAY shim) and a PostgreSQL cluster. Run as root. Idempotent.
#   scripts/services.sh start|stop|status
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state=${SERVICES_STATE_DIR:-/tmp/kiosk-services}
mkdir -p "$state"

start_pcscd() {
  if pgrep -x pcscd >/dev/null; then echo "pcscd: already running"; return; fi
  rm -rf /run/pcscd
  gcc -shared -fPIC -O2 -o "$state/pcscd-nodelay.so" "$here/pcscd-nodelay.c" -ldl
  LD_PRELOAD="$state/pcscd-nodelay.so" setsid pcscd --foreground --debug >"$state/pcscd.log" 2>&1 &
  for _ in $(seq 1 100); do
    grep -q 'daemon ready\|Daemon ready' "$state/pcscd.log" 2>/dev/null && break
    sleep 0.1
  done
  # vpcd listens once pcscd has loaded the driver; wait for its port too.
  for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/35963) 2>/dev/null && break
    sleep 0.1
  done
  pgrep -x pcscd >/dev/null || { echo "pcscd failed to start:"; cat "$state/pcscd.log"; exit 1; }
  echo "pcscd: started (log $state/pcscd.log)"
}

stop_pcscd() {
  pkill -TERM -x pcscd 2>/dev/null || true
  for _ in $(seq 1 50); do pgrep -x pcscd >/dev/null || break; sleep 0.1; done
  pkill -KILL -x pcscd 2>/dev/null || true
  rm -rf /run/pcscd
  echo "pcscd: stopped"
}

pg_version() { ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1; }

start_postgres() {
  local v; v=$(pg_version)
  [ -n "$v" ] || { echo "postgresql: not installed"; exit 1; }
  if ! pg_lsclusters -h | grep -q "^$v main"; then pg_createcluster "$v" main >/dev/null; fi
  pg_ctlcluster "$v" main start 2>/dev/null || true
  for _ in $(seq 1 100); do su postgres -c "psql -qAt -c 'select 1'" >/dev/null 2>&1 && break; sleep 0.1; done
  su postgres -c "psql -qAt -c 'select 1'" >/dev/null
  # A password role on loopback TCP, so tests running as any user connect the same way:
  # postgres://kiosk:kiosk@127.0.0.1:5432/kiosk_test (see PG_TEST_URL in the README).
  su postgres -c "psql -qAt -c \"do \\\$\\\$ begin if not exists (select from pg_roles where rolname='kiosk') then create role kiosk login password 'kiosk' createdb; end if; end \\\$\\\$\"" >/dev/null
  su postgres -c "psql -qAt -c 'select 1' -d kiosk_test" >/dev/null 2>&1 || su postgres -c "createdb -O kiosk kiosk_test"
  echo "postgresql $v: running"
}

stop_postgres() {
  local v; v=$(pg_version)
  [ -n "$v" ] && pg_ctlcluster "$v" main stop 2>/dev/null || true
  echo "postgresql: stopped"
}

case "${1:-}" in
  start) start_pcscd; start_postgres ;;
  stop) stop_pcscd; stop_postgres ;;
  status) pgrep -a pcscd || echo "pcscd: not running"; pg_lsclusters || true ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
