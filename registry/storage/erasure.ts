// Erasing a consumer's personal data (on request, or at the end of its retention) and, later, the
// consent proof kept after it. The profile row stays as a tombstone so the consent records still
// point somewhere; its fields, its matching keys and the change events carrying its data go. Each
// erasure is recorded (ids and times, nothing personal).
import { deleteConsentSignatures } from './consent-signatures.js';
import { all, get, insertRows, marks, run, type Work } from './sql.js';

export type ErasureReason = 'request' | 'retention';

export function* eraseProfiles(profileIds: readonly string[], now: string, reason: ErasureReason, kioskId: string | null): Work<void> {
  if (profileIds.length === 0) return;
  const ids = marks(profileIds.length);
  yield* run(
    `UPDATE profiles SET match_key = 'erased', surname = '', first_names = '', language = '', birth_date = NULL, sex = NULL,
       address_json = NULL, email = NULL, mobile = NULL, erased_at = ?, updated_at = ? WHERE profile_id IN (${ids})`,
    now,
    now,
    ...profileIds,
  );
  yield* run(`DELETE FROM profile_keys WHERE profile_id IN (${ids})`, ...profileIds);
  yield* run(`DELETE FROM chain_keys WHERE profile_id IN (${ids})`, ...profileIds);
  yield* run(`DELETE FROM change_events WHERE kind = 'profile-updated' AND profile_id IN (${ids})`, ...profileIds);
  yield* insertRows(
    'INSERT INTO erasures (profile_id, erased_at, reason, kiosk_id)',
    4,
    profileIds.map((id) => [id, now, reason, kioskId]),
  );
}

/** One chain's holding of one consumer: its customer file, kept by the registry as the chain's processor. */
export interface ChainHolding {
  profileId: string;
  chainId: string;
}

/** A consent decision that ends a consent: after it, no purpose of that record is given. */
const ENDING = "('withdrawn', 'refused')";

/** Live holdings (a chain's enrollments of a live profile) with no visit at that chain after `cutoff`. */
export function* holdingsInactiveSince(cutoff: string): Work<ChainHolding[]> {
  const rows = yield* all<{ profile_id: string; chain_id: string }>(
    `SELECT e.profile_id, e.chain_id FROM enrollments e JOIN profiles p ON p.profile_id = e.profile_id WHERE p.erased_at IS NULL
     GROUP BY e.profile_id, e.chain_id HAVING max(e.received_at) <= ?
       AND NOT EXISTS (SELECT 1 FROM consent_records c WHERE c.profile_id = e.profile_id AND c.chain_id = e.chain_id AND c.received_at > ?)
     ORDER BY e.profile_id, e.chain_id`,
    cutoff,
    cutoff,
  );
  return rows.map((r) => ({ profileId: r.profile_id, chainId: r.chain_id }));
}

/** Live holdings with a chain decision ending a consent received at or before `cutoff` (whether any purpose is still given is for the caller). */
export function* holdingsWithChainConsentEndedBefore(cutoff: string): Work<ChainHolding[]> {
  const rows = yield* all<{ profile_id: string; chain_id: string }>(
    `SELECT DISTINCT c.profile_id, c.chain_id FROM consent_records c JOIN profiles p ON p.profile_id = c.profile_id
     WHERE p.erased_at IS NULL AND c.party = 'chain' AND c.event_type IN ${ENDING} AND c.received_at <= ?
       AND EXISTS (SELECT 1 FROM enrollments e WHERE e.profile_id = c.profile_id AND e.chain_id = c.chain_id)
     ORDER BY c.profile_id, c.chain_id`,
    cutoff,
  );
  return rows.map((r) => ({ profileId: r.profile_id, chainId: r.chain_id }));
}

/** What the registry holds for its own purpose: the birth-date key (sent only for matching) and the co-update events. */
const holdsRegistryData = (profile: string): string =>
  `(EXISTS (SELECT 1 FROM profile_keys k WHERE k.profile_id = ${profile} AND k.kind = 'birth')
    OR EXISTS (SELECT 1 FROM change_events v WHERE v.profile_id = ${profile} AND v.kind = 'profile-updated'))`;

