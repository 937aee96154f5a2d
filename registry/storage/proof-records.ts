// Consent records as stored, for the standard exports and the audit (registry/proof/): each row's
// columns beside its record_json text exactly as kept, so an audit can tell an edited row, with the
// record's signatures (consent-signatures.ts) when it has them, its kiosk JWS always attached.
import { attach, isDetached } from '../../sync/proof/jws.js';
import { canonicalJson } from '../../sync/proof/signatures.js';
import { consentSignatures, type StoredSignatures } from './consent-signatures.js';
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
  /** The kiosk's JWS (attached) and the registry's countersignature; null for a record kept without them. */
  signatures: StoredSignatures | null;
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
}

const COLUMNS = `seq, record_id, profile_id, subject_ref, chain_id, party, event_type, event_at, kiosk_id, received_at, record_json`;
/** Record ids per signature query: well under SQLite's and PostgreSQL's limits on parameters. */
const SIGNATURES_AT_ONCE = 500;

/**
 * The record's signatures with its kiosk JWS attached: a record of a signed batch keeps it detached,
 * and its payload is the record as kept (an edited record then no longer verifies, as it should).
 */
function withAttachedJws(s: StoredSignatures | undefined, recordJson: string): StoredSignatures | null {
  if (!s) return null;
  if (!isDetached(s.kioskJws)) return s;
  try {
    return { ...s, kioskJws: attach(s.kioskJws, canonicalJson(JSON.parse(recordJson))) };
  } catch {
    return s; // not JSON: the audit names the record unreadable
  }
}

const proofRow = (r: Row, signatures: ReadonlyMap<string, StoredSignatures>): StoredProofRow => ({
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
  signatures: withAttachedJws(signatures.get(r.record_id), r.record_json),
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
    `SELECT ${COLUMNS} FROM consent_records WHERE chain_id = ?${since === null ? '' : ' AND received_at >= ?'}${
      profileIds === null ? '' : ` AND profile_id IN (${marks(profileIds.length)})`
    } ORDER BY seq`,
    chainId,
    ...(since === null ? [] : [since]),
    ...(profileIds ?? []),
  );
  const signatures = new Map<string, StoredSignatures>();
  for (let i = 0; i < rows.length; i += SIGNATURES_AT_ONCE)
    for (const sig of yield* consentSignatures(rows.slice(i, i + SIGNATURES_AT_ONCE).map((r) => r.record_id)))
      signatures.set(sig.recordId, sig);
  return rows.map((r) => proofRow(r, signatures));
}
