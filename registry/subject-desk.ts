// The rights of the person at the registry (sync.md, "Retention and the rights of the person"):
// access (what is held on them, as the asking chain may see it) and erasure, both behind the same
// strong identification as "my consents"; and the retention purge that erases what is past its time.
import { periodOf, purgeCutoff, type PurgeName } from '../sync/consent/retention.js';
import type { SubjectAccessResponse, SubjectIdentification } from '../sync/wire/registry-api.js';
import type { Party } from '../sync/consent/statements.js';
import type { SigningKey } from '../sync/proof/ed25519.js';
import type { ConsentRecord } from '../sync/wire/schemas.js';
import { currentStates, givenByPartyAndChain, reversingRecord } from './consent-state.js';
import { identify, visibleTo } from './consent-desk.js';
import type { MatchKeyer } from './matching.js';
import { registrySigned } from './signed-records.js';
import { insertConsentSignatures } from './storage/consent-signatures.js';
import { consentRecordsOf, insertConsentRecords } from './storage/consents.js';
import { chainEnrollmentsOf, enrollmentRefsOf, subjectRefsByChain } from './storage/enrollments.js';
import {
  deleteChainData,
  deleteProof,
  deleteProofGroup,
  dropRegistryData,
  erasedWithoutProof,
  eraseProfiles,
  holdingsInactiveSince,
  holdingsWithChainConsentEndedBefore,
  proofCandidatesBefore,
  proofGroup,
  proofTimesOf,
  registryHoldersInactiveSince,
  registryHoldersWithConsentEndedBefore,
  type ChainHolding,
  type ErasureReason,
} from './storage/erasure.js';
import { appendChangeEvents, type TimedChangeEvent } from './storage/feed.js';
import type { KioskIdentity } from './storage/kiosks.js';
import { matchKeysOf } from './storage/profiles.js';
import { purgeTransientMessages } from './storage/transient-messages.js';
import { CODE_TTL_MINUTES } from './mail/messages.js';
import { lock, LockSpace, type Work } from './storage/sql.js';

const KEY_KINDS = { birth: 'name+birth-date', email: 'name+email', mobile: 'name+mobile' } as const;

export function* accessSubject(
  kiosk: KioskIdentity,
  keyer: MatchKeyer,
  who: SubjectIdentification,
  now: string,
): Work<SubjectAccessResponse> {
  const { profile, records } = yield* identify(kiosk, keyer, who);
  const enrollments = kiosk.chainId === null ? [] : yield* chainEnrollmentsOf(profile.profileId, kiosk.chainId);
  // The optional fields this chain's own enrollments carried: what its policy lets it see.
  const seen = new Set(enrollments.flatMap((e) => e.fields));
  const optional = {
    address: profile.address,
    birthDate: profile.birthDate,
    sex: profile.sex as 'M' | 'F' | null,
    email: profile.email,
    mobile: profile.mobile,
  };
  const visible = Object.fromEntries(
    Object.entries(optional).filter(([field, value]) => value !== null && seen.has(field as keyof typeof optional)),
  );
  return {
    profile: {
      surname: profile.surname,
      firstNames: profile.firstNames,
      language: profile.language as SubjectAccessResponse['profile']['language'],
      ...visible,
    },
    matchingKeys: [...profile.kinds].map((k) => KEY_KINDS[k]).sort(),
    enrollments: enrollments.map(({ enrollmentId, source, enrolledAt, receivedAt }) => ({ enrollmentId, source, enrolledAt, receivedAt })),
    consents: visibleTo(kiosk, currentStates(records)),
    receivedAt: now,
  };
}

/**
 * Erases the consumer on request: every consent still given is withdrawn (a record reversing each
 * give, per party and chain), the profile's data goes, and every chain that held the person hears
 * of it in its feed, so it deletes its copy. The consent records stay as proof.
 */
export function* eraseSubject(
  kiosk: KioskIdentity,
  keyer: MatchKeyer,
  who: SubjectIdentification,
  now: string,
  newId: () => string,
  registryKey: SigningKey,
): Work<{ erased: true; receivedAt: string }> {
  const { profile, records } = yield* identify(kiosk, keyer, who);
  const refs = (yield* subjectRefsOf([profile.profileId])).get(profile.profileId) ?? new Map<string, string[]>();
  // The erase request says neither how the person was identified nor the kiosk's offset: the
  // withdrawal repeats those of the give it reverses, at this kiosk and the registry's time.
  const event = (given: ConsentRecord): ConsentRecord['event'] => ({
    ...given.event,
    at: now,
    type: 'withdrawn',
    storeId: kiosk.storeId ?? given.event.storeId,
    kioskId: kiosk.kioskId,
    recordedBy: 'registry',
  });
  const evidence = { allUncheckedAtStart: true, controlsTouched: ['erase'] };
  const withdrawals = givenByPartyAndChain(currentStates(records)).map((states) => ({
    record: reversingRecord(records, states, event, evidence, newId()),
    at: { profileId: profile.profileId, chainId: states[0]?.chainId ?? '', sentAt: null, receivedAt: now },
  }));
  yield* insertConsentRecords(withdrawals);
  yield* insertConsentSignatures(withdrawals.map(({ record }) => registrySigned(record, registryKey, now)));
  yield* eraseProfiles([profile.profileId], now, 'request', kiosk.kioskId);
  yield* appendChangeEvents(erasureEvents(profile.profileId, refs, 'request', now));
  return { erased: true, receivedAt: now };
}

