// Proof of control on the typed path: a name with an e-mail address or mobile number someone else
// may know finds a person, but erasing them or withdrawing their registry consent takes a one-time
// code sent to the address or number the registry holds (registry-api.ts oneTimeCodeNeeded). Six
// digits, valid CODE_TTL_MINUTES, CODE_TRIES tries, single use, stored only as a keyed digest.
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { SubjectChallengeRequest, SubjectIdentification } from '../sync/wire/registry-api.js';
import { identify } from './consent-desk.js';
import { CODE_TTL_MINUTES } from './mail/messages.js';
import { enqueueMail } from './mail/outbox.js';
import type { MatchKeyer } from './matching.js';
import type { KioskIdentity } from './storage/kiosks.js';
import { get, run, type Work } from './storage/sql.js';

/** Wrong codes allowed per code: with a million codes, five tries leave a guesser one chance in 200,000. */
export const CODE_TRIES = 5;

/**
 * Sends a new code to the identified consumer's address (or number) on file, replacing any earlier
 * one; none when nothing is on file for that channel. A miss throws as every identification does.
 */
export function* challengeSubject(kiosk: KioskIdentity, keyer: MatchKeyer, req: SubjectChallengeRequest, now: Date): Work<void> {
  const { profile } = yield* identify(kiosk, keyer, req);
  const to = req.channel === 'email' ? profile.email : profile.mobile;
  if (to === null) return;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expires = new Date(now.getTime() + CODE_TTL_MINUTES * 60_000).toISOString();
  yield* run(`DELETE FROM one_time_codes WHERE profile_id = ?`, profile.profileId);
  yield* run(
    `INSERT INTO one_time_codes (profile_id, code_digest, expires_at, tries_left) VALUES (?, ?, ?, ?)`,
    profile.profileId,
    keyer.oneTimeCodeDigest(profile.profileId, code),
    expires,
    CODE_TRIES,
  );
  yield* enqueueMail(
    req.channel === 'email' ? 'email' : 'sms',
    to,
    { kind: 'one-time-code', language: req.language, code },
    now.toISOString(),
    expires,
  );
}

/**
 * True when `code` is the identified consumer's live code, which is then used up. A wrong one costs a
 * try (the last one ends the code); it commits, so the caller answers a miss after it.
 */
export function* proveSubject(kiosk: KioskIdentity, keyer: MatchKeyer, who: SubjectIdentification, code: string, now: Date): Work<boolean> {
  const { profile } = yield* identify(kiosk, keyer, who);
  const id = profile.profileId;
  const row = yield* get<{ code_digest: string; expires_at: string; tries_left: number }>(
    `SELECT code_digest, expires_at, tries_left FROM one_time_codes WHERE profile_id = ?`,
    id,
  );
  if (row === undefined) return false;
  const right =
    row.expires_at > now.toISOString() && timingSafeEqual(Buffer.from(keyer.oneTimeCodeDigest(id, code)), Buffer.from(row.code_digest));
  if (right || row.expires_at <= now.toISOString() || Number(row.tries_left) <= 1)
    yield* run(`DELETE FROM one_time_codes WHERE profile_id = ?`, id);
  else yield* run(`UPDATE one_time_codes SET tries_left = tries_left - 1 WHERE profile_id = ?`, id);
  return right;
}
