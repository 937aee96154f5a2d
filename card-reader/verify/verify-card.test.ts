import { describe, expect, it } from 'vitest';
import { decodeTlv } from '../eid/tlv.js';
import type { CardFiles } from '../types.js';
import { loadProfile, PROFILE_NAMES, type CardProfile } from '../virtual/profiles.js';
import { ensureTestPki, generateKey, issueCertificate, TEST_NAMES, TEST_VALIDITY } from '../virtual/test-pki.js';
import { loadTrustStore, productionTrustStore, type TrustStore } from './trust-store.js';
import { verifyCard } from './verify-card.js';

const NOW = new Date('2026-11-22T10:00:00Z');

// What the identity parser hands the verifier: photo hash (tag 11) and validity (tags 03, 04).
function identityInputs(files: CardFiles) {
  const fields = decodeTlv(files['identity.tlv']!, 'identity');
  const text = (tag: number) => Buffer.from(fields.find((f) => f.tag === tag)!.value).toString('utf8');
  const iso = (ddmmyyyy: string) => ddmmyyyy.split('.').reverse().join('-');
  return {
    photoHash: fields.find((f) => f.tag === 0x11)?.value,
    validityBegin: iso(text(0x03)),
    validityEnd: iso(text(0x04)),
  };
}

const trustFor = (profile: CardProfile): TrustStore => loadTrustStore([profile.trustedRootDer]);

const verify = (files: CardFiles, trust: TrustStore, now = NOW, overrides: Partial<ReturnType<typeof identityInputs>> = {}) =>
  verifyCard({ files, ...identityInputs(files), ...overrides, trust, now });

const flip = (bytes: Uint8Array, index: number): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[index]! ^= 0x01;
  return copy;
};

describe('verifyCard on the real SPECIMEN card', () => {
  it('passes every check with the specimen root trusted, on a day the card was valid', async () => {
    const card = await loadProfile('specimen-alice-rsa');
    const result = await verify(card.files, trustFor(card), new Date('2012-01-01T10:00:00Z'));
    expect(result).toEqual({
      identity: { ok: true, code: 'SIGNED', reason: 'The identity data is signed by the National Register (RSA with SHA-1).' },
      address: { ok: true, code: 'SIGNED', reason: 'The address is signed by the National Register (RSA with SHA-1).' },
      photo: { ok: true, code: 'PHOTO_MATCHES', reason: 'The photo matches the identity data (SHA-1).' },
      chain: {
        ok: true,
        code: 'CHAIN_TRUSTED',
        reason: 'The RRN certificate chains to the trusted root "eID test Root CA" (checked on 2009-07-23, the card\'s issue date).',
      },
      cardValidity: { ok: true, code: 'CARD_VALID', reason: 'The card is valid until 2014-07-23.' },
    });
  });

  it('says the card expired, and still passes the four integrity checks, today', async () => {
    const card = await loadProfile('specimen-alice-rsa');
    const result = await verify(card.files, trustFor(card));
    expect([result.identity.ok, result.address.ok, result.photo.ok, result.chain.ok]).toEqual([true, true, true, true]);
    expect(result.cardValidity).toEqual({ ok: false, code: 'CARD_EXPIRED', reason: 'The card expired on 2014-07-23.' });
  });

  it('fails the chain against the production Belgian roots, naming the unknown issuer', async () => {
    const card = await loadProfile('specimen-alice-rsa');
    const result = await verify(card.files, productionTrustStore(), new Date('2012-01-01T10:00:00Z'));
    expect(result.chain).toEqual({
      ok: false,
      code: 'CHAIN_UNTRUSTED',
      reason: 'The RRN certificate was not issued by a trusted root (its issuer is "CN=eID test Root CA, C=BE").',
    });
    expect(result.identity.ok).toBe(true);
  });
});

describe('verifyCard on the generated profiles', () => {
  for (const name of PROFILE_NAMES.filter((n) => n !== 'specimen-alice-rsa' && n !== 'tampered-address')) {
    it(`${name}: every check passes on 2026-11-22`, async () => {
      const card = await loadProfile(name);
      const result = await verify(card.files, trustFor(card));
      for (const verdict of Object.values(result)) expect(verdict).toMatchObject({ ok: true });
    });
  }

  it('applet18-ec: ECDSA with SHA-384 over 256-byte padded signature files, SHA-384 photo hash', async () => {
    const card = await loadProfile('applet18-ec');
    expect(card.files['identity-signature.bin']).toHaveLength(256);
    const result = await verify(card.files, trustFor(card));
    expect(result.identity.reason).toBe('The identity data is signed by the National Register (ECDSA with SHA-384).');
    expect(result.address.reason).toBe('The address is signed by the National Register (ECDSA with SHA-384).');
    expect(result.photo.reason).toBe('The photo matches the identity data (SHA-384).');
  });

  it('german-year-only: a SHA-1 photo hash on a card signed with SHA-256 passes (eid-mw#128)', async () => {
    const card = await loadProfile('german-year-only');
    const result = await verify(card.files, trustFor(card));
    expect(result.identity.reason).toContain('RSA with SHA-256');
    expect(result.photo).toEqual({ ok: true, code: 'PHOTO_MATCHES', reason: 'The photo matches the identity data (SHA-1).' });
  });

  it('tampered-address: the identity passes, the address fails', async () => {
    const card = await loadProfile('tampered-address');
    const result = await verify(card.files, trustFor(card));
    expect(result.identity.ok).toBe(true);
    expect(result.address).toEqual({
      ok: false,
      code: 'SIGNATURE_MISMATCH',
      reason: "The address does not match the National Register's signature: it was changed, or signed by someone else.",
    });
    expect(result.chain.ok && result.photo.ok && result.cardValidity.ok).toBe(true);
  });
});

