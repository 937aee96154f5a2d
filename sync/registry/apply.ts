// Applying one batch item: claim its idempotency key, then record the enrollment or consent
// decision, match the consumer, and append the change events it causes, all in the caller's
// transaction (so the key is never recorded without the effect, nor the effect without the key).
import type { ConsentRecord, EnrollmentPayload, ItemResult, WireItem } from '../wire/schemas.js';
import type { FeedEventData } from '../wire/registry-api.js';
import { canonicalJson } from './canonical.js';
import { chainsWithRegistryConsent, currentStates } from './consent-state.js';
import { ItemRejection } from './errors.js';
import { finerBirthDate, matchKey, pickProfile } from './matching.js';
import { anyConsentRecordExists, consentRecordsOf, insertConsentRecords } from './storage/consents.js';
import { enrollmentById, insertEnrollment, subjectRefsByChain, type EnrollmentRef } from './storage/enrollments.js';
import { appendChangeEvents, type NewChangeEvent } from './storage/feed.js';
import { claimedKey, claimKey } from './storage/idempotency.js';
import type { KioskIdentity } from './storage/kiosks.js';
import { insertProfile, profileMatchKey, profilesByMatchKey, updateProfile, type ProfileFields, type ProfileRow } from './storage/profiles.js';
import { lock, LockSpace, type Work } from './storage/sql.js';

export interface BatchContext {
  kiosk: KioskIdentity;
  sentAt: string; // kiosk clock
  receivedAt: string; // registry clock
}

export interface PreparedItem {
  item: WireItem;
  payloadHash: string;
}

/** Items speak only for the authenticated kiosk and, where it is bound, its chain and store. */
export function checkScope(item: WireItem, kiosk: KioskIdentity): void {
  const where =
    item.kind === 'enrollment'
      ? { kioskId: item.payload.kioskId, chainId: item.payload.chainId, storeId: item.payload.storeId }
      : { kioskId: item.payload.consent.event.kioskId, chainId: undefined, storeId: item.payload.consent.event.storeId };
  if (where.kioskId !== kiosk.kioskId) throw new ItemRejection('kiosk-mismatch', 'the item names another kiosk');
  if (kiosk.chainId !== null && where.chainId !== undefined && where.chainId !== kiosk.chainId) {
    throw new ItemRejection('chain-mismatch', 'the item names another chain than the kiosk is provisioned for');
  }
  if (kiosk.storeId !== null && where.storeId !== kiosk.storeId) {
    throw new ItemRejection('store-mismatch', 'the item names another store than the kiosk is provisioned for');
  }
  if (item.kind === 'enrollment') {
    for (const c of item.payload.consents) {
      if (c.subjectRef !== item.payload.enrollmentId) throw new ItemRejection('invalid-item', 'a consent record refers to another subject');
      if (c.event.kioskId !== kiosk.kioskId) throw new ItemRejection('kiosk-mismatch', 'a consent record names another kiosk');
    }
  }
}

/**
 * Answers a replayed key from its first answer; otherwise checks the item (every rejection is
 * decided here, before the first write), claims the key and records the item.
 */
export function* applyItem(ctx: BatchContext, p: PreparedItem, newId: () => string): Work<ItemResult> {
  const { item } = p;
  const seen = yield* replayAnswer(item.idempotencyKey, p.payloadHash);
  if (seen) return seen;
  const subject = item.kind === 'enrollment' ? yield* checkEnrollment(item.payload) : yield* checkConsentEvent(item.payload.consent);

  const receipt = { receiptId: newId(), receivedAt: ctx.receivedAt };
  const claim = { idempotencyKey: item.idempotencyKey, kioskId: ctx.kiosk.kioskId, kind: item.kind, kioskSequence: item.sequence };
  if (!(yield* claimKey({ ...claim, payloadHash: p.payloadHash, ...receipt }))) {
    // A concurrent batch claimed it between our look and our claim, and has committed since.
    const raced = yield* replayAnswer(item.idempotencyKey, p.payloadHash);
    if (!raced) throw new Error('idempotency key claimed but not found');
    return raced;
  }
  if (item.kind === 'enrollment') yield* recordEnrollment(ctx, item.payload, receipt.receiptId, newId);
  else if (subject) yield* recordConsentEvent(ctx, item.payload.consent, subject);
  return { idempotencyKey: item.idempotencyKey, status: 'accepted', statusCode: 201, ...receipt };
}

