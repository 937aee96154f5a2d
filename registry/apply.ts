// Applying batches: answer replayed keys, decide every rejection, then claim the keys, lock the
// consumers and record the items (batch-record.ts), all in the caller's transaction (so a key is
// never recorded without its effect, nor an effect without its key). A batch costs a fixed number
// of statements, not a few per item: what it depends on is read once, each table written once.
import { chainConsentGiven, isVerifiedEid, registryConsentGiven } from '../sync/wire/registry-match.js';
import { recordsOf, type ConsentRecord, type EnrollmentPayload, type ItemResult, type WireItem } from '../sync/wire/schemas.js';
import type { BatchContext, RegistryRules } from './batch-context.js';
import { recordBatch, type Accepted, type Subject } from './batch-record.js';
import { ClaimRaced, ItemRejection } from './errors.js';
import { attachedFormHash } from './item-hash.js';
import { enrollmentKeys, matchKey, namesHaveLetters } from './matching.js';
import { checkPublishedNotice } from './published-notices.js';
import type { ConsentSignatureRow } from './storage/consent-signatures.js';
import { existingRecordIds } from './storage/consents.js';
import { enrollmentsByIds } from './storage/enrollments.js';
import { claimedKeys, claimKeys, kioskKey, type ClaimedKey } from './storage/idempotency.js';
import type { KioskIdentity } from './storage/kiosks.js';
import { lock, LockSpace, parallel, type Work } from './storage/sql.js';

export interface PreparedItem {
  item: WireItem;
  payloadHash: string;
  /**
   * Each record's kiosk signature, verified on arrival, with the registry's countersignature
   * (routes/batches.ts, signed-records.ts); kept with the records in their transaction.
   */
  signatures?: readonly ConsentSignatureRow[];
}

/** Items speak only for the authenticated kiosk and, where it is bound, its chain and store. */
export function checkScope(item: WireItem, kiosk: KioskIdentity): void {
  const where =
    item.kind === 'enrollment'
      ? { kioskId: item.payload.kioskId, chainId: item.payload.chainId, storeId: item.payload.storeId }
      : { kioskId: item.payload.consent.event.kioskId, chainId: undefined, storeId: item.payload.consent.event.storeId };
  if (where.kioskId !== kiosk.kioskId) throw new ItemRejection('KIOSK_MISMATCH', 'the item names another kiosk');
  if (kiosk.chainId !== null && where.chainId !== undefined && where.chainId !== kiosk.chainId) {
    throw new ItemRejection('CHAIN_MISMATCH', 'the item names another chain than the kiosk is provisioned for');
  }
  if (kiosk.storeId !== null && where.storeId !== kiosk.storeId) {
    throw new ItemRejection('STORE_MISMATCH', 'the item names another store than the kiosk is provisioned for');
  }
  // Only the registry writes records as its own (signed by its key): a kiosk's item may not claim one.
  if (recordsOf(item).some((c) => c.event.recordedBy !== undefined))
    throw new ItemRejection('INVALID_ITEM', 'a consent record of a kiosk names the registry as its recorder');
  if (item.kind === 'enrollment') {
    for (const c of item.payload.consents) {
      if (c.subjectRef !== item.payload.enrollmentId) throw new ItemRejection('INVALID_ITEM', 'a consent record refers to another subject');
      if (c.event.kioskId !== kiosk.kioskId) throw new ItemRejection('KIOSK_MISMATCH', 'a consent record names another kiosk');
    }
  }
}

/** What the batches depend on, read once; items accepted here are added as they are decided. */
interface Known {
  /** By kioskKey(kioskId, idempotencyKey): keys are each kiosk's own. */
  keys: Map<string, ClaimedKey>;
  subjects: Map<string, Subject>;
  recordIds: Set<string>;
}

/** A batch as one request brought it. */
export interface Batch {
  ctx: BatchContext;
  items: readonly PreparedItem[];
}

/** One answer per item, in order. */
export function* applyBatch(ctx: BatchContext, items: readonly PreparedItem[], newId: () => string): Work<ItemResult[]> {
  return (yield* applyBatches([{ ctx, items }], newId))[0] ?? [];
}

/**
 * Several requests' batches in one transaction (group commit), with the same statements as one:
 * they are decided in order, each seeing the items before it, exactly as if applied one after the
 * other. One answer list per batch.
 */
export function* applyBatches(batches: readonly Batch[], newId: () => string): Work<ItemResult[][]> {
  const known = yield* readKnown(batches);
  const accepted: Accepted[] = [];
  const results = batches.map(({ ctx, items }) => items.map((p) => decide(ctx, p, known, newId, accepted)));
  if (accepted.length === 0) return results;
  const claims = accepted.map((a) => ({
    idempotencyKey: a.item.idempotencyKey,
    kioskId: a.ctx.kiosk.kioskId,
    kind: a.item.kind,
    kioskSequence: a.item.sequence,
    payloadHash: a.payloadHash,
    receiptId: a.receiptId,
    receivedAt: a.ctx.receivedAt,
  }));
  if ((yield* claimKeys(claims)).size < claims.length) throw new ClaimRaced();
  yield* lock(LockSpace.Consumer, ...new Set(accepted.map((a) => a.subject.matchKey)));
  yield* recordBatch(accepted, newId);
  return results;
}

/**
 * Keys are read last: each read sees what was committed before it, and a key commits with its
 * effects, so an enrollment or record seen here has its key seen too (and the item is a replay,
 * not a rejection).
 */
