// The rights of the person at the registry (sync.md, "Retention and the rights of the person"):
// access (what is held on them, as the asking chain may see it) and erasure, both behind the same
// strong identification as "my consents"; and the retention purge that erases what is past its time.
import { addMonthsUtc, RETENTION } from '../sync/consent/retention.js';
import type { SubjectAccessResponse, SubjectIdentification } from '../sync/wire/registry-api.js';
import { chainsWithRegistryConsent, currentStates } from './consent-state.js';
import { identify, visibleTo } from './consent-desk.js';
import type { MatchKeyer } from './matching.js';
import { chainEnrollmentsOf } from './storage/enrollments.js';
import { consentRecordsOf } from './storage/consents.js';
import {
  deleteProof,
  eraseProfiles,
  profilesInactiveSince,
  profilesWithRegistryWithdrawalBefore,
  proofExpiredBefore,
} from './storage/erasure.js';
import type { KioskIdentity } from './storage/kiosks.js';
import { matchKeysOf } from './storage/profiles.js';
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

export function* eraseSubject(
  kiosk: KioskIdentity,
  keyer: MatchKeyer,
  who: SubjectIdentification,
  now: string,
): Work<{ erased: true; receivedAt: string }> {
  const { profile } = yield* identify(kiosk, keyer, who);
  yield* eraseProfiles([profile.profileId], now, 'request', kiosk.kioskId);
  return { erased: true, receivedAt: now };
}

export interface PurgeResult {
  /** Profiles whose personal data was erased (inactive past the retention period). */
  erased: number;
  /** Erased profiles whose consent proof was then past its own period and deleted. */
  proofDeleted: number;
}

/** Ids per statement: well under both engines' parameter limits. */
const CHUNK = 500;

/**
 * Erases what the registry statement says goes (RETENTION, its figures; at most 3 years, product.md):
 * profiles with no enrollment for the inactivity period, and profiles whose registry consent has been
 * withdrawn at every chain for the erasure period. Deletes the consent proof of erased profiles once
 * its own period has passed.
 */
export function* purgeExpired(now: Date): Work<PurgeResult> {
  const at = now.toISOString();
  const expiringNow = function* (): Work<string[]> {
    const inactive = yield* profilesInactiveSince(addMonthsUtc(now, -12 * RETENTION.registry.inactivityYears).toISOString());
    const withdrawn = yield* noRegistryConsentSince(new Date(now.getTime() - RETENTION.registry.erasureDays * DAY_MS).toISOString());
    return [...new Set([...inactive, ...withdrawn])];
  };
  // Decided again under the consumer locks a batch takes before matching (PostgreSQL; SQLite has one
  // writer): a visit committed meanwhile keeps its profile, and none can write into one being erased.
  const candidates = new Set(yield* expiringNow());
  yield* lock(LockSpace.Consumer, ...(yield* matchKeysOf([...candidates])));
  const expiring = (yield* expiringNow()).filter((id) => candidates.has(id));
  for (let i = 0; i < expiring.length; i += CHUNK) yield* eraseProfiles(expiring.slice(i, i + CHUNK), at, 'retention', null);
  const expired = yield* proofExpiredBefore(addMonthsUtc(now, -12 * RETENTION.registry.proofYears).toISOString());
  for (let i = 0; i < expired.length; i += CHUNK) yield* deleteProof(expired.slice(i, i + CHUNK));
  return { erased: expiring.length, proofDeleted: expired.length };
}

const DAY_MS = 86_400_000;

/**
 * Profiles whose registry consent was withdrawn before `cutoff` and is now given at no chain (a
 * withdrawal received later, or a new give, keeps them: the latest decision counts).
 */
function* noRegistryConsentSince(cutoff: string): Work<string[]> {
  const out: string[] = [];
  const candidates = yield* profilesWithRegistryWithdrawalBefore(cutoff);
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const records = yield* consentRecordsOf(candidates.slice(i, i + CHUNK));
    for (const [profileId, list] of records) {
      const lastRegistryRecord = list.filter((r) => r.record.party === 'registry').at(-1);
      const recentlyDecided = lastRegistryRecord !== undefined && Date.parse(lastRegistryRecord.record.event.at) >= Date.parse(cutoff);
      if (!recentlyDecided && chainsWithRegistryConsent(currentStates(list)).length === 0) out.push(profileId);
    }
  }
  return out;
}
