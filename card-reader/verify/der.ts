// Card files hold DER objects followed by zero padding (certificates in DF00, ECDSA signatures in
// DF01/4032 and 4034). The object's own length header says where the padding starts.

/** Byte length (header included) of the DER element at the start of `bytes`; undefined when the
 * header is malformed or claims more bytes than there are. */
export function derElementLength(bytes: Uint8Array): number | undefined {
  if (bytes.length < 2) return undefined;
  const first = bytes[1]!;
  let header = 2;
  let length = first;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 3 || bytes.length < 2 + count) return undefined;
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + bytes[2 + i]!;
    header += count;
  }
  const total = header + length;
  return total <= bytes.length ? total : undefined;
}

/** The SEQUENCE (certificate, ECDSA signature) at the start of a padded card file, without the padding. */
export function trimPaddedSequence(file: Uint8Array): Uint8Array | undefined {
  if (file[0] !== 0x30) return undefined;
  const length = derElementLength(file);
  return length === undefined ? undefined : file.subarray(0, length);
}
