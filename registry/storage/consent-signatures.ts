// Each consent record's proof as the registry received it (issue #16): the kiosk's JWS over the
// record (attached, as the kiosk made it at commit), and the registry's countersignature: over the
// signed batch that brought it (signed_batches, one a batch), or, for a record the registry wrote
// itself and for rows from before batch signatures, over this record's JWS alone. Written with the
// record, in its transaction.
import { all, insertRows, marks, run, type SqlValue, type Work } from './sql.js';

/** A kiosk's signed batch as received, with the registry's countersignature over it. */
export interface SignedBatchRow {
  /** SHA-256 (hex) of the kiosk's batch JWS: what the countersignature and each record's row name. */
  batchId: string;
  kioskId: string;
  kioskKid: string;
  kioskJws: string;
  registryKid: string;
  registryJws: string;
  receivedAt: string;
}

export interface ConsentSignatureRow {
  recordId: string;
  kioskKid: string;
  kioskJws: string;
  /** The registry's countersignature of this record alone; null when its batch's countersignature stands for it. */
  registryKid: string | null;
  registryJws: string | null;
  /** The signed batch that brought the record, listing its JWS by hash (signed_batches); null for a record countersigned alone. */
  batchId: string | null;
  signedAt: string;
}

/** A record's signatures as read back, with its batch's row. */
export interface StoredSignatures extends ConsentSignatureRow {
  batch: SignedBatchRow | null;
}

/**
 * The rows, and the signed batches they name (each passed once, not in every row: a batch's JWS
 * lists all its records; a batch re-sent with the same bytes is the same row).
 */
export function* insertConsentSignatures(rows: readonly ConsentSignatureRow[], batches: readonly SignedBatchRow[] = []): Work<void> {
  yield* insertRows(
    'INSERT INTO signed_batches (batch_id, kiosk_id, kiosk_kid, kiosk_jws, registry_kid, registry_jws, received_at)',
    7,
    batches.map((b) => [b.batchId, b.kioskId, b.kioskKid, b.kioskJws, b.registryKid, b.registryJws, b.receivedAt]),
    'ON CONFLICT (batch_id) DO NOTHING',
  );
  yield* insertRows(
    'INSERT INTO consent_signatures (record_id, kiosk_kid, kiosk_jws, registry_kid, registry_jws, batch_id, signed_at)',
    7,
    rows.map((r) => [r.recordId, r.kioskKid, r.kioskJws, r.registryKid, r.registryJws, r.batchId, r.signedAt]),
  );
}

/**
 * Deletes the signatures of the records `recordsSql` selects (a subquery of record ids, with its
 * parameters), and the signed batches that no kept record names any more: a record's proof goes with it.
 */
export function* deleteConsentSignatures(recordsSql: string, ...params: SqlValue[]): Work<void> {
  const batches = yield* all<{ batch_id: string }>(
    `SELECT DISTINCT batch_id FROM consent_signatures WHERE batch_id IS NOT NULL AND record_id IN (${recordsSql})`,
    ...params,
  );
  yield* run(`DELETE FROM consent_signatures WHERE record_id IN (${recordsSql})`, ...params);
  if (batches.length === 0) return;
  yield* run(
    `DELETE FROM signed_batches WHERE batch_id IN (${marks(batches.length)})
       AND NOT EXISTS (SELECT 1 FROM consent_signatures s WHERE s.batch_id = signed_batches.batch_id)`,
    ...batches.map((b) => b.batch_id),
  );
}

export function* consentSignatures(recordIds: readonly string[]): Work<StoredSignatures[]> {
  if (recordIds.length === 0) return [];
  const rows = yield* all<{
    record_id: string;
    kiosk_kid: string;
    kiosk_jws: string;
    registry_kid: string | null;
    registry_jws: string | null;
    batch_id: string | null;
    signed_at: string;
  }>(
    `SELECT record_id, kiosk_kid, kiosk_jws, registry_kid, registry_jws, batch_id, signed_at FROM consent_signatures WHERE record_id IN (${marks(recordIds.length)})`,
    ...recordIds,
  );
  const batches = yield* signedBatches([...new Set(rows.flatMap((r) => (r.batch_id === null ? [] : [r.batch_id])))]);
  return rows.map((r) => ({
    recordId: r.record_id,
    kioskKid: r.kiosk_kid,
    kioskJws: r.kiosk_jws,
    registryKid: r.registry_kid,
    registryJws: r.registry_jws,
    batchId: r.batch_id,
    batch: r.batch_id === null ? null : (batches.get(r.batch_id) ?? null),
    signedAt: r.signed_at,
  }));
}

function* signedBatches(batchIds: readonly string[]): Work<Map<string, SignedBatchRow>> {
  if (batchIds.length === 0) return new Map();
  const rows = yield* all<{
    batch_id: string;
    kiosk_id: string;
    kiosk_kid: string;
    kiosk_jws: string;
    registry_kid: string;
    registry_jws: string;
    received_at: string;
  }>(
    `SELECT batch_id, kiosk_id, kiosk_kid, kiosk_jws, registry_kid, registry_jws, received_at FROM signed_batches WHERE batch_id IN (${marks(batchIds.length)})`,
    ...batchIds,
  );
  return new Map(
    rows.map((b) => [
      b.batch_id,
      {
        batchId: b.batch_id,
        kioskId: b.kiosk_id,
        kioskKid: b.kiosk_kid,
        kioskJws: b.kiosk_jws,
        registryKid: b.registry_kid,
        registryJws: b.registry_jws,
        receivedAt: b.received_at,
      },
    ]),
  );
}
