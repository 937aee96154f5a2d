import { describe, expect, it } from 'vitest';
import { CardError } from '../errors.js';
import { parseCardData } from './card-data.js';

const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

describe('parseCardData', () => {
  it('reads the applet 1.1 answer of the 71715100070.eid container (beid.md §1)', () => {
    const data = bytes('534C494E336600296CFF278E44192025 A5 03 01 01 01 11 00 02 00 01 01 0F');
    expect(parseCardData(data)).toStrictEqual({
      appletVersion: '1.1',
      chipSerialHex: '534C494E336600296CFF278E44192025',
      componentCode: 0xa5,
      osNumber: 0x03,
      osVersion: 0x01,
      softmaskNumber: 0x01,
      softmaskVersion: 0x01,
      lifeCycle: 0x0f,
      internalVersion: 0x0200,
      pkcs15Version: 0x0101,
    });
  });

  it("reads the emulated applet 1.7 answer of vsmartcard's belpic.py", () => {
    const data = bytes('534C494E0123456789ABCDEF01234567 F3 36 01 25 01 17 0003 00 21 01 0F');
    expect(parseCardData(data)).toStrictEqual({
      appletVersion: '1.7',
      chipSerialHex: '534C494E0123456789ABCDEF01234567',
      componentCode: 0xf3,
      osNumber: 0x36,
      osVersion: 0x01,
      softmaskNumber: 0x25,
      softmaskVersion: 0x01,
      lifeCycle: 0x0f,
      globalOsVersion: 3,
      interfaceVersion: 0,
      pkcs1Support: 0x21,
      keyExchangeVersion: 1,
    });
  });

  // Synthetic: the 1.8 layout of beid.md §1 with P2=01, 3 PIN tries left, FF FF.
  const v18 = '534C4790025100002239288F12920363 F3 42 02 30 01 18 0001 00 21 02 0F';

  it('reads a 31-byte applet 1.8 answer with the PIN tries left', () => {
    expect(parseCardData(bytes(v18 + '03 FF FF'))).toStrictEqual({
      appletVersion: '1.8',
      chipSerialHex: '534C4790025100002239288F12920363',
      componentCode: 0xf3,
      osNumber: 0x42,
      osVersion: 0x02,
      softmaskNumber: 0x30,
      softmaskVersion: 0x01,
      lifeCycle: 0x0f,
      globalOsVersion: 1,
      interfaceVersion: 0,
      pkcs1Support: 0x21,
      keyExchangeVersion: 2,
      pinTriesLeft: 3,
    });
  });

  it('reads the 28-byte 1.8 answer without PIN tries', () => {
    const data = parseCardData(bytes(v18));
    expect(data.appletVersion).toBe('1.8');
    expect(data).not.toHaveProperty('pinTriesLeft');
  });

  it.each([
    [0, 'card data: 0 bytes, expected 28 or 31'],
    [27, 'card data: 27 bytes, expected 28 or 31'],
    [29, 'card data: 29 bytes, expected 28 or 31'],
    [32, 'card data: 32 bytes, expected 28 or 31'],
  ])('rejects %i bytes', (length, detail) => {
    const data = new Uint8Array(length).fill(0x17);
    expect(() => parseCardData(data)).toThrowError(CardError);
    expect(() => parseCardData(data)).toThrowError(expect.objectContaining({ code: 'MALFORMED_FILE', detail }));
  });

  it('rejects an applet version it does not know', () => {
    const data = bytes(v18);
    data[21] = 0x10;
    expect(() => parseCardData(data)).toThrowError(
      expect.objectContaining({ code: 'MALFORMED_FILE', detail: 'card data: unknown applet version byte 0x10' }),
    );
  });
});
