// Issuing a credential (a kiosk's, a back office's): the token is returned once and only its hash is
// kept. A kiosk is provisioned from the command line (`provision`, the token printed) or by a
// one-time enrollment code that the kiosk's set-up exchanges for its token (operations.md).
import { randomBytes } from 'node:crypto';
import { hashToken, newToken, type RandomBytes } from './auth.js';
import type { EnrollGrant, KioskIdentity, RegistryStore } from './store.js';

export async function provisionKiosk(store: RegistryStore, kiosk: KioskIdentity, now: Date, random?: RandomBytes): Promise<string> {
  const token = newToken(random);
  await store.provisionKiosk(kiosk, hashToken(token), now);
  return token;
}

/** A chain back office's credential: its change feed and its fleet, never a kiosk's routes. */
export async function issueBackOfficeToken(store: RegistryStore, chainId: string, now: Date, random?: RandomBytes): Promise<string> {
  const token = newToken(random);
  await store.issueBackOfficeToken(chainId, hashToken(token), now);
  return token;
}

export const ENROLL_CODE_TTL_MINUTES = 60;
/** Crockford's base32: no I, L, O or U, so nothing on a touchscreen reads as two letters. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 characters, 60 bits: unguessable within an hour at the route's rate limit. */
const CODE_LENGTH = 12;

/** The code as printed, in groups of four: `7K3M-Q9XD-2HNP`. */
const grouped = (code: string): string => code.match(/.{4}/g)!.join('-');

/** A typed code in its canonical form (case, dashes and spaces forgiven, I/L read as 1, O as 0), or undefined. */
export function canonicalEnrollCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return code.length === CODE_LENGTH && [...code].every((c) => CROCKFORD.includes(c)) ? code : undefined;
}

/** A new one-time code for the kiosk of `grant`, kept hashed until it expires; the code is shown once. */
export async function issueEnrollCode(
  store: RegistryStore,
  grant: EnrollGrant,
  now: Date,
  ttlMinutes = ENROLL_CODE_TTL_MINUTES,
  random: RandomBytes = randomBytes,
): Promise<{ code: string; expiresAt: Date }> {
  // 32 divides 256: each byte's low five bits are uniform.
  const bytes = random(CODE_LENGTH);
  const code = [...bytes].map((b) => CROCKFORD[b & 31]).join('');
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
  await store.addEnrollCode(hashToken(code), grant, now, expiresAt);
  return { code: grouped(code), expiresAt };
}

/** The kiosk's new token and what the code granted; undefined for a code that is unknown, used or expired. */
export async function redeemEnrollCode(
  store: RegistryStore,
  typed: string,
  now: Date,
  random?: RandomBytes,
): Promise<{ token: string; grant: EnrollGrant } | undefined> {
  const code = canonicalEnrollCode(typed);
  if (code === undefined) return undefined;
  const token = newToken(random);
  const grant = await store.redeemEnrollCode(hashToken(code), hashToken(token), now);
  return grant && { token, grant };
}
