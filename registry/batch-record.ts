// Recording a batch's accepted items, in order, as if they were applied one by one: matching each
// enrollment to a consumer profile, placing the consent records, and deciding the change events
// they cause; then one statement per table for the whole batch. An enrollment with no registry
// purpose given is the chain's only (matching.ts): it joins only its chain's chain-only profile, and
// causes no registry key, no merge and no event for any other chain.
import type { ConsentRecord, EnrollmentPayload, WireItem } from '../sync/wire/schemas.js';
import type { FeedEventData } from '../sync/wire/registry-api.js';
import { isVerifiedEid } from '../sync/wire/registry-match.js';
import type { BatchContext } from './batch-context.js';
import { canonicalJson } from './canonical.js';
import { chainsWithRegistryConsent, currentStates, registryGivesElsewhere, reversingRecord } from './consent-state.js';
import { registrySigned } from './signed-records.js';
import { pickProfile, type ChainKeyKind, type EnrollmentKeys, type StrongKey } from './matching.js';
import { insertConsentSignatures, type ConsentSignatureRow } from './storage/consent-signatures.js';
import { consentRecordsOf, insertConsentRecords, type ConsentPlacement, type StoredConsent } from './storage/consents.js';
import {
  enrollmentRefsOf,
  insertEnrollments,
  subjectRefsByChain,
  type EnrollmentReceipt,
  type StoredEnrollmentRef,
} from './storage/enrollments.js';
import { appendChangeEvents, type NewChangeEvent, type TimedChangeEvent } from './storage/feed.js';
import {
  chainOnlyProfilesByDigests,
  insertChainKeys,
  insertProfileKeys,
  profilesByDigests,
  upsertProfiles,
  type ProfileFields,
  type ProfileRow,
} from './storage/profiles.js';
import type { Work } from './storage/sql.js';
import { queueConfirmation } from './mail/confirmation.js';

/** The consumer an item is about; an enrollment of this batch gets its profile when it is recorded. */
export interface Subject {
  chainId: string;
  matchKey: string;
  /** An enrollment's strong keys (none for a consent event: its subject is known by enrollment id). */
  keys?: EnrollmentKeys;
  profileId?: string;
}

export interface Accepted {
  /** The request that brought it (a group commit records several requests' items together). */
  ctx: BatchContext;
  item: WireItem;
  payloadHash: string;
  receiptId: string;
  subject: Subject;
  signatures: readonly ConsentSignatureRow[];
}

/** A change event, decided once the consumer's consents and enrollments up to its item are known. */
interface PendingEvents {
  profileId: string;
  /** How many of the batch's consent records and enrollments precede it (its own included). */
  consentsBefore: number;
  enrollmentsBefore: number;
  make(states: ReturnType<typeof currentStates>, refs: Map<string, string[]>, records: readonly StoredConsent[]): TimedChangeEvent[];
}

