import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkBasicKey, type BasicKeyEvidence } from './basic-key.js';
import { signDigestP384 } from './ecdsa-digest.js';

const chipKey = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const keyFile = new Uint8Array(chipKey.publicKey.export({ type: 'spki', format: 'der' }));
const challenge = randomBytes(48);

function genuine(): BasicKeyEvidence {
  return {
    keyFile,
    keyHash: new Uint8Array(createHash('sha384').update(keyFile).digest()),
    challenge,
    response: signDigestP384(chipKey.privateKey, challenge, randomBytes),
  };
}

describe('checkBasicKey', () => {
  it('passes a chip that signs the challenge with the key named by tag 1A', () => {
    expect(keyFile.length).toBe(120);
    expect(checkBasicKey(genuine())).toEqual({
      ok: true,
      code: 'CHIP_PROVEN',
      reason: expect.stringContaining('proved it holds the basic key'),
    });
  });

  it('fails when tag 1A is not the hash of 4040 (the key file was swapped)', () => {
    const keyHash = genuine().keyHash!.slice();
    keyHash[0]! ^= 1;
    const v = checkBasicKey({ ...genuine(), keyHash });
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/not the one named in the signed identity/);
    expect(checkBasicKey({ ...genuine(), keyHash: keyHash.subarray(0, 32) }).ok).toBe(false);
  });

  it('fails a clone: copied files, but the chip signs with another key', () => {
    const clone = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    const v = checkBasicKey({ ...genuine(), response: signDigestP384(clone, challenge, randomBytes) });
    expect(v).toEqual({ ok: false, code: 'CHIP_FAILED', reason: expect.stringMatching(/did not prove.*a copy\?/) });
  });

  it('fails a replayed answer to another challenge', () => {
    expect(checkBasicKey({ ...genuine(), challenge: randomBytes(48) }).ok).toBe(false);
  });

  it('fails garbage, short and empty responses without throwing', () => {
    for (const response of [randomBytes(96), randomBytes(64), new Uint8Array(0), new Uint8Array(96)]) {
      expect(checkBasicKey({ ...genuine(), response }).ok).toBe(false);
    }
  });

  it('fails when the chip refused the challenge, naming the status word', () => {
    const { response: _r, ...rest } = genuine();
    expect(checkBasicKey({ ...rest, refusal: 'SW 6A88' })).toEqual({
      ok: false,
      code: 'CHIP_REFUSED',
      reason: expect.stringContaining('SW 6A88'),
    });
  });

  it('fails when 4040 or tag 1A is missing, or 4040 is not a P-384 key', () => {
    const { keyFile: _k, ...noFile } = genuine();
    expect(checkBasicKey(noFile)).toEqual({ ok: false, code: 'NOT_READ', reason: expect.stringContaining('was not read') });
    expect(checkBasicKey({ ...genuine(), keyFile: new Uint8Array(0) }).ok).toBe(false);
    const { keyHash: _h, ...noHash } = genuine();
    expect(checkBasicKey(noHash)).toEqual({ ok: false, code: 'CHIP_KEY_UNNAMED', reason: expect.stringContaining('no tag 1A') });
    const garbage = randomBytes(120);
    const v = checkBasicKey({ ...genuine(), keyFile: garbage, keyHash: new Uint8Array(createHash('sha384').update(garbage).digest()) });
    expect(v).toEqual({ ok: false, code: 'CHIP_FAILED', reason: expect.stringContaining('not a P-384 key') });
  });
});