/** The `subject-erased` event for each chain in `refs`, under the refs it knows the consumer by. */
function erasureEvents(profileId: string, refs: ReadonlyMap<string, string[]>, reason: ErasureReason, at: string): TimedChangeEvent[] {
  return [...refs].map(([chainId, subjectRefs]) => ({
    chainId,
    profileId,
    subjectRefs,
    data: { kind: 'subject-erased', reason },
    recordedAt: at,
  }));
}

/** The chains holding each consumer, with the ids each knows them by: its enrollments, else the subjects of its records. */
function* subjectRefsOf(profileIds: readonly string[]): Work<Map<string, Map<string, string[]>>> {
  const out = new Map(profileIds.map((id) => [id, new Map<string, string[]>()]));
  for (const [profileId, list] of yield* consentRecordsOf(profileIds)) {
    const byChain = out.get(profileId);
    for (const { chainId, record } of list) byChain?.set(chainId, [...new Set([...(byChain.get(chainId) ?? []), record.subjectRef])]);
  }
  const enrolled = yield* enrollmentRefsOf(profileIds);
  for (const [profileId, byChain] of out)
    for (const [chainId, ids] of subjectRefsByChain(enrolled.filter((r) => r.profileId === profileId))) byChain.set(chainId, ids);
  return out;
}

/** What one run of the purge did, per purge of the retention table (RETENTION_RULES), and the profiles it erased whole. */
export type PurgeResult = Record<RegistryPurge, number> & { erased: number };
type RegistryPurge = Exclude<PurgeName, 'kiosk-acknowledgement' | 'never-received'>;

/** A purge that found nothing past its time. */
export const nothingPurged = (): PurgeResult => ({
  'registry-data-withdrawn': 0,
  'registry-data-inactive': 0,
  'chain-data-withdrawn': 0,
  'chain-data-inactive': 0,
  'consent-proof': 0,
  'transient-messages': 0,
  erased: 0,
});

interface PurgePlan {
  registry: Array<[RegistryPurge, string[]]>;
  chain: Array<[RegistryPurge, ChainHolding[]]>;
}

/**
 * Deletes what the statements say goes (RETENTION_RULES), each no later than its period's end:
 * each chain's customer file of a consumer once every chain purpose there ended 30 days ago or the
 * person made no visit there for 2 years (the profile is erased when no chain holds it any more);
 * what the registry holds for its own purpose once its consent is given at no chain, or no chain
 * saw a visit, for its period; and consent proof once its own period after the consent ended.
 */
