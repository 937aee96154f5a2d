// Consent records, append-only: a withdrawal is a new record. Each is kept whole (as received)
// beside the columns needed to find it.
import type { ConsentRecord } from '../../wire/schemas.js';
import { all, get, run, type Work } from './sql.js';

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

/** Whether any of these record ids was already received (one query for the lot). */
export function* anyConsentRecordExists(recordIds: readonly string[]): Work<boolean> {
  if (recordIds.length === 0) return false;
  const marks = recordIds.map(() => '?').join(', ');
  return (yield* get<{ one: number }>(`SELECT 1 AS one FROM consent_records WHERE record_id IN (${marks}) LIMIT 1`, ...recordIds)) !== undefined;
}

/** Appends records of one placement in a single statement. */
export function* insertConsentRecords(records: readonly ConsentRecord[], at: ConsentPlacement): Work<void> {
  if (records.length === 0) return;
  const rows = records.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  yield* run(
    `INSERT INTO consent_records (record_id, profile_id, subject_ref, chain_id, party, event_type, event_at, kiosk_id,
       sent_at, received_at, record_json) VALUES ${rows}`,
    ...records.flatMap((c) => [
      c.recordId, at.profileId, c.subjectRef, at.chainId, c.party, c.event.type, c.event.at, c.event.kioskId,
      at.sentAt, at.receivedAt, JSON.stringify(c),
    ]),
  );
}

export function* consentRecordsOf(profileId: string): Work<StoredConsent[]> {
  const rows = yield* all<{ seq: number | string; chain_id: string; record_json: string }>(
    'SELECT seq, chain_id, record_json FROM consent_records WHERE profile_id = ? ORDER BY seq',
    profileId,
  );
  return rows.map((r) => ({ seq: Number(r.seq), chainId: r.chain_id, record: JSON.parse(r.record_json) as ConsentRecord }));
}
