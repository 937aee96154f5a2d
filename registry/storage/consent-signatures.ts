// Each consent record's proof as the registry received it: the kiosk's JWS over the record and the
// registry's countersignature over that JWS (issue #16). Written with the record, in its transaction.
import { all, insertRows, marks, type Work } from './sql.js';

export interface ConsentSignatureRow {
  recordId: string;
  kioskKid: string;
  kioskJws: string;
  registryKid: string;
  registryJws: string;
  signedAt: string;
}

export function* insertConsentSignatures(rows: readonly ConsentSignatureRow[]): Work<void> {
  yield* insertRows(
    'INSERT INTO consent_signatures (record_id, kiosk_kid, kiosk_jws, registry_kid, registry_jws, signed_at)',
    6,
    rows.map((r) => [r.recordId, r.kioskKid, r.kioskJws, r.registryKid, r.registryJws, r.signedAt]),
  );
}

export function* consentSignatures(recordIds: readonly string[]): Work<ConsentSignatureRow[]> {
  if (recordIds.length === 0) return [];
  const rows = yield* all<{
    record_id: string;
    kiosk_kid: string;
    kiosk_jws: string;
    registry_kid: string;
    registry_jws: string;
    signed_at: string;
  }>(
    `SELECT record_id, kiosk_kid, kiosk_jws, registry_kid, registry_jws, signed_at FROM consent_signatures WHERE record_id IN (${marks(recordIds.length)})`,
    ...recordIds,
  );
  return rows.map((r) => ({
    recordId: r.record_id,
    kioskKid: r.kiosk_kid,
    kioskJws: r.kiosk_jws,
    registryKid: r.registry_kid,
    registryJws: r.registry_jws,
    signedAt: r.signed_at,
  }));
}
