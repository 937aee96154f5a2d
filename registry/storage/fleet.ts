// The fleet (operations.md, "Watch"): each kiosk's latest heartbeat, and the list the chain's back
// office reads, with the kiosks to look at flagged. The registry's clock decides silence: a kiosk's
// own clock may be wrong, which is one of the things a silent kiosk may have.
import { FLEET_SILENT_AFTER_MS, FLEET_STUCK_PENDING_MS, type FleetKiosk, type Heartbeat } from '../../sync/wire/registry-api.js';
import { all, run, type Work } from './sql.js';

export function* recordHeartbeat(kioskId: string, heartbeat: Heartbeat, receivedAt: string): Work<void> {
  yield* run(
    `INSERT INTO kiosk_heartbeats (kiosk_id, received_at, heartbeat_json) VALUES (?, ?, ?)
     ON CONFLICT (kiosk_id) DO UPDATE SET received_at = excluded.received_at, heartbeat_json = excluded.heartbeat_json`,
    kioskId,
    receivedAt,
    JSON.stringify(heartbeat),
  );
}

interface FleetRow {
  kiosk_id: string;
  chain_id: string | null;
  store_id: string | null;
  provisioned_at: string;
  received_at: string | null;
  heartbeat_json: string | null;
}

/** Active kiosks (a revoked one is no longer in the fleet), of one chain or of all, by chain and id. */
export function* fleet(chainId: string | null, now: Date): Work<FleetKiosk[]> {
  const rows = yield* all<FleetRow>(
    `SELECT k.kiosk_id, k.chain_id, k.store_id, k.provisioned_at, h.received_at, h.heartbeat_json
     FROM kiosks k LEFT JOIN kiosk_heartbeats h ON h.kiosk_id = k.kiosk_id
     WHERE k.revoked_at IS NULL ${chainId === null ? '' : 'AND k.chain_id = ?'}
     ORDER BY COALESCE(k.chain_id, ''), k.kiosk_id`,
    ...(chainId === null ? [] : [chainId]),
  );
  return rows.map((r) => fleetKiosk(r, now));
}

function fleetKiosk(r: FleetRow, now: Date): FleetKiosk {
  const heartbeat = r.heartbeat_json === null ? null : (JSON.parse(r.heartbeat_json) as Heartbeat);
  // A kiosk never heard from counts from its provisioning: a new one gets the same grace as a beat.
  const silentForMs = Math.max(0, now.getTime() - Date.parse(r.received_at ?? r.provisioned_at));
  return {
    kioskId: r.kiosk_id,
    chainId: r.chain_id,
    storeId: r.store_id,
    lastHeartbeatAt: r.received_at,
    silentForMs,
    heartbeat,
    silent: silentForMs >= FLEET_SILENT_AFTER_MS,
    stuck: heartbeat !== null && ((heartbeat.oldestPendingAgeMs ?? 0) > FLEET_STUCK_PENDING_MS || heartbeat.failedCommits > 0),
  };
}
