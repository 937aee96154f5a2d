import { describe, expect, it } from 'vitest';
import { derElementLength, trimPaddedSequence } from './der.js';

const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

describe('derElementLength', () => {
  it('reads short, 0x81 and 0x82 length forms', () => {
    expect(derElementLength(bytes('30 03 010203 0000'))).toBe(5);
    expect(derElementLength(Uint8Array.from([0x30, 0x81, 0x80, ...new Uint8Array(0x80 + 4)]))).toBe(0x83);
    expect(derElementLength(Uint8Array.from([0x30, 0x82, 0x01, 0x00, ...new Uint8Array(0x100 + 50)]))).toBe(0x104);
  });

  it('rejects headers that are cut short, indefinite, or longer than the file', () => {
    expect(derElementLength(bytes('30'))).toBeUndefined();
    expect(derElementLength(bytes('30 80 00 00'))).toBeUndefined();
    expect(derElementLength(bytes('30 82 01'))).toBeUndefined();
    expect(derElementLength(bytes('30 05 0102'))).toBeUndefined();
  });
});

describe('trimPaddedSequence', () => {
  it('cuts the zero padding after a SEQUENCE', () => {
    expect(Array.from(trimPaddedSequence(bytes('30 02 0500 000000'))!)).toEqual([0x30, 0x02, 0x05, 0x00]);
  });

  it('refuses a file that does not start with a SEQUENCE, or is all zeros', () => {
    expect(trimPaddedSequence(bytes('04 02 0500'))).toBeUndefined();
    expect(trimPaddedSequence(new Uint8Array(1300))).toBeUndefined();
    expect(trimPaddedSequence(new Uint8Array(0))).toBeUndefined();
  });
});
