// The photo (DF01/4035) is not signed itself: its hash sits in the signed identity file (tag 0x11).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Verdict } from '../types.js';

// The hash's length names its algorithm (beid.md §4, tag 11): 1.x cards SHA-1 or SHA-256, 1.8 SHA-384.
const HASH_BY_LENGTH: Record<number, { hash: string; label: string }> = {
  20: { hash: 'sha1', label: 'SHA-1' },
  32: { hash: 'sha256', label: 'SHA-256' },
  48: { hash: 'sha384', label: 'SHA-384' },
};

export function checkPhoto(photo: Uint8Array | undefined, photoHash: Uint8Array | undefined): Verdict {
  if (photo === undefined) return { ok: false, code: 'NOT_READ', reason: 'Photo not read, so it could not be checked.' };
  if (photoHash === undefined) {
    return { ok: false, code: 'PHOTO_HASH_MISSING', reason: 'The identity data holds no photo hash, so the photo could not be checked.' };
  }
  const algorithm = HASH_BY_LENGTH[photoHash.length];
  if (!algorithm) {
    return {
      ok: false,
      code: 'PHOTO_HASH_MISSING',
      reason: `The photo hash in the identity data has an unexpected length (${photoHash.length} bytes), so the photo could not be checked.`,
    };
  }
  const actual = createHash(algorithm.hash).update(photo).digest();
  return timingSafeEqual(actual, photoHash)
    ? { ok: true, code: 'PHOTO_MATCHES', reason: `The photo matches the identity data (${algorithm.label}).` }
    : { ok: false, code: 'PHOTO_MISMATCH', reason: 'The photo does not match the identity data: it was replaced or damaged.' };
}