describe('verifyCard on damaged or forged cards', () => {
  it('fails the identity when one byte of the identity file changed (the address is unaffected)', async () => {
    const card = await loadProfile('applet17-rsa');
    const files = { ...card.files, 'identity.tlv': flip(card.files['identity.tlv']!, 40) };
    const result = await verify(files, trustFor(card));
    expect(result.identity).toEqual({
      ok: false,
      code: 'SIGNATURE_MISMATCH',
      reason: "The identity data does not match the National Register's signature: it was changed, or signed by someone else.",
    });
    expect(result.address.ok).toBe(true);
  });

  it('fails the address when the identity signature file lost its padding (the EC address signature covers it whole)', async () => {
    const card = await loadProfile('applet18-ec');
    const sig = card.files['identity-signature.bin']!;
    const trimmed = sig.subarray(0, sig[1]! + 2);
    const result = await verify({ ...card.files, 'identity-signature.bin': trimmed }, trustFor(card));
    expect(result.identity.ok).toBe(true);
    expect(result.address.ok).toBe(false);
  });

  it('fails the photo when the photo was replaced', async () => {
    const card = await loadProfile('applet18-ec');
    const result = await verify({ ...card.files, 'photo.jpg': flip(card.files['photo.jpg']!, 100) }, trustFor(card));
    expect(result.photo).toEqual({
      ok: false,
      code: 'PHOTO_MISMATCH',
      reason: 'The photo does not match the identity data: it was replaced or damaged.',
    });
  });

  it('says the photo was not read when it is absent', async () => {
    const card = await loadProfile('applet17-rsa');
    const { 'photo.jpg': _photo, ...files } = card.files;
    expect((await verify(files, trustFor(card))).photo).toEqual({
      ok: false,
      code: 'NOT_READ',
      reason: 'Photo not read, so it could not be checked.',
    });
  });

  it('fails the chain for an RRN certificate from an unknown issuer', async () => {
    const ec = await loadProfile('applet18-ec');
    const rsa = await loadProfile('applet17-rsa');
    const result = await verify(ec.files, trustFor(rsa));
    expect(result.chain).toEqual({
      ok: false,
      code: 'CHAIN_UNTRUSTED',
      reason: 'The RRN certificate was not issued by a trusted root (its issuer is "CN=eID kiosk TEST EC Root CA, C=BE").',
    });
  });

  it("fails the chain when a trusted root has the issuer's name but another key", async () => {
    const card = await loadProfile('applet18-ec');
    const key = await generateKey('ec');
    const impostor = await issueCertificate({ subject: TEST_NAMES.ecRoot, subjectKey: key, role: 'ca', ...TEST_VALIDITY.root });
    const result = await verify(card.files, loadTrustStore([impostor]));
    expect(result.chain).toEqual({
      ok: false,
      code: 'CHAIN_UNTRUSTED',
      reason:
        'The RRN certificate names the trusted root "eID kiosk TEST EC Root CA" as issuer, but its signature does not match that root.',
    });
  });

  it('fails the chain when the RRN certificate may not sign', async () => {
    const card = await loadProfile('applet17-rsa');
    const pki = await ensureTestPki();
    const rrn = await issueCertificate({
      subject: TEST_NAMES.rsaRrn,
      subjectKey: pki.rsa.rrn.key,
      issuer: pki.rsa.root,
      role: 'no-signing',
      ...TEST_VALIDITY.rrn,
    });
    const result = await verify({ ...card.files, 'rrn-cert.der': rrn }, trustFor(card));
    expect(result.identity.ok).toBe(true);
    expect(result.chain).toEqual({
      ok: false,
      code: 'CERTIFICATE_NOT_FOR_SIGNING',
      reason: 'The RRN certificate is not allowed to sign data (its key usage lacks digital signature).',
    });
  });

  it('gives reasons, not exceptions, for garbage certificate bytes', async () => {
    const card = await loadProfile('applet17-rsa');
    for (const garbage of [
      Uint8Array.of(0x30, 0x82, 0x00, 0x05, 1, 2, 3, 4, 5),
      Uint8Array.of(0xde, 0xad, 0xbe, 0xef),
      new Uint8Array(1300),
    ]) {
      const result = await verify({ ...card.files, 'rrn-cert.der': garbage }, trustFor(card));
      expect(result.chain.ok).toBe(false);
      expect(result.identity.ok).toBe(false);
      expect(result.address.ok).toBe(false);
    }
    const result = await verify({ ...card.files, 'rrn-cert.der': Uint8Array.of(0xde, 0xad) }, trustFor(card));
    expect(result.chain.reason).toBe('The RRN certificate on the card is not a valid certificate.');
    expect(result.identity.reason).toBe(
      'The identity data could not be checked: the RRN certificate on the card is not a valid certificate.',
    );
    expect([result.chain.code, result.identity.code, result.address.code]).toEqual([
      'CERTIFICATE_INVALID',
      'CERTIFICATE_INVALID',
      'CERTIFICATE_INVALID',
    ]);
  });

  it('says which file is missing when the RRN certificate was not read', async () => {
    const card = await loadProfile('applet17-rsa');
    const { 'rrn-cert.der': _rrn, ...files } = card.files;
    const result = await verify(files, trustFor(card));
    expect(result.chain).toEqual({ ok: false, code: 'NOT_READ', reason: 'The RRN certificate was not read from the card.' });
  });

  it('fails on an empty or all-zero signature file', async () => {
    const card = await loadProfile('applet18-ec');
    for (const empty of [new Uint8Array(0), new Uint8Array(256)]) {
      const result = await verify({ ...card.files, 'identity-signature.bin': empty }, trustFor(card));
      expect(result.identity).toEqual({ ok: false, code: 'SIGNATURE_EMPTY', reason: 'The identity signature on the card is empty.' });
    }
    const result = await verify({ ...card.files, 'address-signature.bin': new Uint8Array(0) }, trustFor(card));
    expect(result.address).toEqual({ ok: false, code: 'SIGNATURE_EMPTY', reason: 'The address signature on the card is empty.' });
  });

  it('fails on an EC signature file that is not DER', async () => {
    const card = await loadProfile('applet18-ec');
    const bad = Uint8Array.from(card.files['identity-signature.bin']!);
    bad[1] = 0xff;
    const result = await verify({ ...card.files, 'identity-signature.bin': bad }, trustFor(card));
    expect(result.identity).toEqual({
      ok: false,
      code: 'SIGNATURE_MALFORMED',
      reason: 'The identity signature on the card is not a valid signature.',
    });
  });

  it('says the card expired once past its end date, while the integrity checks still pass', async () => {
    const card = await loadProfile('applet17-rsa');
    const result = await verify(card.files, trustFor(card), new Date('2032-03-15T10:00:00Z'));
    expect(result.cardValidity).toEqual({ ok: false, code: 'CARD_EXPIRED', reason: 'The card expired on 2032-03-14.' });
    expect(result.chain.ok && result.identity.ok).toBe(true);
  });
});

