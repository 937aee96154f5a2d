// Enrollments as the registry received them: who, where, and both clocks (the kiosk's and ours).
import type { EnrollmentPayload } from '../../sync/wire/schemas.js';
import { all, insertRows, marks, type Work } from './sql.js';

export interface EnrollmentReceipt {
  profileId: string;
  sentAt: string;
  receivedAt: string;
  receiptId: string;
}

/** Appends enrollments in one insert, in id order (concurrent batches never wait on each other in a cycle). */
export function* insertEnrollments(rows: ReadonlyArray<{ payload: EnrollmentPayload; receipt: EnrollmentReceipt }>): Work<void> {
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => (a.payload.enrollmentId < b.payload.enrollmentId ? -1 : 1));
  yield* insertRows(
    `INSERT INTO enrollments (enrollment_id, profile_id, chain_id, store_id, kiosk_id, source, enrolled_at, utc_offset_minutes,
       sent_at, received_at, receipt_id, eid_verification_json, person_fields)`,
    13,
    sorted.map(({ payload: p, receipt: r }) => [
      p.enrollmentId,
      r.profileId,
      p.chainId,
      p.storeId,
      p.kioskId,
      p.source,
      p.enrolledAt,
      p.utcOffsetMinutes,
      r.sentAt,
      r.receivedAt,
      r.receiptId,
      p.eidVerification ? JSON.stringify(p.eidVerification) : null,
      personFields(p.person),
    ]),
  );
}

/** The optional person fields an enrollment carried (its chain's policy at work), e.g. "address,email": names only, no values. */
const OPTIONAL_FIELDS = ['address', 'birthDate', 'sex', 'email', 'mobile'] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];
const personFields = (person: EnrollmentPayload['person']): string => OPTIONAL_FIELDS.filter((f) => person[f] !== undefined).join(',');

export interface EnrollmentRef {
  profileId: string;
  chainId: string;
  /** The profile's normalised name key, the consumer lock to take before deciding for it. */
  matchKey: string;
}

/** Those of these enrollments already received, by id (one query for the lot). */
export function* enrollmentsByIds(enrollmentIds: readonly string[]): Work<Map<string, EnrollmentRef>> {
  if (enrollmentIds.length === 0) return new Map();
  const rows = yield* all<{ enrollment_id: string; profile_id: string; chain_id: string; match_key: string }>(
    `SELECT e.enrollment_id, e.profile_id, e.chain_id, p.match_key FROM enrollments e JOIN profiles p ON p.profile_id = e.profile_id
     WHERE e.enrollment_id IN (${marks(enrollmentIds.length)})`,
    ...enrollmentIds,
  );
  return new Map(rows.map((r) => [r.enrollment_id, { profileId: r.profile_id, chainId: r.chain_id, matchKey: r.match_key }]));
}

export interface StoredEnrollmentRef {
  enrollmentId: string;
  profileId: string;
  chainId: string;
  receivedAt: string;
}

export interface ChainEnrollment {
  enrollmentId: string;
  source: EnrollmentPayload['source'];
  enrolledAt: string;
  receivedAt: string;
  fields: OptionalField[];
}

/** One chain's enrollments of one profile, oldest first, with the optional fields each carried. */
export function* chainEnrollmentsOf(profileId: string, chainId: string): Work<ChainEnrollment[]> {
  const rows = yield* all<{
    enrollment_id: string;
    source: EnrollmentPayload['source'];
    enrolled_at: string;
    received_at: string;
    person_fields: string;
  }>(
    `SELECT enrollment_id, source, enrolled_at, received_at, person_fields FROM enrollments WHERE profile_id = ? AND chain_id = ?
     ORDER BY received_at, enrollment_id`,
    profileId,
    chainId,
  );
  return rows.map((r) => ({
    enrollmentId: r.enrollment_id,
    source: r.source,
    enrolledAt: r.enrolled_at,
    receivedAt: r.received_at,
    fields: r.person_fields === '' ? [] : (r.person_fields.split(',') as OptionalField[]),
  }));
}

/** The enrollments of these profiles, oldest first. */
export function* enrollmentRefsOf(profileIds: readonly string[]): Work<StoredEnrollmentRef[]> {
  if (profileIds.length === 0) return [];
  const rows = yield* all<{ enrollment_id: string; profile_id: string; chain_id: string; received_at: string }>(
    `SELECT enrollment_id, profile_id, chain_id, received_at FROM enrollments WHERE profile_id IN (${marks(profileIds.length)})
     ORDER BY received_at, enrollment_id`,
    ...profileIds,
  );
  return rows.map((r) => ({ enrollmentId: r.enrollment_id, profileId: r.profile_id, chainId: r.chain_id, receivedAt: r.received_at }));
}

/** The enrollment ids each chain knows one consumer by, oldest first. */
export function subjectRefsByChain(refs: readonly StoredEnrollmentRef[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of refs) out.set(r.chainId, [...(out.get(r.chainId) ?? []), r.enrollmentId]);
  return out;
}
