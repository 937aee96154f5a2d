import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPhoto } from './photo.js';

const photo = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
const hash = (algorithm: string) => new Uint8Array(createHash(algorithm).update(photo).digest());

describe('checkPhoto', () => {
  for (const [algorithm, label] of [
    ['sha1', 'SHA-1'],
    ['sha256', 'SHA-256'],
    ['sha384', 'SHA-384'],
  ] as const) {
    it(`picks ${label} from the hash length`, () => {
      expect(checkPhoto(photo, hash(algorithm))).toEqual({
        ok: true,
        code: 'PHOTO_MATCHES',
        reason: `The photo matches the identity data (${label}).`,
      });
    });
  }

  it('fails a photo whose hash differs', () => {
    const wrong = hash('sha256');
    wrong[31]! ^= 1;
    expect(checkPhoto(photo, wrong)).toEqual({
      ok: false,
      code: 'PHOTO_MISMATCH',
      reason: 'The photo does not match the identity data: it was replaced or damaged.',
    });
  });

  it('fails, with a reason, on an absent photo, an absent hash, or a hash of unknown length', () => {
    expect(checkPhoto(undefined, hash('sha1'))).toEqual({
      ok: false,
      code: 'NOT_READ',
      reason: 'Photo not read, so it could not be checked.',
    });
    expect(checkPhoto(photo, undefined).reason).toBe('The identity data holds no photo hash, so the photo could not be checked.');
    expect(checkPhoto(photo, new Uint8Array(16))).toEqual({
      ok: false,
      code: 'PHOTO_HASH_MISSING',
      reason: 'The photo hash in the identity data has an unexpected length (16 bytes), so the photo could not be checked.',
    });
  });
});