export function* purgeExpired(now: Date): Work<PurgeResult> {
  const at = now.toISOString();
  const cutoff = (party: Party, purge: PurgeName): string => purgeCutoff(now, periodOf(party, purge)).toISOString();
  const planNow = function* (): Work<PurgePlan> {
    const chainEnded = cutoff('chain', 'chain-data-withdrawn');
    const registryEnded = cutoff('registry', 'registry-data-withdrawn');
    const registryHolders = yield* registryHoldersWithConsentEndedBefore(registryEnded);
    const withdrawn = yield* endedBefore(
      registryHolders.map((profileId) => ({ profileId, chainId: '' })),
      'registry',
      registryEnded,
    );
    return {
      registry: [
        ['registry-data-withdrawn', withdrawn.map((h) => h.profileId)],
        ['registry-data-inactive', yield* registryHoldersInactiveSince(cutoff('registry', 'registry-data-inactive'))],
      ],
      chain: [
        ['chain-data-withdrawn', yield* endedBefore(yield* holdingsWithChainConsentEndedBefore(chainEnded), 'chain', chainEnded)],
        ['chain-data-inactive', yield* holdingsInactiveSince(cutoff('chain', 'chain-data-inactive'))],
      ],
    };
  };
  // Decided again under the consumer locks a batch takes before matching (PostgreSQL; SQLite has one
  // writer): a visit committed meanwhile keeps its data, and none can write into a profile being erased.
  const profilesOf = (plan: PurgePlan): string[] => [
    ...new Set([...plan.registry.flatMap(([, ids]) => ids), ...plan.chain.flatMap(([, hs]) => hs.map((h) => h.profileId))]),
  ];
  const candidates = new Set(profilesOf(yield* planNow()));
  yield* lock(LockSpace.Consumer, ...(yield* matchKeysOf([...candidates])));
  const plan = yield* planNow();
  const result = nothingPurged();

  const dropped = new Set<string>();
  for (const [purge, ids] of plan.registry) {
    const fresh = ids.filter((id) => candidates.has(id) && !dropped.has(id));
    for (const part of chunks(fresh)) yield* dropRegistryData(part);
    for (const id of fresh) dropped.add(id);
    result[purge] = fresh.length;
  }

  const deleted = new Set<string>();
  for (const [purge, holdings] of plan.chain) {
    const fresh = holdings.filter((h) => candidates.has(h.profileId) && !deleted.has(`${h.profileId} ${h.chainId}`));
    for (const part of chunks(fresh)) {
      // The chain hears of it while its refs (its enrollments) still exist.
      const refs = yield* subjectRefsOf([...new Set(part.map((h) => h.profileId))]);
      const events = part.flatMap((h) =>
        erasureEvents(h.profileId, new Map([[h.chainId, refs.get(h.profileId)?.get(h.chainId) ?? []]]), 'retention', at),
      );
      const emptied = yield* deleteChainData(part);
      yield* eraseProfiles(emptied, at, 'retention', null);
      yield* appendChangeEvents(events.filter((e) => e.subjectRefs.length > 0));
      result.erased += emptied.length;
    }
    for (const h of fresh) deleted.add(`${h.profileId} ${h.chainId}`);
    result[purge] = fresh.length;
  }

  result['consent-proof'] = yield* purgeProof(now);
  // Codes and messages of either party share one table: the shorter of the two periods rules it.
  const messagesCutoff = [cutoff('chain', 'transient-messages'), cutoff('registry', 'transient-messages')].sort().at(-1)!;
  result['transient-messages'] = yield* purgeTransientMessages(messagesCutoff, CODE_TTL_MINUTES);
  return result;
}

/**
 * Those holdings whose `party` purposes (at their chain; for the registry, at every chain) are
 * none given, the latest such decision received at or before `cutoff`.
 */
function* endedBefore(holdings: readonly ChainHolding[], party: Party, cutoff: string): Work<ChainHolding[]> {
  const out: ChainHolding[] = [];
  for (const part of chunks(holdings)) {
    const ids = [...new Set(part.map((h) => h.profileId))];
    const records = yield* consentRecordsOf(ids);
    const times = yield* proofTimesOf(ids);
    for (const h of part) {
      const group = proofGroup(party, party === 'registry' ? '' : h.chainId);
      const mine = (g: string): boolean => (party === 'registry' ? g.startsWith(group) : g === group);
      const states = currentStates(records.get(h.profileId) ?? []).filter((s) => mine(proofGroup(s.party, s.chainId)));
      const received = [...(times.get(h.profileId)?.lastReceived ?? [])]
        .filter(([g]) => mine(g))
        .map(([, at]) => at)
        .sort()
        .at(-1);
      if (states.every((s) => s.status !== 'given') && received !== undefined && received <= cutoff) out.push(h);
    }
  }
  return out;
}

/**
 * Deletes consent proof once its party's period has passed since the consent ended: one party's
 * records at one chain go together, when none of their purposes is given any more (or the profile
 * was erased) and the latest of them and of the erasure is old enough. An erased profile with no
 * proof left goes whole. Answers how many records went.
 */
function* purgeProof(now: Date): Work<number> {
  const cutoff = {
    chain: purgeCutoff(now, periodOf('chain', 'consent-proof')).toISOString(),
    registry: purgeCutoff(now, periodOf('registry', 'consent-proof')).toISOString(),
  };
  let deleted = 0;
  for (const part of chunks(yield* proofCandidatesBefore([cutoff.chain, cutoff.registry].sort()[1] ?? cutoff.chain))) {
    const records = yield* consentRecordsOf(part);
    const times = yield* proofTimesOf(part);
    for (const profileId of part) {
      const { erasedAt, lastReceived } = times.get(profileId) ?? { erasedAt: null, lastReceived: new Map<string, string>() };
      const given = new Set(
        currentStates(records.get(profileId) ?? [])
          .filter((s) => s.status === 'given')
          .map((s) => proofGroup(s.party, s.chainId)),
      );
      const groups = new Map((records.get(profileId) ?? []).map((r) => [proofGroup(r.record.party, r.chainId), r]));
      for (const [group, { record, chainId }] of groups) {
        const endedAt = [lastReceived.get(group) ?? '', erasedAt ?? ''].sort()[1] ?? '';
        if ((erasedAt === null && given.has(group)) || endedAt > cutoff[record.party]) continue;
        deleted += yield* deleteProofGroup(profileId, record.party, chainId);
      }
    }
    yield* deleteProof(yield* erasedWithoutProof(part));
  }
  return deleted;
}

/** Ids per statement: well under both engines' parameter limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
