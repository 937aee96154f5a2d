import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CardError } from '../errors.js';
import { parseAddressFile } from './address.js';
import { encodeTlv } from './tlv.js';
import { join } from 'node:path';
import { SPECIMEN_DIR } from '../virtual/profiles.js';

const specimen = new Uint8Array(readFileSync(join(SPECIMEN_DIR, 'address.tlv')));
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const utf8 = (s: string) => new TextEncoder().encode(s);
const file = (...fields: [number, string | Uint8Array][]) =>
  encodeTlv(fields.map(([tag, v]) => ({ tag, value: typeof v === 'string' ? utf8(v) : v })));

const malformed = (detail: string) => expect.objectContaining({ code: 'MALFORMED_FILE', detail });

describe('parseAddressFile', () => {
  it('reads the specimen card (121 bytes, zero padded)', () => {
    expect(specimen.length).toBe(121);
    expect(parseAddressFile(specimen)).toStrictEqual({
      street: 'Meirplaats 1 bus 1',
      postalCode: '2000',
      municipality: 'Antwerpen',
    });
  });

  it('reads the EC test card of beid.md §3', () => {
    const ec = bytes('01 11 5370656369 6d656e7374726161742031 32 02 04 31303030 03 07 4272757373656c' + '00'.repeat(87));
    expect(ec.length).toBe(121);
    expect(parseAddressFile(ec)).toStrictEqual({ street: 'Specimenstraat 12', postalCode: '1000', municipality: 'Brussel' });
  });

  it('trims, reads UTF-8, skips a version tag and unknown tags', () => {
    const f = file([0x00, Uint8Array.of(2)], [0x01, 'Rue de l’Église 5   '], [0x02, ' 4000'], [0x09, Uint8Array.of(0xff)], [0x03, 'Liège']);
    expect(parseAddressFile(f)).toStrictEqual({ street: 'Rue de l’Église 5', postalCode: '4000', municipality: 'Liège' });
  });

  it.each([
    ['street', 'address: street (tag 0x01) is missing', file([0x02, '1000'], [0x03, 'Brussel'])],
    ['postal code', 'address: postal code (tag 0x02) is missing', file([0x01, 'Straat 1'], [0x03, 'Brussel'])],
    ['municipality', 'address: municipality (tag 0x03) is missing', file([0x01, 'Straat 1'], [0x02, '1000'])],
    ['empty street', 'address: street (tag 0x01) is missing', file([0x01, ''], [0x02, '1000'], [0x03, 'Brussel'])],
    ['blank street', 'address: street (tag 0x01) is missing', file([0x01, '   '], [0x02, '1000'], [0x03, 'Brussel'])],
    ['all padding', 'address: street (tag 0x01) is missing', new Uint8Array(121)],
  ])('names a missing field (%s)', (_case, detail, f) => {
    expect(() => parseAddressFile(f)).toThrowError(malformed(detail));
  });

  it('rejects invalid UTF-8, naming the tag and not the text', () => {
    const f = file([0x01, Uint8Array.of(0x4d, 0xc3, 0x28)], [0x02, '1000'], [0x03, 'Brussel']);
    expect(() => parseAddressFile(f)).toThrowError(malformed('address: tag 0x01 is not valid UTF-8'));
  });

  it('rejects a tag that appears twice', () => {
    const f = file([0x01, 'A 1'], [0x02, '1000'], [0x02, '2000'], [0x03, 'Brussel']);
    expect(() => parseAddressFile(f)).toThrowError(malformed('address: tag 0x02 appears twice'));
  });

  it('rejects a truncated file with a CardError', () => {
    expect(() => parseAddressFile(specimen.subarray(0, 30))).toThrowError(CardError);
    expect(() => parseAddressFile(specimen.subarray(0, 30))).toThrowError(malformed('address: tag 0x03 claims 9 bytes, 2 left'));
  });
});