/** Live profiles holding registry data with a registry decision ending a consent received at or before `cutoff`. */
export function* registryHoldersWithConsentEndedBefore(cutoff: string): Work<string[]> {
  const rows = yield* all<{ profile_id: string }>(
    `SELECT DISTINCT c.profile_id FROM consent_records c JOIN profiles p ON p.profile_id = c.profile_id
     WHERE p.erased_at IS NULL AND c.party = 'registry' AND c.event_type IN ${ENDING} AND c.received_at <= ?
       AND ${holdsRegistryData('c.profile_id')} ORDER BY c.profile_id`,
    cutoff,
  );
  return rows.map((r) => r.profile_id);
}

/** Live profiles holding registry data with no visit at any chain (enrollment or consent record received) after `cutoff`. */
export function* registryHoldersInactiveSince(cutoff: string): Work<string[]> {
  const rows = yield* all<{ profile_id: string }>(
    `SELECT p.profile_id FROM profiles p WHERE p.erased_at IS NULL AND ${holdsRegistryData('p.profile_id')}
       AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.profile_id = p.profile_id AND e.received_at > ?)
       AND NOT EXISTS (SELECT 1 FROM consent_records c WHERE c.profile_id = p.profile_id AND c.received_at > ?)
     ORDER BY p.profile_id`,
    cutoff,
    cutoff,
  );
  return rows.map((r) => r.profile_id);
}

/**
 * Deletes what these profiles hold for the registry's own purpose only; the chains' customer files
 * (fields, contact keys their "my consents" finds them by, enrollments) stay theirs.
 */
export function* dropRegistryData(profileIds: readonly string[]): Work<void> {
  if (profileIds.length === 0) return;
  const ids = marks(profileIds.length);
  yield* run(`DELETE FROM profile_keys WHERE kind = 'birth' AND profile_id IN (${ids})`, ...profileIds);
  yield* run(`DELETE FROM change_events WHERE kind = 'profile-updated' AND profile_id IN (${ids})`, ...profileIds);
}

/** The columns of the optional person fields an enrollment names (`person_fields`), and the key kind each backs. */
const FIELD_COLUMNS = [
  ['address', 'address_json', null],
  ['birthDate', 'birth_date', null],
  ['sex', 'sex', null],
  ['email', 'email', 'email'],
  ['mobile', 'mobile', 'mobile'],
] as const;

/**
 * Deletes one chain's customer file of a consumer: its enrollments, the co-update events sent to it
 * and the keys its kiosks found the customer by (`chain_keys`); then the profile fields and contact keys that no remaining enrollment carried. The consent
 * records stay as proof. Answers the profiles left with no enrollment at all (for the caller to erase).
 */
export function* deleteChainData(holdings: readonly ChainHolding[]): Work<string[]> {
  for (const { profileId, chainId } of holdings) {
    yield* run(`DELETE FROM change_events WHERE kind = 'profile-updated' AND profile_id = ? AND chain_id = ?`, profileId, chainId);
    yield* run('DELETE FROM enrollments WHERE profile_id = ? AND chain_id = ?', profileId, chainId);
    yield* run('DELETE FROM chain_keys WHERE profile_id = ? AND chain_id = ?', profileId, chainId);
  }
  const emptied: string[] = [];
  for (const profileId of new Set(holdings.map((h) => h.profileId))) {
    const rows = yield* all<{ person_fields: string }>('SELECT person_fields FROM enrollments WHERE profile_id = ?', profileId);
    if (rows.length === 0) {
      emptied.push(profileId);
      continue;
    }
    const carried = new Set(rows.flatMap((r) => r.person_fields.split(',')));
    for (const [field, column, kind] of FIELD_COLUMNS) {
      if (carried.has(field)) continue;
      yield* run(`UPDATE profiles SET ${column} = NULL WHERE profile_id = ?`, profileId);
      if (kind) yield* run('DELETE FROM profile_keys WHERE profile_id = ? AND kind = ?', profileId, kind);
    }
  }
  return emptied;
}

