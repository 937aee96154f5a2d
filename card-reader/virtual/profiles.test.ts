import { createHash, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeTlv } from '../eid/tlv.js';
import type { CardFiles } from '../types.js';
import { derElementLength } from '../eid/der.js';
import { loadProfile, loadProfileDir, PROFILE_NAMES, SPECIMEN_DIR, specimenNationalNumber } from './profiles.js';

const hex = (bytes: Uint8Array | undefined) =>
  Buffer.from(bytes ?? [])
    .toString('hex')
    .toUpperCase();
const fieldsOf = (files: CardFiles, name: 'identity.tlv' | 'address.tlv') => decodeTlv(files[name]!, name);
const text = (files: CardFiles, tag: number) =>
  Buffer.from(fieldsOf(files, 'identity.tlv').find((f) => f.tag === tag)!.value).toString('utf8');
const paddingAfterDer = (file: Uint8Array) => {
  const length = derElementLength(file)!;
  expect(file.subarray(length).every((b) => b === 0)).toBe(true);
  return file.length - length;
};

describe('loadProfileDir', () => {
  it('reads the files named as in CARD_FILE_NAMES and leaves the others absent', async () => {
    const files = await loadProfileDir(SPECIMEN_DIR);
    expect(Object.keys(files).sort()).toEqual(
      [
        'address-signature.bin',
        'address.tlv',
        'atr.bin',
        'authentication-cert.der',
        'ca-cert.der',
        'identity-signature.bin',
        'identity.tlv',
        'photo.jpg',
        'root-cert.der',
        'rrn-cert.der',
        'signing-cert.der',
      ].sort(),
    );
    expect(files['identity.tlv']).toHaveLength(179);
  });
});

describe('specimenNationalNumber', () => {
  it('computes the check digits, with the 2 prefix for births from 2000', () => {
    expect(specimenNationalNumber('717151000')).toBe('71715100070');
    expect(specimenNationalNumber('000101001', true)).toBe('00010100105'); // 2000101001 mod 97 = 92
  });
});

describe('every profile', () => {
  for (const name of PROFILE_NAMES) {
    it(`${name}: identity tags in card order, a specimen-style national number, card data naming the chip`, async () => {
      const { files } = await loadProfile(name);
      const tags = fieldsOf(files, 'identity.tlv').map((f) => f.tag);
      expect(tags).toEqual([...tags].sort((a, b) => a - b));
      expect(new Set(tags).size).toBe(tags.length);
      const nationalNumber = text(files, 0x06);
      expect(nationalNumber).toMatch(/^\d{11}$/);
      const checks = [false, true].map((from2000) => specimenNationalNumber(nationalNumber.slice(0, 9), from2000));
      expect(checks).toContain(nationalNumber);
      const chip = fieldsOf(files, 'identity.tlv').find((f) => f.tag === 0x02)!.value;
      expect(hex(files['card-data.bin']!.subarray(0, 16))).toBe(hex(chip));
      expect(files['card-data.bin']).toHaveLength(28);
      expect(files['address.tlv']).toHaveLength(121);
    });
  }
});

describe('profile specifics', () => {
  it('specimen-alice-rsa: the fixture as is, with a 1.1 card data and the fixture ATR', async () => {
    const card = await loadProfile('specimen-alice-rsa');
    expect(hex(card.files['atr.bin'])).toBe('3B9813400AA503010101AD1311');
    expect(card.files['card-data.bin']![21]).toBe(0x11);
    expect(card.trustedRootDer).toEqual(card.files['root-cert.der']);
  });

  it('applet17-rsa: 1.x ATR, 1.7 card data, certificates padded with 50 zero bytes, UTF-8 names', async () => {
    const { files } = await loadProfile('applet17-rsa');
    expect(hex(files['atr.bin'])).toBe('3B9813400AA503010101AD1311');
    expect(hex(files['card-data.bin']!.subarray(21, 24))).toBe('170003');
    expect(paddingAfterDer(files['rrn-cert.der']!)).toBe(50);
    expect(paddingAfterDer(files['root-cert.der']!)).toBe(50);
    expect(text(files, 0x07)).toBe('Müller-Lefèvre');
    expect(text(files, 0x08)).toBe('Zoé Anaïs');
    expect(fieldsOf(files, 'identity.tlv').find((f) => f.tag === 0x11)!.value).toHaveLength(32);
    expect(files['basic-key.der']).toBeUndefined();
  });

  it('applet18-ec: 1.8 ATR and card data, version tag 00, 256-byte signatures, 1100-byte padding, basic key', async () => {
    const card = await loadProfile('applet18-ec');
    const { files } = card;
    expect(hex(files['atr.bin'])).toBe('3B7F96000080318065B085040120120FFF829000');
    expect(hex(files['card-data.bin']!.subarray(21, 24))).toBe('180001');
    const identity = fieldsOf(files, 'identity.tlv');
    expect(identity[0]).toEqual({ tag: 0x00, value: Uint8Array.of(0x02) });
    expect(files['address.tlv']![0]).toBe(0x00);
    expect(files['identity-signature.bin']).toHaveLength(256);
    expect(files['address-signature.bin']).toHaveLength(256);
    expect(paddingAfterDer(files['identity-signature.bin']!)).toBeGreaterThan(140);
    expect(paddingAfterDer(files['rrn-cert.der']!)).toBe(1100);
    expect(identity.find((f) => f.tag === 0x11)!.value).toHaveLength(48);
    const basicKey = files['basic-key.der']!;
    expect(basicKey).toHaveLength(120);
    expect(hex(basicKey.subarray(0, 2))).toBe('3076');
    expect(hex(identity.find((f) => f.tag === 0x1a)!.value)).toBe(createHash('sha384').update(basicKey).digest('hex').toUpperCase());
    const publicOfPrivate = createPublicKey(card.basicPrivateKey!).export({ type: 'spki', format: 'der' });
    expect(hex(publicOfPrivate)).toBe(hex(basicKey));
  });

  it('foreigner: document type 33, free-text nationality, empty and present tags 0x13-0x1E', async () => {
    const { files } = await loadProfile('foreigner');
    expect(text(files, 0x0f)).toBe('33');
    expect(text(files, 0x0a)).toBe('Marokkaan');
    expect(text(files, 0x01)).toMatch(/^\d{9}$/);
    const fields = fieldsOf(files, 'identity.tlv');
    expect(fields.find((f) => f.tag === 0x15)!.value).toHaveLength(0);
    expect(text(files, 0x16)).toBe('8');
    expect(text(files, 0x1d)).toBe('D');
  });

  it('german-year-only: Eupen, a year-only birth date, a SHA-1 photo hash', async () => {
    const { files } = await loadProfile('german-year-only');
    expect(text(files, 0x05)).toBe('Eupen');
    expect(text(files, 0x0c)).toBe('        1962');
    expect(text(files, 0x07)).toBe('Schröder');
    expect(text(files, 0x04)).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    expect(fieldsOf(files, 'identity.tlv').find((f) => f.tag === 0x11)!.value).toHaveLength(20);
  });

  it('tampered-address: the 1.7 card with another address under the same signature', async () => {
    const genuine = (await loadProfile('applet17-rsa')).files;
    const tampered = (await loadProfile('tampered-address')).files;
    expect(tampered['identity.tlv']).toEqual(genuine['identity.tlv']);
    expect(tampered['address-signature.bin']).toEqual(genuine['address-signature.bin']);
    expect(tampered['address.tlv']).not.toEqual(genuine['address.tlv']);
  });
});
