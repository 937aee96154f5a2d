// Enrollments as the registry received them: who, where, and both clocks (the kiosk's and ours).
import type { EnrollmentPayload } from '../../wire/schemas.js';
import { all, get, run, type Work } from './sql.js';

export interface EnrollmentReceipt {
  profileId: string;
  sentAt: string;
  receivedAt: string;
  receiptId: string;
}

export function* insertEnrollment(p: EnrollmentPayload, r: EnrollmentReceipt): Work<void> {
  yield* run(
    `INSERT INTO enrollments (enrollment_id, profile_id, chain_id, store_id, kiosk_id, source, enrolled_at, utc_offset_minutes,
       sent_at, received_at, receipt_id, eid_verification_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    p.enrollmentId, r.profileId, p.chainId, p.storeId, p.kioskId, p.source, p.enrolledAt, p.utcOffsetMinutes,
    r.sentAt, r.receivedAt, r.receiptId, p.eidVerification ? JSON.stringify(p.eidVerification) : null,
  );
}

export interface EnrollmentRef {
  profileId: string;
  chainId: string;
}

export function* enrollmentById(enrollmentId: string): Work<EnrollmentRef | undefined> {
  const r = yield* get<{ profile_id: string; chain_id: string }>(
    'SELECT profile_id, chain_id FROM enrollments WHERE enrollment_id = ?',
    enrollmentId,
  );
  return r && { profileId: r.profile_id, chainId: r.chain_id };
}

/** The enrollment ids each chain knows this consumer by. */
export function* subjectRefsByChain(profileId: string): Work<Map<string, string[]>> {
  const rows = yield* all<{ chain_id: string; enrollment_id: string }>(
    'SELECT chain_id, enrollment_id FROM enrollments WHERE profile_id = ? ORDER BY received_at, enrollment_id',
    profileId,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.chain_id, [...(out.get(r.chain_id) ?? []), r.enrollment_id]);
  return out;
}
