// The kiosk's "my consents" screen: find the consumer from what they tell or their eID shows,
// show their current consents (the requesting chain's and the registry's), and take withdrawals
// as new records that also become change events.
import type { ConsentRecord } from '../wire/schemas.js';
import type {
  ConsentLookupRequest,
  ConsentLookupResponse,
  ConsentState,
  ConsentWithdrawRequest,
  ConsentWithdrawResponse,
} from '../wire/registry-api.js';
import { withdrawalEvent } from './apply.js';
import { currentStates } from './consent-state.js';
import { RegistryError } from './errors.js';
import { birthDatesAgree, matchKey } from './matching.js';
import { consentRecordsOf, insertConsentRecords, type StoredConsent } from './storage/consents.js';
import { subjectRefsByChain } from './storage/enrollments.js';
import { appendChangeEvents, type NewChangeEvent } from './storage/feed.js';
import type { KioskIdentity } from './storage/kiosks.js';
import { profilesByMatchKey, type ProfileRow } from './storage/profiles.js';
import { lock, LockSpace, type Work } from './storage/sql.js';

/**
 * The one profile with these names that a detail confirms (both birth dates agree, or the same
 * e-mail or mobile) and none contradicts. A name alone never identifies anyone here.
 */
function* identify(who: ConsentLookupRequest): Work<ProfileRow> {
  const key = matchKey(who.surname, who.firstNames);
  yield* lock(LockSpace.Consumer, key);
  const email = who.email?.toLowerCase();
  const found = (yield* profilesByMatchKey(key)).filter((p) => {
    const pEmail = p.email?.toLowerCase();
    if (!birthDatesAgree(p.birthDate, who.birthDate)) return false;
    if (email && pEmail && email !== pEmail) return false;
    if (who.mobile && p.mobile && who.mobile !== p.mobile) return false;
    return Boolean((who.birthDate && p.birthDate) || (email && email === pEmail) || (who.mobile && who.mobile === p.mobile));
  });
  if (found.length > 1) throw new RegistryError('ambiguous-match', 'several consumers match: add a birth date, e-mail or mobile');
  const [only] = found;
  if (!only) throw new RegistryError('consumer-not-found', 'no consumer matches these details');
  return only;
}

/** What a chain's kiosk may show: its own chain's consents and the registry's. */
function visibleTo(kiosk: KioskIdentity, states: readonly ConsentState[]): ConsentState[] {
  return states.filter((s) => s.party === 'registry' || s.chainId === kiosk.chainId);
}

export function* lookupConsents(kiosk: KioskIdentity, who: ConsentLookupRequest): Work<ConsentLookupResponse> {
  const profile = yield* identify(who);
  return { profileId: profile.profileId, consents: visibleTo(kiosk, currentStates(yield* consentRecordsOf(profile.profileId))) };
}

export function* withdrawConsents(
  kiosk: KioskIdentity,
  req: ConsentWithdrawRequest,
  now: string,
  newId: () => string,
): Work<ConsentWithdrawResponse> {
  if (req.party === 'chain' && kiosk.chainId === null) {
    throw new RegistryError('kiosk-unbound', 'this kiosk is provisioned without a chain');
  }
  const profile = yield* identify(req);
  const records = yield* consentRecordsOf(profile.profileId);
  const targets = currentStates(records).filter(
    (s) => s.party === req.party && s.status === 'given' && req.purposes.includes(s.purposeId) && (req.party === 'registry' || s.chainId === kiosk.chainId),
  );
  const byChain = new Map<string, ConsentState[]>();
  for (const s of targets) byChain.set(s.chainId, [...(byChain.get(s.chainId) ?? []), s]);
  const refs = yield* subjectRefsByChain(profile.profileId);
  const withdrawn: ConsentWithdrawResponse['withdrawn'] = [];
  const events: NewChangeEvent[] = [];
  for (const [chainId, states] of byChain) {
    const record = withdrawalRecord(records, states, kiosk, req, now, newId());
    yield* insertConsentRecords([record], { profileId: profile.profileId, chainId, sentAt: null, receivedAt: now });
    const purposes = states.map((s) => s.purposeId);
    withdrawn.push({ recordId: record.recordId, party: req.party, chainId, purposes });
    events.push(withdrawalEvent(chainId, profile.profileId, refs.get(chainId) ?? [], req.party, purposes, record.recordId));
  }
  yield* appendChangeEvents(events, now);
  const after = withdrawn.length > 0 ? yield* consentRecordsOf(profile.profileId) : records;
  return { profileId: profile.profileId, receivedAt: now, withdrawn, consents: visibleTo(kiosk, currentStates(after)) };
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
  const first = states[0];
  const given = records.find((r) => r.record.recordId === first?.recordId)?.record;
  if (!first || !given) throw new Error('withdrawal without the record it reverses');
  return {
    ...given,
    recordId,
    purposes: states.map((s) => ({ id: s.purposeId, status: 'withdrawn', legalBasis: s.legalBasis })),
    event: {
      at: now,
      utcOffsetMinutes: req.utcOffsetMinutes,
      type: 'withdrawn',
      method: req.method,
      storeId: kiosk.storeId ?? given.event.storeId,
      kioskId: kiosk.kioskId,
    },
    evidence: { allUncheckedAtStart: true, controlsTouched: req.purposes.map((p) => `withdraw:${p}`) },
  };
}