/** Records the accepted items, in order, under the consumer locks the caller holds. */
export function* recordBatch(accepted: readonly Accepted[], newId: () => string): Work<void> {
  const digests = (chainOnly: boolean): string[] => [
    ...new Set(
      accepted.filter((a) => (a.subject.keys?.chainOnly !== undefined) === chainOnly).flatMap((a) => matchDigests(a.subject.keys)),
    ),
  ];
  const index = new ProfileIndex([...(yield* profilesByDigests(digests(false))), ...(yield* chainOnlyProfilesByDigests(digests(true)))]);
  const profiles = new Map<string, { profileId: string; matchKey: string; chainId: string | null; fields: ProfileFields; at: string }>();
  const newKeys: Array<{ profileId: string; key: StrongKey }> = [];
  const newChainKeys: Array<{ profileId: string; chainId: string; key: StrongKey<ChainKeyKind> }> = [];
  const enrollments: Array<{ payload: EnrollmentPayload; receipt: EnrollmentReceipt }> = [];
  const consents: Array<{ record: ConsentRecord; at: ConsentPlacement }> = [];
  /** The signatures of the records the registry writes itself (registry withdrawals carried to other chains). */
  const ownSignatures: ConsentSignatureRow[] = [];
  const pending: PendingEvents[] = [];
  const place = (ctx: BatchContext, profileId: string, chainId: string): ConsentPlacement => ({
    profileId,
    chainId,
    sentAt: ctx.sentAt,
    receivedAt: ctx.receivedAt,
  });

  for (const { ctx, item, receiptId, subject } of accepted) {
    if (item.kind === 'enrollment') {
      const p = item.payload;
      const keys = subject.keys ?? { contacts: [], chain: [] };
      const chainId = keys.chainOnly ?? null;
      const profile = pickProfile(index.candidates(keys), keys);
      const profileId = profile?.profileId ?? newId();
      const fields = mergedFields(profile, p);
      subject.profileId = profileId;
      profiles.set(profileId, { profileId, matchKey: subject.matchKey, chainId, fields, at: ctx.receivedAt });
      const added = keysOf(keys).filter((k) => !profile?.digests.has(k.digest));
      // A chain-only profile's matching keys are chain keys, written with the others below.
      if (chainId === null) newKeys.push(...added.map((key) => ({ profileId, key })));
      newChainKeys.push(...keys.chain.map((key) => ({ profileId, chainId: p.chainId, key })));
      index.put(updatedRow(profile, { ...fields, profileId, matchKey: subject.matchKey, chainId }, added, ctx.receivedAt));
      enrollments.push({ payload: p, receipt: { profileId, sentAt: ctx.sentAt, receivedAt: ctx.receivedAt, receiptId } });
      consents.push(...p.consents.map((c) => ({ record: c, at: place(ctx, profileId, p.chainId) })));
      // Other chains hear only of what an eID read with every check passed brought, and never of a chain's own customer.
      const changes = profile && chainId === null && isVerifiedEid(p) ? contactChanges(profile, fields) : undefined;
      if (!changes) continue;
      // After this enrollment's own consents are in: the enrolling chain counts when it now holds one.
      pending.push({
        profileId,
        consentsBefore: consents.length,
        enrollmentsBefore: enrollments.length,
        make: (states, refs) =>
          chainsWithRegistryConsent(states).map((chainId) => ({
            chainId,
            profileId,
            subjectRefs: refs.get(chainId) ?? [],
            data: changes,
            recordedAt: ctx.receivedAt,
          })),
      });
    } else {
      const c = item.payload.consent;
      const { profileId, chainId } = subject;
      if (profileId === undefined) throw new Error('consent event recorded before its enrollment');
      consents.push({ record: c, at: place(ctx, profileId, chainId) });
      const withdrawn = c.purposes.filter((x) => x.status === 'withdrawn').map((x) => x.id);
      if (withdrawn.length === 0) continue;
      pending.push({
        profileId,
        consentsBefore: consents.length,
        enrollmentsBefore: enrollments.length,
        make: (states, refs, records) => {
          const event = (chain: string, purposes: string[], recordId: string): TimedChangeEvent => ({
            ...withdrawalEvent(chain, profileId, refs.get(chain) ?? [], c.party, purposes, recordId),
            recordedAt: ctx.receivedAt,
          });
          if (c.party !== 'registry') return [event(chainId, withdrawn, c.recordId)];
          // Consent to the registry is withdrawn from the registry, whichever chain's kiosk takes it:
          // the gives of these purposes at other chains are withdrawn with it, as /v1/consents/withdraw
          // does, by records the registry writes (and signs) itself.
          const elsewhere = [...registryGivesElsewhere(states, chainId, withdrawn, c.event.at)].map(([other, given]) => {
            const record = reversingRecord(records, given, () => ({ ...c.event, recordedBy: 'registry' }), c.evidence, newId());
            consents.push({ record, at: place(ctx, profileId, other) });
            ownSignatures.push(registrySigned(record, ctx.registryKey, ctx.receivedAt));
            return event(
              other,
              given.map((g) => g.purposeId),
              record.recordId,
            );
          });
          return [event(chainId, withdrawn, c.recordId), ...elsewhere];
        },
      });
    }
  }
  const events = yield* pendingEvents(pending, consents, enrollments);
  yield* upsertProfiles([...profiles.values()]);
  yield* insertProfileKeys(newKeys);
  yield* insertChainKeys(newChainKeys);
  yield* insertEnrollments(enrollments);
  for (const { ctx, item } of accepted)
    if (item.kind === 'enrollment') yield* queueConfirmation(item.payload, ctx.rules.statements, ctx.receivedAt);
  yield* insertConsentRecords(consents);
  const batches = new Map(accepted.flatMap(({ ctx }) => (ctx.signedBatch ? [[ctx.signedBatch.batchId, ctx.signedBatch] as const] : [])));
  yield* insertConsentSignatures([...accepted.flatMap((a) => a.signatures), ...ownSignatures], [...batches.values()]);
  yield* appendChangeEvents(events);
}

