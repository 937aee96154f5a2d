// The eID's flat TLV: one tag byte, a length, the value. Lengths follow the spec (2.8a, v5.4) and
// the middleware's ParseTLV: each leading 0xFF adds 255 (FF 2D = 300), not BER's 7-bit groups.
// Tag 0x00 is the file version and may only come first; a later 0x00 is the zero padding that
// ends the address file, so parsing stops there.
import { CardError } from '../errors.js';
import { tagName } from './text.js';

export interface TlvField {
  tag: number;
  value: Uint8Array;
}

export function decodeTlv(file: Uint8Array, fileLabel: string): TlvField[] {
  const fields: TlvField[] = [];
  let offset = 0;
  while (offset < file.length) {
    const tag = file[offset]!;
    if (tag === 0x00 && offset > 0) break;
    offset += 1;
    let length = 0;
    for (;;) {
      if (offset >= file.length) {
        throw new CardError('MALFORMED_FILE', `${fileLabel}: tag ${tagName(tag)} has no length`);
      }
      const b = file[offset]!;
      offset += 1;
      length += b;
      if (b !== 0xff) break;
    }
    if (offset + length > file.length) {
      throw new CardError('MALFORMED_FILE', `${fileLabel}: tag ${tagName(tag)} claims ${length} bytes, ${file.length - offset} left`);
    }
    fields.push({ tag, value: file.subarray(offset, offset + length) });
    offset += length;
  }
  return fields;
}

export function encodeTlv(fields: readonly TlvField[]): Uint8Array {
  const parts: number[] = [];
  for (const { tag, value } of fields) {
    parts.push(tag);
    let rest = value.length;
    while (rest >= 0xff) {
      parts.push(0xff);
      rest -= 0xff;
    }
    parts.push(rest);
    for (const b of value) parts.push(b);
  }
  return Uint8Array.from(parts);
}
