import { createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { p384PublicKey, signDigestP384, verifyDigestP384 } from './ecdsa-digest.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const p1363 = { dsaEncoding: 'ieee-p1363' } as const;
const sha384 = (data: Uint8Array) => new Uint8Array(createHash('sha384').update(data).digest());

describe('why Node cannot check the chip directly', () => {
  it('hashes the input itself for EC keys: null means SHA-256, never "already a digest"', () => {
    const data = randomBytes(48);
    const signature = sign(null, data, { key: privateKey, ...p1363 });
    expect(verify('sha256', data, { key: publicKey, ...p1363 }, signature)).toBe(true);
    expect(verify('sha384', data, { key: publicKey, ...p1363 }, signature)).toBe(false);
  });
});

describe('ECDSA P-384 over a given digest', () => {
  it('verifies what Node signs with SHA-384, given SHA-384 of the message', () => {
    const message = randomBytes(100);
    const signature = new Uint8Array(sign('sha384', message, { key: privateKey, ...p1363 }));
    expect(verifyDigestP384(publicKey, sha384(message), signature)).toBe(true);
    expect(verifyDigestP384(other.publicKey, sha384(message), signature)).toBe(false);
    expect(verifyDigestP384(publicKey, sha384(randomBytes(100)), signature)).toBe(false);
  });

  it('signs so that Node verifies it with SHA-384 of the message', () => {
    const message = randomBytes(77);
    const signature = signDigestP384(privateKey, sha384(message), randomBytes);
    expect(signature.length).toBe(96);
    expect(verify('sha384', message, { key: publicKey, ...p1363 }, signature)).toBe(true);
    expect(verifyDigestP384(publicKey, sha384(message), signature)).toBe(true);
  });

  it('rejects malformed signatures and keys that are not P-384', () => {
    const digest = randomBytes(48);
    expect(verifyDigestP384(publicKey, digest, new Uint8Array(96))).toBe(false);
    expect(verifyDigestP384(publicKey, digest, new Uint8Array(95).fill(1))).toBe(false);
    expect(verifyDigestP384(publicKey, digest, new Uint8Array(96).fill(0xff))).toBe(false);
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(verifyDigestP384(p256, digest, signDigestP384(privateKey, digest, randomBytes))).toBe(false);
    expect(p384PublicKey(new Uint8Array(p256.export({ type: 'spki', format: 'der' })))).toBeUndefined();
    expect(p384PublicKey(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x00]))).toBeUndefined();
    // The P-384 key read back verifies what its private half signed.
    const readBack = p384PublicKey(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
    expect(readBack && verifyDigestP384(readBack, digest, signDigestP384(privateKey, digest, randomBytes))).toBe(true);
  });
});
