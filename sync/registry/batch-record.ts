// Recording a batch's accepted items, in order, as if they were applied one by one: matching each
// enrollment to a consumer profile, placing the consent records, and deciding the change events
// they cause; then one statement per table for the whole batch.
import type { ConsentRecord, EnrollmentPayload, WireItem } from '../wire/schemas.js';
import type { FeedEventData } from '../wire/registry-api.js';
import type { BatchContext } from './apply.js';
import { canonicalJson } from './canonical.js';
import { chainsWithRegistryConsent, currentStates } from './consent-state.js';
import { finerBirthDate, pickProfile } from './matching.js';
import { consentRecordsOf, insertConsentRecords, type ConsentPlacement, type StoredConsent } from './storage/consents.js';
import {
  enrollmentRefsOf,
  insertEnrollments,
  subjectRefsByChain,
  type EnrollmentReceipt,
  type StoredEnrollmentRef,
} from './storage/enrollments.js';
import { appendChangeEvents, type NewChangeEvent } from './storage/feed.js';
import { profilesByMatchKeys, upsertProfiles, type ProfileFields, type ProfileRow } from './storage/profiles.js';
import type { Work } from './storage/sql.js';

/** The consumer an item is about; an enrollment of this batch gets its profile when it is recorded. */
export interface Subject {
  chainId: string;
  matchKey: string;
  profileId?: string;
}

export interface Accepted {
  item: WireItem;
  payloadHash: string;
  receiptId: string;
  subject: Subject;
}

/** A change event, decided once the consumer's consents and enrollments up to its item are known. */
interface PendingEvents {
  profileId: string;
  /** How many of the batch's consent records and enrollments precede it (its own included). */
  consentsBefore: number;
  enrollmentsBefore: number;
  make(states: ReturnType<typeof currentStates>, refs: Map<string, string[]>): NewChangeEvent[];
}

/** Records the accepted items, in order, under the consumer locks the caller holds. */
export function* recordBatch(ctx: BatchContext, accepted: readonly Accepted[], newId: () => string): Work<void> {
  const byKey = new Map<string, ProfileRow[]>();
  for (const row of yield* profilesByMatchKeys([...new Set(accepted.map((a) => a.subject.matchKey))])) {
    byKey.set(row.matchKey, [...(byKey.get(row.matchKey) ?? []), row]);
  }
  const profiles = new Map<string, { profileId: string; matchKey: string; fields: ProfileFields }>();
  const enrollments: Array<{ payload: EnrollmentPayload; receipt: EnrollmentReceipt }> = [];
  const consents: Array<{ record: ConsentRecord; at: ConsentPlacement }> = [];
  const pending: PendingEvents[] = [];
  const place = (profileId: string, chainId: string): ConsentPlacement => ({ profileId, chainId, sentAt: ctx.sentAt, receivedAt: ctx.receivedAt });

  for (const { item, receiptId, subject } of accepted) {
    if (item.kind === 'enrollment') {
      const p = item.payload;
      const candidates = byKey.get(subject.matchKey) ?? [];
      const profile = pickProfile(candidates, p.person.birthDate);
      const profileId = profile?.profileId ?? newId();
      const fields = mergedFields(profile, p);
      subject.profileId = profileId;
      profiles.set(profileId, { profileId, matchKey: subject.matchKey, fields });
      const row: ProfileRow = { ...fields, profileId, matchKey: subject.matchKey, updatedAt: ctx.receivedAt };
      byKey.set(subject.matchKey, [...candidates.filter((c) => c !== profile), row]);
      enrollments.push({ payload: p, receipt: { profileId, sentAt: ctx.sentAt, receivedAt: ctx.receivedAt, receiptId } });
      consents.push(...p.consents.map((c) => ({ record: c, at: place(profileId, p.chainId) })));
      const changes = profile ? contactChanges(profile, fields) : undefined;
      if (!changes) continue;
      // After this enrollment's own consents are in: the enrolling chain counts when it now holds one.
      pending.push({
        profileId,
        consentsBefore: consents.length,
        enrollmentsBefore: enrollments.length,
        make: (states, refs) => chainsWithRegistryConsent(states).map((chainId) => ({ chainId, profileId, subjectRefs: refs.get(chainId) ?? [], data: changes })),
      });
    } else {
      const c = item.payload.consent;
      const { profileId, chainId } = subject;
      if (profileId === undefined) throw new Error('consent event recorded before its enrollment');
      consents.push({ record: c, at: place(profileId, chainId) });
      const withdrawn = c.purposes.filter((x) => x.status === 'withdrawn').map((x) => x.id);
      if (withdrawn.length === 0) continue;
      pending.push({
        profileId,
        consentsBefore: consents.length,
        enrollmentsBefore: enrollments.length,
        make: (_states, refs) => [withdrawalEvent(chainId, profileId, refs.get(chainId) ?? [], c.party, withdrawn, c.recordId)],
      });
    }
  }
  const events = yield* pendingEvents(pending, consents, enrollments);
  yield* upsertProfiles([...profiles.values()], ctx.receivedAt);
  yield* insertEnrollments(enrollments);
  yield* insertConsentRecords(consents);
  yield* appendChangeEvents(events, ctx.receivedAt);
}

