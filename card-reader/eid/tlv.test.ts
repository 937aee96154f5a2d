import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeTlv, encodeTlv } from './tlv.js';
import { CardError } from '../errors.js';

const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

describe('decodeTlv', () => {
  it('reads the address file of the EC test card and stops at the zero padding', () => {
    const file = bytes('01 11 5370656369 6d656e7374726161742031 32 02 04 31303030 03 07 4272757373656c' + '00'.repeat(87));
    const fields = decodeTlv(file, 'address');
    expect(fields.map((f) => [f.tag, Buffer.from(f.value).toString('utf8')])).toEqual([
      [1, 'Specimenstraat 12'],
      [2, '1000'],
      [3, 'Brussel'],
    ]);
  });

  it('accepts a leading file-version tag 0x00', () => {
    expect(decodeTlv(bytes('00 01 02 07 01 41'), 'identity').map((f) => f.tag)).toEqual([0, 7]);
  });

  it('reads lengths the spec way: FF 2D is 300, FF FF 00 is 510', () => {
    const v300 = new Uint8Array(300).fill(0x41);
    const file = Uint8Array.from([0x0b, 0xff, 0x2d, ...v300]);
    expect(decodeTlv(file, 'identity')[0]!.value.length).toBe(300);
    expect(Array.from(encodeTlv([{ tag: 1, value: new Uint8Array(510) }]).subarray(0, 4))).toEqual([1, 0xff, 0xff, 0]);
  });

  it('gives a typed error naming the tag when a length runs past the end', () => {
    expect(() => decodeTlv(bytes('07 05 4142'), 'identity')).toThrowError(CardError);
    expect(() => decodeTlv(bytes('07 05 4142'), 'identity')).toThrowError(
      expect.objectContaining({ code: 'MALFORMED_FILE', detail: expect.stringMatching(/tag 0x07 claims 5 bytes, 2 left/) }),
    );
    expect(() => decodeTlv(bytes('07'), 'identity')).toThrowError(
      expect.objectContaining({ code: 'MALFORMED_FILE', detail: expect.stringMatching(/tag 0x07 has no length/) }),
    );
  });

  it('round-trips any list of fields without a zero tag', () => {
    const field = fc.record({ tag: fc.integer({ min: 1, max: 255 }), value: fc.uint8Array({ maxLength: 700 }) });
    fc.assert(
      fc.property(fc.array(field, { maxLength: 20 }), (fields) => {
        const decoded = decodeTlv(encodeTlv(fields), 'x');
        expect(decoded.map((f) => [f.tag, Array.from(f.value)])).toEqual(fields.map((f) => [f.tag, Array.from(f.value)]));
      }),
    );
  });

  it('never throws anything but a CardError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (file) => {
        try {
          decodeTlv(file, 'x');
        } catch (e) {
          expect(e).toBeInstanceOf(CardError);
        }
      }),
    );
  });
});
