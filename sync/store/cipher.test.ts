import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createFieldCipher, parseHexKey } from './cipher.js';

describe('field cipher', () => {
  const key = randomBytes(32);
  const cipher = createFieldCipher(key);

  it('round-trips text bound to its place, with a fresh IV each time', () => {
    const a = cipher.seal('Jan Peeters', 'enrollments/1/surname');
    const b = cipher.seal('Jan Peeters', 'enrollments/1/surname');
    expect(a.equals(b)).toBe(false);
    expect(a.length).toBe(1 + 12 + 16 + Buffer.byteLength('Jan Peeters'));
    expect(cipher.open(a, 'enrollments/1/surname')).toBe('Jan Peeters');
  });

  it('refuses a ciphertext moved to another row or column, tampered, or opened with another key', () => {
    const sealed = cipher.seal('Kerkstraat 1', 'enrollments/1/address');
    expect(() => cipher.open(sealed, 'enrollments/2/address')).toThrow(expect.objectContaining({ code: 'BAD_KEY' }));
    expect(() => cipher.open(sealed, 'enrollments/1/email')).toThrow(expect.objectContaining({ code: 'BAD_KEY' }));
    const tampered = Buffer.from(sealed);
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    expect(() => cipher.open(tampered, 'enrollments/1/address')).toThrow(expect.objectContaining({ code: 'BAD_KEY' }));
    expect(() => createFieldCipher(randomBytes(32)).open(sealed, 'enrollments/1/address')).toThrow(
      expect.objectContaining({ code: 'BAD_KEY' }),
    );
    expect(() => cipher.open(Buffer.alloc(5), 'x')).toThrow(expect.objectContaining({ code: 'BAD_KEY' }));
  });

  it('uses the injected randomness for the IV', () => {
    const fixed = createFieldCipher(key, (n) => Buffer.alloc(n, 7));
    expect(fixed.seal('x', 'a').subarray(1, 13)).toEqual(Buffer.alloc(12, 7));
  });

  it('takes only 32-byte keys', () => {
    expect(() => createFieldCipher(randomBytes(16))).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(parseHexKey(`${'ab'.repeat(32)}\n`)).toEqual(Buffer.alloc(32, 0xab));
    expect(() => parseHexKey('abc')).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
  });
});