/**
 * The events, each from the consumer's stored history (read before this batch writes) plus the
 * batch's own records and enrollments up to its item, as if the items had been applied one by one.
 */
function* pendingEvents(
  pending: readonly PendingEvents[],
  consents: ReadonlyArray<{ record: ConsentRecord; at: ConsentPlacement }>,
  enrollments: ReadonlyArray<{ payload: EnrollmentPayload; receipt: EnrollmentReceipt }>,
): Work<NewChangeEvent[]> {
  if (pending.length === 0) return [];
  const ids = [...new Set(pending.map((e) => e.profileId))];
  const stored = yield* consentRecordsOf(ids);
  const storedRefs = yield* enrollmentRefsOf(ids);
  // Stored sequences are all lower than those the batch's records will get.
  const batchSeq = Number.MAX_SAFE_INTEGER - consents.length;
  return pending.flatMap((e) => {
    const records: StoredConsent[] = [
      ...(stored.get(e.profileId) ?? []),
      ...consents
        .slice(0, e.consentsBefore)
        .map((c, i) => ({ seq: batchSeq + i, chainId: c.at.chainId, record: c.record }))
        .filter((_, i) => consents[i]?.at.profileId === e.profileId),
    ];
    const refs: StoredEnrollmentRef[] = [
      ...storedRefs.filter((r) => r.profileId === e.profileId),
      ...enrollments
        .slice(0, e.enrollmentsBefore)
        .filter((x) => x.receipt.profileId === e.profileId)
        .map((x) => ({ enrollmentId: x.payload.enrollmentId, profileId: e.profileId, chainId: x.payload.chainId, receivedAt: x.receipt.receivedAt })),
    ].sort((x, y) => x.receivedAt.localeCompare(y.receivedAt) || (x.enrollmentId < y.enrollmentId ? -1 : 1));
    return e.make(currentStates(records), subjectRefsByChain(refs));
  });
}

export function withdrawalEvent(
  chainId: string,
  profileId: string,
  subjectRefs: string[],
  party: ConsentRecord['party'],
  purposes: string[],
  recordId: string,
): NewChangeEvent {
  return { chainId, profileId, subjectRefs, data: { kind: 'consent-withdrawn', party, purposes, recordId } };
}

/**
 * The profile's fields after this enrollment: what it brings wins, what it lacks is kept; the
 * spelling of the names changes only with an eID read (a typed 'EMILE' must not replace 'Émile').
 */
function mergedFields(old: ProfileRow | undefined, p: EnrollmentPayload): ProfileFields {
  const person = p.person;
  const keepNames = old !== undefined && p.source !== 'eid';
  return {
    surname: keepNames ? old.surname : person.surname,
    firstNames: keepNames ? old.firstNames : person.firstNames,
    language: person.language,
    birthDate: finerBirthDate(old?.birthDate, person.birthDate) ?? null,
    sex: person.sex ?? old?.sex ?? null,
    address: person.address ?? old?.address ?? null,
    email: person.email ?? old?.email ?? null,
    mobile: person.mobile ?? old?.mobile ?? null,
  };
}

/** The address and contact fields that changed, with their new values; undefined when none did. */
function contactChanges(old: ProfileRow, now: ProfileFields): Extract<FeedEventData, { kind: 'profile-updated' }> | undefined {
  const changes: { address?: NonNullable<ProfileFields['address']>; email?: string; mobile?: string } = {};
  if (now.address && canonicalJson(now.address) !== canonicalJson(old.address)) changes.address = now.address;
  if (now.email && now.email.toLowerCase() !== old.email?.toLowerCase()) changes.email = now.email;
  if (now.mobile && now.mobile !== old.mobile) changes.mobile = now.mobile;
  return Object.keys(changes).length > 0 ? { kind: 'profile-updated', changes } : undefined;
}
