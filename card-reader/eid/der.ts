// Card files hold DER objects followed by zero padding (certificates in DF00, ECDSA signatures in
// DF01/4032 and 4034). The object's own length header says where the padding starts.

/** Byte length (header included) of the DER element at the start of `bytes`; undefined when the
 * header is malformed or claims more bytes than there are. */
export function derElementLength(bytes: Uint8Array): number | undefined {
  const total = derDeclaredLength(bytes);
  return total !== undefined && total <= bytes.length ? total : undefined;
}

/** Byte length (header included) that the DER header at the start of `head` declares, whether or
 * not that many bytes follow; undefined when the header is malformed or cut short. The card read
 * uses it to know how much of a padded file to read. */
export function derDeclaredLength(head: Uint8Array): number | undefined {
  if (head.length < 2) return undefined;
  const first = head[1]!;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 3 || head.length < 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i += 1) length = length * 256 + head[2 + i]!;
  return 2 + count + length;
}

/** The SEQUENCE (certificate, ECDSA signature) at the start of a padded card file, without the padding. */
export function trimPaddedSequence(file: Uint8Array): Uint8Array | undefined {
  if (file[0] !== 0x30) return undefined;
  const length = derElementLength(file);
  return length === undefined ? undefined : file.subarray(0, length);
}
