// Mutations of a card file for property tests: bit flips, truncations, insertions, and corrupted
// length bytes (where those are depends on the format: TLV or DER, given by the caller).
import fc from 'fast-check';

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'length'; field: number; value: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('length' as const), field: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
);

export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 6 });

/** Applies the mutations in order; `lengthOffsets` says where the file's length bytes are. */
export function mutate(
  file: Uint8Array,
  mutations: readonly Mutation[],
  lengthOffsets: (bytes: readonly number[]) => number[],
): Uint8Array {
  const b = Array.from(file);
  for (const m of mutations) {
    if (m.kind === 'flip' && b.length > 0) b[m.at % b.length]! ^= 1 << m.bit;
    if (m.kind === 'truncate') b.length = m.at % (b.length + 1);
    if (m.kind === 'insert') b.splice(m.at % (b.length + 1), 0, ...m.bytes);
    if (m.kind === 'length') {
      const offsets = lengthOffsets(b);
      if (offsets.length > 0) b[offsets[m.field % offsets.length]!] = m.value;
    }
  }
  return Uint8Array.from(b);
}

/** Offsets of the length bytes of an eID TLV file's fields (single-byte lengths, as in real files). */
export function tlvLengthOffsets(b: readonly number[]): number[] {
  const offsets: number[] = [];
  for (let at = 0; at + 1 < b.length && !(at > 0 && b[at] === 0); at += 2 + b[at + 1]!) offsets.push(at + 1);
  return offsets;
}

/** Offsets of the first length byte of every DER element, descending into constructed ones. */
export function derLengthOffsets(b: readonly number[]): number[] {
  const offsets: number[] = [];
  const walk = (start: number, end: number, depth: number): void => {
    let at = start;
    while (at + 1 < end && depth < 10) {
      const first = b[at + 1]!;
      offsets.push(at + 1);
      const lengthBytes = first < 0x80 ? 0 : first & 0x7f;
      if (lengthBytes > 3 || at + 2 + lengthBytes > end) return;
      let length = first < 0x80 ? first : 0;
      for (let i = 0; i < lengthBytes; i++) length = length * 256 + b[at + 2 + i]!;
      const body = at + 2 + lengthBytes;
      if (body + length > end) return;
      if ((b[at]! & 0x20) !== 0) walk(body, body + length, depth + 1);
      at = body + length;
    }
  };
  walk(0, b.length, 0);
  return offsets;
}