function* readKnown(batches: readonly Batch[]): Work<Known> {
  const all = batches.flatMap(({ ctx, items }) => items.map(({ item }) => ({ kioskId: ctx.kiosk.kioskId, item })));
  const enrollmentIds = all.map(({ item }) => (item.kind === 'enrollment' ? item.payload.enrollmentId : item.payload.consent.subjectRef));
  // One round trip on PostgreSQL, one snapshot; SQLite reads them in this order, keys last.
  const [subjects, recordIds, keys] = yield* parallel(
    enrollmentsByIds([...new Set(enrollmentIds)]),
    existingRecordIds(all.flatMap(({ item }) => recordsOf(item).map((c) => c.recordId))),
    claimedKeys(all.map(({ kioskId, item }) => ({ kioskId, idempotencyKey: item.idempotencyKey }))),
  );
  return { keys, subjects: subjects as Map<string, Subject>, recordIds };
}

/** Answers one item from what is known (the store and the items before it), without writing. */
function decide(ctx: BatchContext, p: PreparedItem, known: Known, newId: () => string, accepted: Accepted[]): ItemResult {
  const { item } = p;
  const key = kioskKey(ctx.kiosk.kioskId, item.idempotencyKey);
  const first = known.keys.get(key);
  if (first) return replayAnswer(item.idempotencyKey, p, first);
  let subject: Subject;
  try {
    for (const c of recordsOf(item)) checkPublishedNotice(ctx.rules.statements, c);
    subject =
      item.kind === 'enrollment'
        ? checkEnrollment(ctx.rules, item.payload, known)
        : checkConsentEvent(ctx.kiosk, item.payload.consent, known);
  } catch (e) {
    if (!(e instanceof ItemRejection)) throw e;
    return { idempotencyKey: item.idempotencyKey, status: 'rejected', statusCode: 422, reason: { code: e.code, message: e.message } };
  }
  const receipt = { receiptId: newId(), receivedAt: ctx.receivedAt };
  known.keys.set(key, { payloadHash: p.payloadHash, ...receipt });
  for (const c of recordsOf(item)) known.recordIds.add(c.recordId);
  if (item.kind === 'enrollment') known.subjects.set(item.payload.enrollmentId, subject);
  accepted.push({ ctx, item, payloadHash: p.payloadHash, receiptId: receipt.receiptId, subject, signatures: p.signatures ?? [] });
  return { idempotencyKey: item.idempotencyKey, status: 'accepted', statusCode: 201, ...receipt };
}

function replayAnswer(idempotencyKey: string, p: PreparedItem, first: ClaimedKey): ItemResult {
  if (first.payloadHash !== p.payloadHash && first.payloadHash !== attachedFormHash(p.item, p.signatures ?? [])) {
    return {
      idempotencyKey,
      status: 'conflict',
      statusCode: 409,
      reason: { code: 'IDEMPOTENCY_CONFLICT', message: 'this key was first used with another payload' },
    };
  }
  return { idempotencyKey, status: 'duplicate', statusCode: 200, receiptId: first.receiptId, receivedAt: first.receivedAt };
}

function checkEnrollment(rules: RegistryRules, p: EnrollmentPayload, known: Known): Subject {
  if (known.subjects.has(p.enrollmentId))
    throw new ItemRejection('ENROLLMENT_EXISTS', 'this enrollment id was already received under another key');
  if (p.consents.some((c) => known.recordIds.has(c.recordId)))
    throw new ItemRejection('RECORD_EXISTS', 'a consent record id was already received');
  if (!namesHaveLetters(p.person.surname, p.person.firstNames)) throw new ItemRejection('INVALID_ITEM', 'a name needs at least one letter');
  checkRegistryMatch(p);
  checkChainMatch(p);
  const key = matchKey(p.person.surname, p.person.firstNames);
  return { chainId: p.chainId, matchKey: key, keys: enrollmentKeys(rules.keyer, key, p) };
}

/** The birth date for matching travels only with an eID-verified read under a given registry consent. */
function checkRegistryMatch(p: EnrollmentPayload): void {
  const m = p.registryMatch;
  if (m === undefined) return;
  if (!isVerifiedEid(p) || !registryConsentGiven(p)) {
    throw new ItemRejection(
      'REGISTRY_MATCH_REFUSED',
      'a birth date for matching comes only with a verified eID read and a given registry consent',
    );
  }
  if (p.person.birthDate !== undefined && p.person.birthDate !== m.birthDate) {
    throw new ItemRejection('INVALID_ITEM', "the birth date for matching differs from the person's");
  }
}

/** The chain's lookup keys travel only under a given chain consent, the birth date only from a verified read. */
function checkChainMatch(p: EnrollmentPayload): void {
  const m = p.chainMatch;
  if (m === undefined) return;
  if (!chainConsentGiven(p)) throw new ItemRejection('INVALID_ITEM', "the chain's lookup keys come only with a given chain consent");
  if (m.birthDate === undefined) return;
  if (!isVerifiedEid(p))
    throw new ItemRejection('INVALID_ITEM', "a birth date for the chain's lookups comes only with a verified eID read");
  if (p.person.birthDate !== undefined && p.person.birthDate !== m.birthDate) {
    throw new ItemRejection('INVALID_ITEM', "the birth date for the chain's lookups differs from the person's");
  }
}

function checkConsentEvent(kiosk: KioskIdentity, c: ConsentRecord, known: Known): Subject {
  if (known.recordIds.has(c.recordId)) throw new ItemRejection('RECORD_EXISTS', 'this consent record id was already received');
  const subject = known.subjects.get(c.subjectRef);
  // Another chain's enrollment is not this kiosk's to decide on, nor to learn exists.
  if (!subject || (kiosk.chainId !== null && subject.chainId !== kiosk.chainId)) {
    throw new ItemRejection('UNKNOWN_SUBJECT', 'no enrollment with this subject reference was received');
  }
  return subject;
}
