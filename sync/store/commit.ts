// The write that makes "done" true: one immediate transaction appends one journal row holding the
// enrollment (policy applied, the person sealed: its one copy) and its consent records; the ids are
// returned only after COMMIT. A later decision on an existing subject (withdrawal, renewal) is
// committed the same way.
import { signRecord } from '../proof/signatures.js';
import { compiledValidator, type CheckResult } from '../wire/compiled.js';
import { hasDuplicateRecordId } from '../wire/record-ids.js';
import { ConsentRecord, EnrollmentPayload } from '../wire/schemas.js';
import { newWithdrawalCode } from '../wire/withdrawal-code.js';
import { describeIssues } from '../zod-issues.js';
import { StoreError } from './errors.js';
import type { Store } from './open.js';
import { insertConsentEventItem, insertEnrollmentItem } from './outbox-items.js';
import type { ChainPolicy } from './policy.js';
import { queuedEnrollment } from './registry-match.js';
import { immediate } from './tx.js';

export interface EnrollmentInput {
  /**
   * The wire payload as the flow built it, the person as read (from the card, unminimised): the policy
   * is applied to it before anything is written, the birth date is kept apart for the registry's
   * matching only under a given registry consent, and the chain's lookup keys only under a given
   * chain consent (registry-match.ts). A `chainMatch` in it is ignored: the store makes its own.
   */
  readonly payload: EnrollmentPayload;
  readonly policy: ChainPolicy;
}

export interface CommittedItem {
  readonly idempotencyKey: string;
  readonly sequence: number;
}

export interface CommittedEnrollment extends CommittedItem {
  readonly enrollmentId: string;
  readonly consentRecordIds: readonly string[];
  /**
   * For the receipt, when the chain consent has a purpose given: with the name, it finds the customer
   * at this chain's kiosks whatever they answered the registry. A secret: show it, never log it.
   */
  readonly withdrawalCode?: string;
}

export function commitEnrollment(store: Store, input: EnrollmentInput, now: Date): CommittedEnrollment {
  const parsed = validate(checkEnrollment(input.payload));
  const payload = queuedEnrollment(parsed, input.policy, newWithdrawalCode());
  checkKiosk(store, payload.kioskId, 'kioskId');
  if (hasDuplicateRecordId(payload.consents)) throw new StoreError('INVALID_PAYLOAD', 'consents: two records share a record id');
  const parties = new Set<string>();
  for (const record of payload.consents) {
    if (record.subjectRef !== payload.enrollmentId) throw new StoreError('INVALID_PAYLOAD', `consents: subjectRef of ${record.recordId}`);
    if (parties.has(record.party)) throw new StoreError('INVALID_PAYLOAD', `consents: two records for party ${record.party}`);
    checkKiosk(store, record.event.kioskId, `consents: event.kioskId of ${record.recordId}`);
    parties.add(record.party);
  }
  const at = now.toISOString();
  const idempotencyKey = store.newId();
  // Signed as committed: each record is provable from here on, offline too.
  const signatures = payload.consents.map((record) => signRecord(record, store.signingKey));
  const sequence = immediate(store.db, () => insertEnrollmentItem(store.db, store.cipher, idempotencyKey, { ...payload, signatures }, at));
  store.log.debug({ enrollmentId: payload.enrollmentId, idempotencyKey, sequence }, 'enrollment committed');
  return {
    enrollmentId: payload.enrollmentId,
    idempotencyKey,
    sequence,
    consentRecordIds: payload.consents.map((c) => c.recordId),
    ...(payload.chainMatch && { withdrawalCode: payload.chainMatch.withdrawalCode }),
  };
}

export interface CommittedConsentEvent extends CommittedItem {
  readonly recordId: string;
}

/** A withdrawal or renewal for a subject enrolled earlier (here or at another kiosk). */
export function commitConsentEvent(store: Store, record: ConsentRecord, now: Date): CommittedConsentEvent {
  const consent = validate(checkConsentRecord(record));
  checkKiosk(store, consent.event.kioskId, 'event.kioskId');
  const at = now.toISOString();
  const idempotencyKey = store.newId();
  const jws = signRecord(consent, store.signingKey);
  const sequence = immediate(store.db, () => insertConsentEventItem(store.db, idempotencyKey, consent, jws, at));
  store.log.debug({ recordId: consent.recordId, type: consent.event.type, idempotencyKey, sequence }, 'consent event committed');
  return { recordId: consent.recordId, idempotencyKey, sequence };
}

/** An item naming another kiosk than this one would be refused by the registry: refused here, before it is queued. */
function checkKiosk(store: Store, kioskId: string, where: string): void {
  if (store.kioskId !== undefined && kioskId !== store.kioskId)
    throw new StoreError('INVALID_PAYLOAD', `${where}: not this kiosk (${store.kioskId})`);
}

// The wire schemas compiled once: a commit's validation is then a few µs, not zod's tens.
const checkEnrollment = compiledValidator(EnrollmentPayload);
const checkConsentRecord = compiledValidator(ConsentRecord);

/** The wire schema's verdict; the error names the field path, never the value. */
function validate<T>(result: CheckResult<T>): T {
  if (result.ok) return result.value;
  throw new StoreError('INVALID_PAYLOAD', describeIssues(result.error.issues, { limit: 1 }));
}
