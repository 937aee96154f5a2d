// The kiosk's "my consents" screen: find the consumer from what they tell or their eID shows,
// show their current consents (the requesting chain's own and the registry's aggregate, never
// which or how many other chains know them), and take withdrawals as new records that also become
// change events.
import type { ConsentRecord } from '../sync/wire/schemas.js';
import type {
  ConsentLookupRequest,
  ConsentLookupResponse,
  ConsentWithdrawRequest,
  ConsentWithdrawResponse,
  SubjectIdentification,
} from '../sync/wire/registry-api.js';
import { withdrawalEvent } from './batch-record.js';
import { chainsWithRegistryConsent, chainView, currentStates, registryView, reversingRecord, type ConsentState } from './consent-state.js';
import { RegistryError } from './errors.js';
import { matchKey, namesHaveLetters, type MatchKeyer } from './matching.js';
import { consentRecordsOf, insertConsentRecords, type StoredConsent } from './storage/consents.js';
import { enrollmentRefsOf, subjectRefsByChain } from './storage/enrollments.js';
import { appendChangeEvents, type NewChangeEvent } from './storage/feed.js';
import type { KioskIdentity } from './storage/kiosks.js';
import { profilesByDigests, type ProfileRow } from './storage/profiles.js';
import { lock, LockSpace, type Work } from './storage/sql.js';

export interface Identified {
  profile: ProfileRow;
  records: StoredConsent[];
}

/** The one answer to every identification that does not single out one consumer: a miss and a wrong guess alike. */
export const notIdentified = (): RegistryError => new RegistryError('CONSUMER_NOT_FOUND', 'no consumer matches these details');

/**
 * The one consumer these details identify by a strong key (the name plus a full birth date, the
 * e-mail or the mobile, matched as keyed digests) and none contradicts, among those this kiosk's
 * chain may know of: decided there, or sharing a valid registry consent. Anything else (none, or
 * several) is "not found", in the same words.
 */
export function* identify(kiosk: KioskIdentity, keyer: MatchKeyer, who: SubjectIdentification): Work<Identified> {
  if (!namesHaveLetters(who.surname, who.firstNames)) throw new RegistryError('INVALID_REQUEST', 'a name needs at least one letter');
  const name = matchKey(who.surname, who.firstNames);
  const keys = keyer.detailKeys(name, who);
  if (keys.length === 0)
    throw new RegistryError('INVALID_REQUEST', 'give a full birth date (YYYY-MM-DD), the e-mail or the mobile with the name');
  yield* lock(LockSpace.Consumer, name);
  const matched = yield* profilesByDigests(keys.map((k) => k.digest));
  const history = yield* consentRecordsOf(matched.map((p) => p.profileId));
  const visible = matched
    .map((profile) => ({ profile, records: history.get(profile.profileId) ?? [] }))
    .filter(
      ({ records }) => records.some((r) => r.chainId === kiosk.chainId) || chainsWithRegistryConsent(currentStates(records)).length > 0,
    );
  // A detail of a kind the profile holds, but another value, says it is someone else.
  const found = visible.filter(({ profile }) => keys.every((k) => profile.digests.has(k.digest) || !profile.kinds.has(k.kind)));
  const [only] = found;
  if (!only || found.length > 1) throw notIdentified();
  return only;
}

/** What a chain's kiosk may show: its own chain's consents and the registry's aggregate. */
export function visibleTo(kiosk: KioskIdentity, states: readonly ConsentState[]): ConsentLookupResponse {
  return { chain: chainView(kiosk.chainId, states), registry: registryView(states) };
}

export function* lookupConsents(kiosk: KioskIdentity, keyer: MatchKeyer, who: ConsentLookupRequest): Work<ConsentLookupResponse> {
  const { profile, records } = yield* identify(kiosk, keyer, who);
  const own = kiosk.chainId === null ? undefined : subjectRefsByChain(yield* enrollmentRefsOf([profile.profileId])).get(kiosk.chainId);
  const subjectRef = own?.at(-1);
  return { ...visibleTo(kiosk, currentStates(records)), ...(subjectRef ? { subjectRef } : {}) };
}

export function* withdrawConsents(
  kiosk: KioskIdentity,
  keyer: MatchKeyer,
  req: ConsentWithdrawRequest,
  now: string,
  newId: () => string,
): Work<ConsentWithdrawResponse> {
  if (req.party === 'chain' && kiosk.chainId === null) {
    throw new RegistryError('KIOSK_UNBOUND', 'this kiosk is provisioned without a chain');
  }
  const { profile, records } = yield* identify(kiosk, keyer, req);
  const targets = currentStates(records).filter(
    (s) =>
      s.party === req.party &&
      s.status === 'given' &&
      req.purposes.includes(s.purposeId) &&
      (req.party === 'registry' || s.chainId === kiosk.chainId),
  );
  // One record per chain touched (each chain's feed and audit trail stay its own); the answer names none.
  const byChain = new Map<string, ConsentState[]>();
  for (const s of targets) byChain.set(s.chainId, [...(byChain.get(s.chainId) ?? []), s]);
  const refs = subjectRefsByChain(yield* enrollmentRefsOf([profile.profileId]));
  const events: NewChangeEvent[] = [];
  for (const [chainId, states] of byChain) {
    const record = withdrawalRecord(records, states, kiosk, req, now, newId());
    yield* insertConsentRecords([{ record, at: { profileId: profile.profileId, chainId, sentAt: null, receivedAt: now } }]);
    events.push(
      withdrawalEvent(
        chainId,
        profile.profileId,
        refs.get(chainId) ?? [],
        req.party,
        states.map((s) => s.purposeId),
        record.recordId,
      ),
    );
  }
  yield* appendChangeEvents(events.map((e) => ({ ...e, recordedAt: now })));
  const after = events.length > 0 ? ((yield* consentRecordsOf([profile.profileId])).get(profile.profileId) ?? []) : records;
  const purposes = [...new Set(targets.map((s) => s.purposeId))].sort();
  return { ...visibleTo(kiosk, currentStates(after)), receivedAt: now, withdrawn: { party: req.party, purposes } };
}

/** A new record withdrawing `states` (all of one chain), under the notice and controller of the decision it reverses. */
export function withdrawalRecord(
  records: readonly StoredConsent[],
  states: readonly ConsentState[],
  kiosk: KioskIdentity,
  req: ConsentWithdrawRequest,
  now: string,
  recordId: string,
): ConsentRecord {
  const event = (given: ConsentRecord): ConsentRecord['event'] => ({
    at: now,
    utcOffsetMinutes: req.utcOffsetMinutes,
    type: 'withdrawn',
    method: req.method,
    storeId: kiosk.storeId ?? given.event.storeId,
    kioskId: kiosk.kioskId,
  });
  const evidence = { allUncheckedAtStart: true, controlsTouched: req.purposes.map((p) => `withdraw:${p}`) };
  return reversingRecord(records, states, event, evidence, recordId);
}