/** Profiles whose consent proof may be past its period: a consent ended, or the profile was erased, at or before `cutoff`. */
export function* proofCandidatesBefore(cutoff: string): Work<string[]> {
  const rows = yield* all<{ profile_id: string }>(
    `SELECT profile_id FROM consent_records WHERE event_type IN ${ENDING} AND received_at <= ?
     UNION SELECT profile_id FROM profiles WHERE erased_at IS NOT NULL AND erased_at <= ? ORDER BY profile_id`,
    cutoff,
    cutoff,
  );
  return rows.map((r) => r.profile_id);
}

/** The registry's receive time of the latest record per party and chain, and the erasure time, of each profile. */
export function* proofTimesOf(
  profileIds: readonly string[],
): Work<Map<string, { erasedAt: string | null; lastReceived: Map<string, string> }>> {
  const ids = marks(profileIds.length);
  const out = new Map<string, { erasedAt: string | null; lastReceived: Map<string, string> }>();
  for (const r of yield* all<{ profile_id: string; erased_at: string | null }>(
    `SELECT profile_id, erased_at FROM profiles WHERE profile_id IN (${ids})`,
    ...profileIds,
  ))
    out.set(r.profile_id, { erasedAt: r.erased_at, lastReceived: new Map() });
  for (const r of yield* all<{ profile_id: string; party: string; chain_id: string; last: string }>(
    `SELECT profile_id, party, chain_id, max(received_at) AS last FROM consent_records WHERE profile_id IN (${ids})
     GROUP BY profile_id, party, chain_id`,
    ...profileIds,
  ))
    out.get(r.profile_id)?.lastReceived.set(proofGroup(r.party, r.chain_id), r.last);
  return out;
}

/** One party's consent records of one consumer at one chain: proof kept and deleted together. */
export const proofGroup = (party: string, chainId: string): string => `${party}\u0000${chainId}`;

/** Deletes one party's consent records of a consumer at one chain; answers how many went. */
export function* deleteProofGroup(profileId: string, party: string, chainId: string): Work<number> {
  // A record's signatures are its proof: they go with it.
  yield* deleteConsentSignatures(
    'SELECT record_id FROM consent_records WHERE profile_id = ? AND party = ? AND chain_id = ?',
    profileId,
    party,
    chainId,
  );
  return yield* run('DELETE FROM consent_records WHERE profile_id = ? AND party = ? AND chain_id = ?', profileId, party, chainId);
}

/** Those of these erased profiles with no consent record left. */
export function* erasedWithoutProof(profileIds: readonly string[]): Work<string[]> {
  if (profileIds.length === 0) return [];
  const rows = yield* all<{ profile_id: string }>(
    `SELECT p.profile_id FROM profiles p WHERE p.erased_at IS NOT NULL AND p.profile_id IN (${marks(profileIds.length)})
       AND NOT EXISTS (SELECT 1 FROM consent_records c WHERE c.profile_id = p.profile_id) ORDER BY p.profile_id`,
    ...profileIds,
  );
  return rows.map((r) => r.profile_id);
}

/** Deletes what is left of these erased profiles: consent records, enrollments, events, the tombstone. */
export function* deleteProof(profileIds: readonly string[]): Work<void> {
  if (profileIds.length === 0) return;
  const ids = marks(profileIds.length);
  yield* deleteConsentSignatures(`SELECT record_id FROM consent_records WHERE profile_id IN (${ids})`, ...profileIds);
  for (const table of ['change_events', 'consent_records', 'enrollments', 'profile_keys', 'chain_keys', 'profiles']) {
    yield* run(`DELETE FROM ${table} WHERE profile_id IN (${ids})`, ...profileIds);
  }
}

/**
 * SQLite only, after an erasure has committed: copies the WAL back and truncates it, so the erased
 * values (overwritten in the pages by secure_delete) are not left in old WAL frames until the next write.
 */
export function* truncateWal(): Work<void> {
  yield* get('PRAGMA wal_checkpoint(TRUNCATE)');
}
