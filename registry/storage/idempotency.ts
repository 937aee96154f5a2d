// Idempotency keys, each kiosk's own, with the hash of the first payload and the first answer's receipt.
import { all, valueRows, type Work } from './sql.js';

export interface KeyClaim {
  idempotencyKey: string;
  kioskId: string;
  kind: string;
  kioskSequence: number;
  payloadHash: string;
  receiptId: string;
  receivedAt: string;
}

export interface ClaimedKey {
  payloadHash: string;
  receiptId: string;
  receivedAt: string;
}

/** A key as the batch logic knows it: the kiosk's id and its own key (keys are each kiosk's own). */
export const kioskKey = (kioskId: string, idempotencyKey: string): string => `${kioskId}\u0000${idempotencyKey}`;

/**
 * Claims the keys in one statement, in (kiosk, key) order (two transactions claiming overlapping
 * keys then never wait on each other in a cycle); returns the keys claimed here, as kioskKey()s. A
 * key missing from the answer was claimed by a concurrent transaction, which this claim waited for.
 */
export function* claimKeys(claims: readonly KeyClaim[]): Work<Set<string>> {
  if (claims.length === 0) return new Set();
  const sorted = [...claims].sort((a, b) => compare(a.kioskId, b.kioskId) || compare(a.idempotencyKey, b.idempotencyKey));
  const rows = yield* all<{ kiosk_id: string; idempotency_key: string }>(
    `INSERT INTO idempotency_keys (idempotency_key, kiosk_id, kind, kiosk_sequence, payload_hash, receipt_id, received_at)
     VALUES ${valueRows(sorted.length, 7)} ON CONFLICT (kiosk_id, idempotency_key) DO NOTHING RETURNING kiosk_id, idempotency_key`,
    ...sorted.flatMap((c) => [c.idempotencyKey, c.kioskId, c.kind, c.kioskSequence, c.payloadHash, c.receiptId, c.receivedAt]),
  );
  return new Set(rows.map((r) => kioskKey(r.kiosk_id, r.idempotency_key)));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The first answers of those of these keys already claimed, by kioskKey() (one query for the lot). */
export function* claimedKeys(keys: ReadonlyArray<{ kioskId: string; idempotencyKey: string }>): Work<Map<string, ClaimedKey>> {
  if (keys.length === 0) return new Map();
  const rows = yield* all<{ kiosk_id: string; idempotency_key: string; payload_hash: string; receipt_id: string; received_at: string }>(
    `SELECT kiosk_id, idempotency_key, payload_hash, receipt_id, received_at FROM idempotency_keys
     WHERE (kiosk_id, idempotency_key) IN (VALUES ${valueRows(keys.length, 2)})`,
    ...keys.flatMap((k) => [k.kioskId, k.idempotencyKey]),
  );
  return new Map(
    rows.map((r) => [
      kioskKey(r.kiosk_id, r.idempotency_key),
      { payloadHash: r.payload_hash, receiptId: r.receipt_id, receivedAt: r.received_at },
    ]),
  );
}