/**
 * The events, each from the consumer's stored history (read before this batch writes) plus the
 * batch's own records and enrollments up to its item, as if the items had been applied one by one.
 */
function* pendingEvents(
  pending: readonly PendingEvents[],
  consents: ReadonlyArray<{ record: ConsentRecord; at: ConsentPlacement }>,
  enrollments: ReadonlyArray<{ payload: EnrollmentPayload; receipt: EnrollmentReceipt }>,
): Work<TimedChangeEvent[]> {
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
        .map((x) => ({
          enrollmentId: x.payload.enrollmentId,
          profileId: e.profileId,
          chainId: x.payload.chainId,
          receivedAt: x.receipt.receivedAt,
        })),
    ].sort((x, y) => x.receivedAt.localeCompare(y.receivedAt) || (x.enrollmentId < y.enrollmentId ? -1 : 1));
    return e.make(currentStates(records), subjectRefsByChain(refs), records);
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

const keysOf = (keys: EnrollmentKeys | undefined): StrongKey[] => (keys ? [...(keys.birth ? [keys.birth] : []), ...keys.contacts] : []);
const matchDigests = (keys: EnrollmentKeys | undefined): string[] => keysOf(keys).map((k) => k.digest);

/** The batch's view of the profiles: those read before it, updated as its enrollments are recorded. */
class ProfileIndex {
  private readonly byDigest = new Map<string, Set<string>>();
  private readonly rows = new Map<string, ProfileRow>();
  constructor(rows: readonly ProfileRow[]) {
    for (const r of rows) this.put(r);
  }
  put(row: ProfileRow): void {
    this.rows.set(row.profileId, row);
    for (const d of row.digests) this.byDigest.set(d, (this.byDigest.get(d) ?? new Set()).add(row.profileId));
  }
  /** The profiles of the same holder (the registry, or the one chain) holding any of these keys, oldest first. */
  candidates(keys: EnrollmentKeys): ProfileRow[] {
    const ids = new Set(keysOf(keys).flatMap((k) => [...(this.byDigest.get(k.digest) ?? [])]));
    return [...ids]
      .map((id) => this.rows.get(id))
      .filter((r): r is ProfileRow => r !== undefined && r.chainId === (keys.chainOnly ?? null))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.profileId < b.profileId ? -1 : 1));
  }
}

function updatedRow(
  old: ProfileRow | undefined,
  now: ProfileFields & { profileId: string; matchKey: string; chainId: string | null },
  added: readonly StrongKey[],
  at: string,
): ProfileRow {
  return {
    ...now,
    digests: new Set([...(old?.digests ?? []), ...added.map((k) => k.digest)]),
    kinds: new Set([...(old?.kinds ?? []), ...added.map((k) => k.kind)]),
    birthKeyed: (old?.birthKeyed ?? false) || added.some((k) => k.kind === 'birth'),
    createdAt: old?.createdAt ?? at,
    updatedAt: at,
  };
}

/**
 * The profile's fields after this enrollment. An eID read with every check passed is the strong
 * source: names, address, birth date and sex it brings win. A typed enrollment (or an eID read that
 * failed a check) only fills what a verified profile lacks, so a typed 'EMILE' or a typed address
 * never replaces what the chip said. E-mail and mobile are typed in every flow: the latest wins.
 */
function mergedFields(old: ProfileRow | undefined, p: EnrollmentPayload): ProfileFields {
  const person = p.person;
  const strong = isVerifiedEid(p);
  const overwrite = old === undefined || strong || !old.verified;
  const pick = <T>(mine: T | undefined, theirs: T | null | undefined): T | null =>
    overwrite ? (mine ?? theirs ?? null) : (theirs ?? mine ?? null);
  return {
    // The spelling of the names changes only with a verified read.
    surname: old === undefined || strong ? person.surname : old.surname,
    firstNames: old === undefined || strong ? person.firstNames : old.firstNames,
    language: person.language,
    birthDate: pick(person.birthDate, old?.birthDate),
    sex: pick(person.sex, old?.sex),
    address: pick(person.address, old?.address),
    email: person.email ?? old?.email ?? null,
    mobile: person.mobile ?? old?.mobile ?? null,
    verified: (old?.verified ?? false) || strong,
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