describe('the dates rule: certificates are checked on the card issue date', () => {
  // The test RRN certificates expire on 2036-01-01 (TEST_VALIDITY.rrn).
  it('passes a card issued while the RRN certificate was valid, after that certificate expired', async () => {
    const card = await loadProfile('applet17-rsa');
    const result = await verify(card.files, trustFor(card), new Date('2037-06-01T10:00:00Z'), {
      validityBegin: '2035-06-01',
      validityEnd: '2045-06-01',
    });
    expect(result.chain).toMatchObject({ ok: true });
    expect(result.cardValidity).toEqual({ ok: true, code: 'CARD_VALID', reason: 'The card is valid until 2045-06-01.' });
  });

  it('fails a card issued after the RRN certificate expired', async () => {
    const card = await loadProfile('applet17-rsa');
    const result = await verify(card.files, trustFor(card), new Date('2037-06-01T10:00:00Z'), {
      validityBegin: '2036-06-01',
      validityEnd: '2046-06-01',
    });
    expect(result.chain).toEqual({
      ok: false,
      code: 'CERTIFICATE_NOT_VALID',
      reason: "The RRN certificate was not valid on 2036-06-01 (the card's issue date): it is valid from 2015-01-01 to 2036-01-01.",
    });
  });

  it('falls back to today when the issue date is unknown', async () => {
    const card = await loadProfile('applet17-rsa');
    const result = await verify(card.files, trustFor(card), new Date('2037-06-01T10:00:00Z'), {
      validityBegin: undefined,
      validityEnd: undefined,
    });
    expect(result.chain.reason).toBe(
      'The RRN certificate was not valid on 2037-06-01 (today, as the card issue date is unknown): it is valid from 2015-01-01 to 2036-01-01.',
    );
    expect(result.cardValidity).toEqual({
      ok: false,
      code: 'DATES_UNREADABLE',
      reason: 'The validity dates of the card could not be read.',
    });
  });
});
