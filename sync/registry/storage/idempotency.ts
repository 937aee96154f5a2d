// Idempotency keys, each kiosk's own, with the hash of the first payload and the first answer's receipt.
import { all, marks, valueRows, type Work } from './sql.js';

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

/**
 * Claims the keys in one statement, in key order (two batches claiming overlapping keys then never
 * wait on each other in a cycle); returns the keys claimed here. A key missing from the answer was
 * claimed by a concurrent batch, which this claim waited for to commit.
 */
export function* claimKeys(claims: readonly KeyClaim[]): Work<Set<string>> {
  // One kiosk per batch: the claims share it, so the key order is the lock order.
  if (claims.length === 0) return new Set();
  const sorted = [...claims].sort((a, b) => (a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0));
  const rows = yield* all<{ idempotency_key: string }>(
    `INSERT INTO idempotency_keys (idempotency_key, kiosk_id, kind, kiosk_sequence, payload_hash, receipt_id, received_at)
     VALUES ${valueRows(sorted.length, 7)} ON CONFLICT (kiosk_id, idempotency_key) DO NOTHING RETURNING idempotency_key`,
    ...sorted.flatMap((c) => [c.idempotencyKey, c.kioskId, c.kind, c.kioskSequence, c.payloadHash, c.receiptId, c.receivedAt]),
  );
  return new Set(rows.map((r) => r.idempotency_key));
}

/** The first answers of those of this kiosk's keys already claimed, by key (one query for the lot). */
export function* claimedKeys(kioskId: string, keys: readonly string[]): Work<Map<string, ClaimedKey>> {
  if (keys.length === 0) return new Map();
  const rows = yield* all<{ idempotency_key: string; payload_hash: string; receipt_id: string; received_at: string }>(
    `SELECT idempotency_key, payload_hash, receipt_id, received_at FROM idempotency_keys WHERE kiosk_id = ? AND idempotency_key IN (${marks(keys.length)})`,
    kioskId,
    ...keys,
  );
  return new Map(rows.map((r) => [r.idempotency_key, { payloadHash: r.payload_hash, receiptId: r.receipt_id, receivedAt: r.received_at }]));
}
