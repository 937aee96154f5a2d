// Erasing a consumer's personal data (on request, or at the end of its retention) and, later, the
// consent proof kept after it. The profile row stays as a tombstone so the consent records still
// point somewhere; its fields, its matching keys and the change events carrying its data go. Each
// erasure is recorded (ids and times, nothing personal).
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

/** Live profiles not seen (enrolled) since `cutoff`. */
export function* profilesInactiveSince(cutoff: string): Work<string[]> {
  const rows = yield* all<{ profile_id: string }>(
    'SELECT profile_id FROM profiles WHERE erased_at IS NULL AND updated_at < ? ORDER BY profile_id',
    cutoff,
  );
  return rows.map((r) => r.profile_id);
}

/** Live profiles with a registry withdrawal received before `cutoff` (whether any chain still holds a consent is for the caller). */
export function* profilesWithRegistryWithdrawalBefore(cutoff: string): Work<string[]> {
  const rows = yield* all<{ profile_id: string }>(
    `SELECT DISTINCT c.profile_id FROM consent_records c JOIN profiles p ON p.profile_id = c.profile_id
     WHERE p.erased_at IS NULL AND c.party = 'registry' AND c.event_type = 'withdrawn' AND c.received_at < ? ORDER BY c.profile_id`,
    cutoff,
  );
  return rows.map((r) => r.profile_id);
}

/** Erased profiles whose consent proof is past its period: erased, and no record received, before `cutoff`. */
export function* proofExpiredBefore(cutoff: string): Work<string[]> {
  const rows = yield* all<{ profile_id: string }>(
    `SELECT p.profile_id FROM profiles p WHERE p.erased_at IS NOT NULL AND p.erased_at < ?
       AND NOT EXISTS (SELECT 1 FROM consent_records c WHERE c.profile_id = p.profile_id AND c.received_at >= ?) ORDER BY p.profile_id`,
    cutoff,
    cutoff,
  );
  return rows.map((r) => r.profile_id);
}

/** Deletes what is left of these erased profiles: consent records, enrollments, events, the tombstone. */
export function* deleteProof(profileIds: readonly string[]): Work<void> {
  if (profileIds.length === 0) return;
  const ids = marks(profileIds.length);
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
