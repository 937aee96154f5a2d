// Idempotency keys with the hash of the first payload and the first answer's receipt.
import { get, run, type Work } from './sql.js';

export interface KeyClaim {
  idempotencyKey: string;
  kioskId: string;
  kind: string;
  kioskSequence: number;
  payloadHash: string;
  receiptId: string;
  receivedAt: string;
}

/** Claims the key for this item; false when it was already claimed (a concurrent claim waits for the first to finish). */
export function* claimKey(c: KeyClaim): Work<boolean> {
  const changed = yield* run(
    `INSERT INTO idempotency_keys (idempotency_key, kiosk_id, kind, kiosk_sequence, payload_hash, receipt_id, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
    c.idempotencyKey, c.kioskId, c.kind, c.kioskSequence, c.payloadHash, c.receiptId, c.receivedAt,
  );
  return changed > 0;
}

export function* claimedKey(idempotencyKey: string): Work<{ payloadHash: string; receiptId: string; receivedAt: string } | undefined> {
  const r = yield* get<{ payload_hash: string; receipt_id: string; received_at: string }>(
    'SELECT payload_hash, receipt_id, received_at FROM idempotency_keys WHERE idempotency_key = ?',
    idempotencyKey,
  );
  return r && { payloadHash: r.payload_hash, receiptId: r.receipt_id, receivedAt: r.received_at };
}
