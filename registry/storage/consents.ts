// Consent records, append-only: a withdrawal is a new record. Each is kept whole (as received)
// beside the columns needed to find it.
import type { ConsentRecord } from '../../sync/wire/schemas.js';
import { all, insertRows, marks, type Work } from './sql.js';

export interface StoredConsent {
  seq: number;
  chainId: string;
  record: ConsentRecord;
}

export interface ConsentPlacement {
  profileId: string;
  /** The chain the decision belongs to (the enrolling chain, or the kiosk's). */
  chainId: string;
  sentAt: string | null;
  receivedAt: string;
}

/** Those of these record ids already received (one query for the lot). */
export function* existingRecordIds(recordIds: readonly string[]): Work<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const rows = yield* all<{ record_id: string }>(
    `SELECT record_id FROM consent_records WHERE record_id IN (${marks(recordIds.length)})`,
    ...recordIds,
  );
  return new Set(rows.map((r) => r.record_id));
}

/** Appends records in the order given (their sequence breaks ties of the kiosk clock). */
export function* insertConsentRecords(rows: ReadonlyArray<{ record: ConsentRecord; at: ConsentPlacement }>): Work<void> {
  if (rows.length === 0) return;
  yield* insertRows(
    `INSERT INTO consent_records (record_id, profile_id, subject_ref, chain_id, party, event_type, event_at, kiosk_id,
       sent_at, received_at, record_json)`,
    11,
    rows.map(({ record: c, at }) => [
      c.recordId,
      at.profileId,
      c.subjectRef,
      at.chainId,
      c.party,
      c.event.type,
      c.event.at,
      c.event.kioskId,
      at.sentAt,
      at.receivedAt,
      JSON.stringify(c),
    ]),
  );
}

/** The records of these profiles by profile, in arrival order. */
export function* consentRecordsOf(profileIds: readonly string[]): Work<Map<string, StoredConsent[]>> {
  const out = new Map<string, StoredConsent[]>(profileIds.map((id) => [id, []]));
  if (profileIds.length === 0) return out;
  const rows = yield* all<{ seq: number | string; profile_id: string; chain_id: string; record_json: string }>(
    `SELECT seq, profile_id, chain_id, record_json FROM consent_records WHERE profile_id IN (${marks(profileIds.length)}) ORDER BY seq`,
    ...profileIds,
  );
  for (const r of rows)
    out.get(r.profile_id)?.push({ seq: Number(r.seq), chainId: r.chain_id, record: JSON.parse(r.record_json) as ConsentRecord });
  return out;
}
