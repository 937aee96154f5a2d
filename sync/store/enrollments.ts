// Enrollment rows: ids, source, times and the eID verification verdicts, no personal data. The person
// lives in one place only, the sealed outbox payload, so a commit encrypts and writes it once; the
// purge on acknowledgement deletes that payload and stamps purged_at here.
import type { Database } from 'better-sqlite3';
import type { EnrollmentPayload } from '../wire/schemas.js';
import { prepared } from './prepared.js';

const flag = (v: boolean | undefined): number | null => (v === undefined ? null : v ? 1 : 0);

export function insertEnrollment(db: Database, payload: EnrollmentPayload, committedAt: string): void {
  const v = payload.eidVerification;
  prepared(
    db,
    `INSERT INTO enrollments (id, chain_id, store_id, kiosk_id, source, enrolled_at, utc_offset_minutes,
       eid_identity_ok, eid_address_ok, eid_photo_ok, eid_chain_ok, eid_card_valid_until, committed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    payload.enrollmentId,
    payload.chainId,
    payload.storeId,
    payload.kioskId,
    payload.source,
    payload.enrolledAt,
    payload.utcOffsetMinutes,
    flag(v?.identity),
    flag(v?.address),
    flag(v?.photo),
    flag(v?.chain),
    v?.cardValidUntil ?? null,
    committedAt,
  );
}

export function purgeEnrollment(db: Database, id: string, purgedAt: string): void {
  prepared(db, 'UPDATE enrollments SET purged_at = ? WHERE id = ? AND purged_at IS NULL').run(purgedAt, id);
}