function* replayAnswer(idempotencyKey: string, payloadHash: string): Work<ItemResult | undefined> {
  const first = yield* claimedKey(idempotencyKey);
  if (!first) return undefined;
  if (first.payloadHash !== payloadHash) {
    return {
      idempotencyKey,
      status: 'conflict',
      statusCode: 409,
      reason: { code: 'idempotency-conflict', message: 'this key was first used with another payload' },
    };
  }
  return { idempotencyKey, status: 'duplicate', statusCode: 200, receiptId: first.receiptId, receivedAt: first.receivedAt };
}

function* checkEnrollment(p: EnrollmentPayload): Work<undefined> {
  if (yield* enrollmentById(p.enrollmentId)) throw new ItemRejection('enrollment-exists', 'this enrollment id was already received under another key');
  if (yield* anyConsentRecordExists(p.consents.map((c) => c.recordId))) {
    throw new ItemRejection('record-exists', 'a consent record id was already received');
  }
  return undefined;
}

function* recordEnrollment(ctx: BatchContext, p: EnrollmentPayload, receiptId: string, newId: () => string): Work<void> {
  const key = matchKey(p.person.surname, p.person.firstNames);
  yield* lock(LockSpace.Consumer, key);
  const profile = pickProfile(yield* profilesByMatchKey(key), p.person.birthDate);
  const profileId = profile?.profileId ?? newId();
  const fields = mergedFields(profile, p);
  if (profile) yield* updateProfile(profileId, fields, ctx.receivedAt);
  else yield* insertProfile(profileId, key, fields, ctx.receivedAt);

  yield* insertEnrollment(p, { profileId, sentAt: ctx.sentAt, receivedAt: ctx.receivedAt, receiptId });
  yield* insertConsentRecords(p.consents, { profileId, chainId: p.chainId, sentAt: ctx.sentAt, receivedAt: ctx.receivedAt });
  const changes = profile ? contactChanges(profile, fields) : undefined;
  if (!changes) return;
  // After this enrollment's own consents are in: the enrolling chain counts when it now holds one.
  const chains = chainsWithRegistryConsent(currentStates(yield* consentRecordsOf(profileId)));
  const refs = yield* subjectRefsByChain(profileId);
  yield* appendChangeEvents(
    chains.map((chainId) => ({ chainId, profileId, subjectRefs: refs.get(chainId) ?? [], data: changes })),
    ctx.receivedAt,
  );
}

function* checkConsentEvent(c: ConsentRecord): Work<EnrollmentRef> {
  if (yield* anyConsentRecordExists([c.recordId])) throw new ItemRejection('record-exists', 'this consent record id was already received');
  const subject = yield* enrollmentById(c.subjectRef);
  if (!subject) throw new ItemRejection('unknown-subject', 'no enrollment with this subject reference was received');
  return subject;
}

function* recordConsentEvent(ctx: BatchContext, c: ConsentRecord, subject: EnrollmentRef): Work<void> {
  const key = yield* profileMatchKey(subject.profileId);
  if (key !== undefined) yield* lock(LockSpace.Consumer, key);
  const chainId = ctx.kiosk.chainId ?? subject.chainId;
  yield* insertConsentRecords([c], { profileId: subject.profileId, chainId, sentAt: ctx.sentAt, receivedAt: ctx.receivedAt });
  const withdrawn = c.purposes.filter((x) => x.status === 'withdrawn').map((x) => x.id);
  if (withdrawn.length === 0) return;
  const refs = yield* subjectRefsByChain(subject.profileId);
  yield* appendChangeEvents([withdrawalEvent(chainId, subject.profileId, refs.get(chainId) ?? [], c.party, withdrawn, c.recordId)], ctx.receivedAt);
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
