// `registry kiosks`: the fleet as a plain table for an operator's terminal, one kiosk a line, the
// ones to look at flagged in words (SILENT, STUCK) so they read without colour.
import type { FleetKiosk } from '../sync/wire/registry-api.js';

const COLUMNS = [
  'kiosk',
  'chain',
  'store',
  'last beat',
  'version',
  'pending',
  'dead-letter',
  'oldest pending',
  'last sync',
  'reader',
  'free disk',
  'failed commits',
  'flags',
] as const;

export function fleetTable(kiosks: readonly FleetKiosk[]): string {
  const rows = kiosks.map(fleetRow);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const silent = kiosks.filter((k) => k.silent).length;
  const stuck = kiosks.filter((k) => k.stuck).length;
  const summary = `${kiosks.length} kiosk${kiosks.length === 1 ? '' : 's'}, ${silent} silent, ${stuck} stuck`;
  return [line(COLUMNS), ...rows.map(line), summary].join('\n') + '\n';
}

function fleetRow(k: FleetKiosk): string[] {
  const h = k.heartbeat;
  const flags = [k.silent ? 'SILENT' : '', k.stuck ? 'STUCK' : ''].filter(Boolean).join(' ');
  return [
    k.kioskId,
    k.chainId ?? '-',
    k.storeId ?? '-',
    k.lastHeartbeatAt === null ? 'never' : `${duration(k.silentForMs)} ago`,
    h?.appVersion ?? '-',
    h ? String(h.queue.pending + h.queue.sending) : '-',
    h ? String(h.queue['dead-letter']) : '-',
    h?.oldestPendingAgeMs == null ? '-' : duration(h.oldestPendingAgeMs),
    // The kiosk's own clock, as it sent it: shown as a time, not an age, since the two clocks differ.
    h?.lastSyncAt == null ? (h ? 'never' : '-') : `${h.lastSyncAt.slice(0, 16).replace('T', ' ')}Z`,
    h ? (h.readerPresent ? 'yes' : 'NO') : '-',
    h?.freeDiskBytes == null ? '-' : bytes(h.freeDiskBytes),
    h ? String(h.failedCommits) : '-',
    flags || 'ok',
  ];
}

/** The largest whole unit: 45 s, 12 min, 3 h, 2 d. */
function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3_600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3_600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
