// What every route that identifies a consumer shares ("my consents", access, erasure): a per-kiosk
// limit (@fastify/rate-limit route config, counted per authenticated kiosk by the app's plugin) and
// a per-subject limit on misses (subject-attempts.ts), so guessing one person's details from many
// kiosks stops too. A miss and a wrong guess are the same 404 and count the same.
import type { FastifyReply } from 'fastify';
import { oneTimeCodeNeeded, type SubjectIdentification } from '../../sync/wire/registry-api.js';
import { notIdentified } from '../consent-desk.js';
import { RegistryError } from '../errors.js';
import type { KioskIdentity } from '../storage/kiosks.js';
import type { RegistryStore } from '../store.js';
import { matchKey, type MatchKeyer } from '../matching.js';
import { SubjectRateLimited, type SubjectAttempts } from '../subject-attempts.js';

/**
 * Identification tries per kiosk on each route, a minute: a consumer at the screen needs a handful,
 * not hundreds. Per route, because the plugin's in-memory store keeps each route's counts apart.
 */
export const KIOSK_IDENTIFICATION_LIMIT = { max: 10, timeWindow: 60_000 } as const;

export const identifiedRouteConfig = { rateLimit: KIOSK_IDENTIFICATION_LIMIT };

export interface IdentifiedRouteOptions {
  attempts: SubjectAttempts;
  keyer: MatchKeyer;
}

/** Runs `work` unless this subject is blocked; counts a "not found" against it. */
export async function identified<T>(
  opts: IdentifiedRouteOptions,
  reply: FastifyReply,
  who: SubjectIdentification,
  work: () => Promise<T>,
): Promise<T> {
  const subject = opts.keyer.nameDigest(matchKey(who.surname, who.firstNames));
  const wait = opts.attempts.blockedFor(subject);
  if (wait > 0) {
    void reply.header('retry-after', String(wait));
    throw new SubjectRateLimited(wait);
  }
  try {
    return await work();
  } catch (e) {
    if (e instanceof RegistryError && e.code === 'CONSUMER_NOT_FOUND') opts.attempts.miss(subject);
    throw e;
  }
}

export interface ProofOptions {
  store: Pick<RegistryStore, 'proveSubject'>;
  now: () => Date;
}

/**
 * The typed path's proof of control (subject-proof.ts), inside `identified` so a wrong code counts as
 * a miss. A missing code is refused before anyone is looked up: the answer tells nothing of who exists.
 */
export async function proveControl(
  opts: ProofOptions,
  kiosk: KioskIdentity,
  who: SubjectIdentification & { oneTimeCode?: string },
): Promise<void> {
  if (!oneTimeCodeNeeded(who)) return;
  const { oneTimeCode, ...identification } = who;
  if (oneTimeCode === undefined)
    throw new RegistryError('PROOF_REQUIRED', 'typed details need the one-time code sent to the address on file');
  if (!(await opts.store.proveSubject(kiosk, identification, oneTimeCode, opts.now()))) throw notIdentified();
}
