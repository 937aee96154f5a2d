// Consent records as stored, for the standard exports and the audit (registry/proof/): each row's
// columns beside its record_json text exactly as kept, so an audit can tell an edited row, with the
// record's signatures (consent-signatures.ts) when it has them.
import type { ConsentSignatureRow } from './consent-signatures.js';
import { all, marks, type Work } from './sql.js';

export interface StoredProofRow {
  seq: number;
  recordId: string;
  profileId: string;
  subjectRef: string;
  chainId: string;
  party: string;
  eventType: string;
  eventAt: string;
  kioskId: string;
  receivedAt: string;
  /** The record as kept (storage/consents.ts: the received record, as parsed), read back as text. */
  recordJson: string;
  /** The kiosk's JWS and the registry's countersignature; null for a record kept without them. */
  signatures: ConsentSignatureRow | null;
}

interface Row {
  seq: number | string;
  record_id: string;
  profile_id: string;
  subject_ref: string;
  chain_id: string;
  party: string;
  event_type: string;
  event_at: string;
  kiosk_id: string;
  received_at: string;
  record_json: string;
  kiosk_kid: string | null;
  kiosk_jws: string | null;
  registry_kid: string | null;
  registry_jws: string | null;
  signed_at: string | null;
}

const COLUMNS = `c.seq, c.record_id, c.profile_id, c.subject_ref, c.chain_id, c.party, c.event_type, c.event_at, c.kiosk_id, c.received_at,
  c.record_json, s.kiosk_kid, s.kiosk_jws, s.registry_kid, s.registry_jws, s.signed_at`;

const proofRow = (r: Row): StoredProofRow => ({
  seq: Number(r.seq),
  recordId: r.record_id,
  profileId: r.profile_id,
  subjectRef: r.subject_ref,
  chainId: r.chain_id,
  party: r.party,
  eventType: r.event_type,
  eventAt: r.event_at,
  kioskId: r.kiosk_id,
  receivedAt: r.received_at,
  recordJson: r.record_json,
  signatures:
    r.kiosk_kid === null || r.kiosk_jws === null || r.registry_kid === null || r.registry_jws === null || r.signed_at === null
      ? null
      : {
          recordId: r.record_id,
          kioskKid: r.kiosk_kid,
          kioskJws: r.kiosk_jws,
          registryKid: r.registry_kid,
          registryJws: r.registry_jws,
          signedAt: r.signed_at,
        },
});

/**
 * The records of a chain (both parties' decisions taken there), received at or after `since`, of
 * these profiles only when given, in arrival order.
 */
export function* chainProofRows(
  chainId: string,
  since: string | null,
  profileIds: readonly string[] | null = null,
): Work<StoredProofRow[]> {
  if (profileIds?.length === 0) return [];
  const rows = yield* all<Row>(
    `SELECT ${COLUMNS} FROM consent_records c LEFT JOIN consent_signatures s ON s.record_id = c.record_id
     WHERE c.chain_id = ?${since === null ? '' : ' AND c.received_at >= ?'}${
       profileIds === null ? '' : ` AND c.profile_id IN (${marks(profileIds.length)})`
     } ORDER BY c.seq`,
    chainId,
    ...(since === null ? [] : [since]),
    ...(profileIds ?? []),
  );
  return rows.map(proofRow);
}
