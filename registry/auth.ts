// Credentials, a kiosk's and a chain back office's alike: a random 32-byte bearer token shown once
// when issued, stored as its SHA-256 (a high-entropy random token needs no slow hash), compared in
// constant time. What a token may do depends on the table it was found in (http-auth.ts).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type RandomBytes = (size: number) => Buffer;

export function newToken(random: RandomBytes = randomBytes): string {
  return random(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token from `Authorization: Bearer <token>`, or undefined when the header is absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header ?? '');
  return m?.[1];
}

/** The store finds the kiosk by hash; this second, constant-time check guards against a lookup that matched loosely. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
