import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addressSignedData, checkSignature } from './signature.js';

const data = new TextEncoder().encode('identity file bytes');
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });

const padded = (bytes: Uint8Array, length: number) => {
  const out = new Uint8Array(length);
  out.set(bytes);
  return out;
};

describe('checkSignature, RSA', () => {
  for (const [hash, label] of [
    ['sha256', 'SHA-256'],
    ['sha1', 'SHA-1'],
    ['sha384', 'SHA-384'],
  ] as const) {
    it(`finds a PKCS#1 v1.5 signature made with ${label}`, () => {
      const signature = sign(hash, data, rsa.privateKey);
      expect(checkSignature(data, signature, rsa.publicKey)).toEqual({ ok: true, algorithm: `RSA with ${label}` });
    });
  }

  it('reports a mismatch for other data, and for a signature of the wrong length', () => {
    const signature = sign('sha256', data, rsa.privateKey);
    expect(checkSignature(Uint8Array.of(1, 2, 3), signature, rsa.publicKey)).toEqual({ ok: false, problem: 'mismatch' });
    expect(checkSignature(data, signature.subarray(1), rsa.publicKey)).toEqual({ ok: false, problem: 'mismatch' });
  });
});

describe('checkSignature, ECDSA', () => {
  it('cuts the zero padding after a short-form DER signature (P-384)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const der = sign('sha384', data, { key: privateKey, dsaEncoding: 'der' });
    expect(der[1]).toBeLessThan(0x80);
    expect(checkSignature(data, padded(der, 256), publicKey)).toEqual({ ok: true, algorithm: 'ECDSA with SHA-384' });
  });

  it('reads a long-form (30 81 LL) DER signature before its padding', () => {
    // P-521 signatures are longer than 127 bytes, so their DER length takes the long form.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    const der = sign('sha384', data, { key: privateKey, dsaEncoding: 'der' });
    expect([der[0], der[1]]).toEqual([0x30, 0x81]);
    expect(checkSignature(data, padded(der, 256), publicKey)).toEqual({ ok: true, algorithm: 'ECDSA with SHA-384' });
  });

  it('only accepts SHA-384 for EC keys', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const der = sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });
    expect(checkSignature(data, der, publicKey)).toEqual({ ok: false, problem: 'mismatch' });
  });

  it('calls a signature that is not DER malformed, and a DER one with broken integers a mismatch', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(checkSignature(data, Uint8Array.of(0x02, 0x01, 0x00), publicKey)).toEqual({ ok: false, problem: 'malformed' });
    expect(checkSignature(data, Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00, 0, 0), publicKey)).toEqual({ ok: false, problem: 'mismatch' });
  });

  it('refuses keys that are neither RSA nor EC', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    expect(checkSignature(data, sign(null, data, privateKey), publicKey)).toEqual({ ok: false, problem: 'unsupported-key' });
  });
});

describe('addressSignedData', () => {
  it('strips the zero padding from the END of the address and appends the whole identity signature', () => {
    const address = Uint8Array.of(0x00, 0x01, 0x02, 0x01, 0x02, 0x41, 0x42, 0, 0, 0);
    const identitySignature = Uint8Array.of(0x30, 0x02, 0x05, 0x00, 0, 0);
    expect(Array.from(addressSignedData(address, identitySignature))).toEqual([
      0x00, 0x01, 0x02, 0x01, 0x02, 0x41, 0x42, 0x30, 0x02, 0x05, 0x00, 0, 0,
    ]);
  });

  it('keeps nothing of an all-zero address', () => {
    expect(Array.from(addressSignedData(new Uint8Array(5), Uint8Array.of(9)))).toEqual([9]);
  });
});
