// The kiosk's "my consents" screen: find the consumer from what they tell or their eID shows,
// show their current consents (the requesting chain's own and the registry's aggregate, never
// which or how many other chains know them), and take withdrawals as new records that also become
// change events.
import type { SigningKey } from '../sync/proof/ed25519.js';
import type { ConsentRecord } from '../sync/wire/schemas.js';
import type {
  ConsentLookupRequest,
  ConsentLookupResponse,
  ConsentWithdrawRequest,
  ConsentWithdrawResponse,
  LookupScope,
  SubjectIdentification,
} from '../sync/wire/registry-api.js';
import { withdrawalEvent } from './batch-record.js';
import { chainsWithRegistryConsent, chainView, currentStates, registryView, reversingRecord, type ConsentState } from './consent-state.js';
import { RegistryError } from './errors.js';
import { matchKey, namesHaveLetters, type DetailDigests, type MatchKeyer } from './matching.js';
import { registrySigned } from './signed-records.js';
import { insertConsentSignatures } from './storage/consent-signatures.js';
import { consentRecordsOf, insertConsentRecords, type StoredConsent } from './storage/consents.js';
import { enrollmentRefsOf, subjectRefsByChain } from './storage/enrollments.js';
import { appendChangeEvents, type NewChangeEvent } from './storage/feed.js';
import type { KioskIdentity } from './storage/kiosks.js';
import { chainKeysOf, profilesByDigests, profilesByIds, type ProfileRow } from './storage/profiles.js';
import { lock, LockSpace, type Work } from './storage/sql.js';

export interface Identified {
  profile: ProfileRow;
  records: StoredConsent[];
}

/** The one answer to every identification that does not single out one consumer: a miss and a wrong guess alike. */
export const notIdentified = (): RegistryError => new RegistryError('CONSUMER_NOT_FOUND', 'no consumer matches these details');

/**
 * The one consumer these details identify by a strong key and none contradicts, among those this
 * kiosk's chain may know of: decided there, or sharing a valid registry consent. A key is the name
 * plus a full birth date, the e-mail or the mobile, matched as the registry's keyed digests, or as
 * the asking chain's own (matching.ts), which also hold the receipt's withdrawal code and find the
 * chain's customers whatever they answered the registry. Anything else (none, or several) is "not
 * found", in the same words.
 *
 * Scope 'chain' (the returning-customer check, before the customer decided for the registry): the
 * registry acts only as the asking chain's processor, so only that chain's keys find, contradict or
 * answer, and only its records (its consents, the registry decisions taken at its kiosks) come back.
 */
export function* identify(
  kiosk: KioskIdentity,
  keyer: MatchKeyer,
  who: SubjectIdentification,
  scope: LookupScope = 'registry',
): Work<Identified> {
  if (!namesHaveLetters(who.surname, who.firstNames)) throw new RegistryError('INVALID_REQUEST', 'a name needs at least one letter');
  const forChain = scope === 'chain';
  if (forChain && kiosk.chainId === null) throw notIdentified();
  const name = matchKey(who.surname, who.firstNames);
  const digests = keyer.identificationDigests(kiosk.chainId, name, who);
  const details: DetailDigests[] = forChain ? digests.map(({ kind, chain }) => ({ kind, chain })) : digests;
  if (details.length === 0)
    throw new RegistryError(
      'INVALID_REQUEST',
      'give a full birth date (YYYY-MM-DD), the e-mail, the mobile or the withdrawal code with the name',
    );
  yield* lock(LockSpace.Consumer, name);
  const registryHeld = forChain ? [] : yield* profilesByDigests(details.flatMap((d) => d.registry ?? []));
  const chainHeld =
    kiosk.chainId === null
      ? new Map<string, never>()
      : yield* chainKeysOf(
          kiosk.chainId,
          registryHeld.map((p) => p.profileId),
          details.flatMap((d) => d.chain ?? []),
        );
  const known = new Set(registryHeld.map((p) => p.profileId));
  const matched = [...registryHeld, ...(yield* profilesByIds([...chainHeld.keys()].filter((id) => !known.has(id))))];
  const history = yield* consentRecordsOf(matched.map((p) => p.profileId));
  const visible = matched
    .map((profile) => {
      const records = history.get(profile.profileId) ?? [];
      return { profile, records: forChain ? records.filter((r) => r.chainId === kiosk.chainId) : records };
    })
    .filter(
      ({ records }) => records.some((r) => r.chainId === kiosk.chainId) || chainsWithRegistryConsent(currentStates(records)).length > 0,
    );
  // A detail of a kind the profile holds (as the registry's key or this chain's), but another value, says it is someone else.
  const found = visible.filter(({ profile }) => {
    const chain = chainHeld.get(profile.profileId);
    const holds = (digest: string | undefined): boolean =>
      digest !== undefined && (profile.digests.has(digest) || (chain?.digests.has(digest) ?? false));
    const knowsKind = (kind: DetailDigests['kind']): boolean =>
      (!forChain && kind !== 'code' && profile.kinds.has(kind)) || (chain?.kinds.has(kind) ?? false);
    return details.every((d) => holds(d.registry) || holds(d.chain) || !knowsKind(d.kind));
  });
  // The chain's own record of its customer first: someone who said yes to the registry at chain A
  // and no at chain B is, at B's kiosks, B's customer (and A's consents stay A's to show).
  const own = found.filter(({ profile }) =>
    details.some((d) => d.chain !== undefined && chainHeld.get(profile.profileId)?.digests.has(d.chain)),
  );
  const candidates = own.length > 0 ? own : found;
  const [only] = candidates;
  if (!only || candidates.length > 1) throw notIdentified();
  return only;
}

/**
 * What a chain's kiosk may show: its own chain's consents and the registry's aggregate, its states'
 * record ids only to a lookup that asks (a kiosk from before them reads those states strictly).
 */
export function visibleTo(kiosk: KioskIdentity, states: readonly ConsentState[], recordIds = false): ConsentLookupResponse {
  const registry = registryView(kiosk.chainId, states);
  return { chain: chainView(kiosk.chainId, states), registry: recordIds ? registry : registry.map(({ recordId: _id, ...s }) => s) };
}

export function* lookupConsents(
  kiosk: KioskIdentity,
  keyer: MatchKeyer,
  { scope, recordIds, ...who }: ConsentLookupRequest,
): Work<ConsentLookupResponse> {
  const { profile, records } = yield* identify(kiosk, keyer, who, scope);
  const own = kiosk.chainId === null ? undefined : subjectRefsByChain(yield* enrollmentRefsOf([profile.profileId])).get(kiosk.chainId);
  const subjectRef = own?.at(-1);
  return { ...visibleTo(kiosk, currentStates(records), recordIds === true), ...(subjectRef ? { subjectRef } : {}) };
}

export function* withdrawConsents(
  kiosk: KioskIdentity,
  keyer: MatchKeyer,
  req: ConsentWithdrawRequest,
  now: string,
  newId: () => string,
  registryKey: SigningKey,
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
    yield* insertConsentSignatures([registrySigned(record, registryKey, now)]);
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

/** A new record withdrawing `states` (all of one chain), under the notice and controller of the decision it reverses; the registry's own. */
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
    recordedBy: 'registry',
  });
  const evidence = { allUncheckedAtStart: true, controlsTouched: req.purposes.map((p) => `withdraw:${p}`) };
  return reversingRecord(records, states, event, evidence, recordId);
}
