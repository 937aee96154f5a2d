// The National Register's signatures over the identity and address files (beid.md §5).
import { verify, type KeyObject } from 'node:crypto';
import { trimPaddedSequence } from '../eid/der.js';

export type SignatureCheck = { ok: true; algorithm: string } | { ok: false; problem: 'mismatch' | 'malformed' | 'unsupported-key' };

// RSA cards do not say which hash they used: SHA-256 on CA4-era cards, SHA-1 on older ones, and a
// re-signed address may use a newer hash than the identity (eid-mw#123, #128). So try each.
const RSA_HASHES = [
  ['sha256', 'SHA-256'],
  ['sha1', 'SHA-1'],
  ['sha384', 'SHA-384'],
] as const;

/** Verifies a signature file from the card over `data` with the RRN key. Never throws. */
export function checkSignature(data: Uint8Array, signatureFile: Uint8Array, key: KeyObject): SignatureCheck {
  if (key.asymmetricKeyType === 'rsa') {
    for (const [hash, label] of RSA_HASHES) {
      if (safeVerify(() => verify(hash, data, key, signatureFile))) return { ok: true, algorithm: `RSA with ${label}` };
    }
    return { ok: false, problem: 'mismatch' };
  }
  if (key.asymmetricKeyType === 'ec') {
    // The ECDSA signature is DER followed by zero padding up to the file's length.
    const der = trimPaddedSequence(signatureFile);
    if (der === undefined) return { ok: false, problem: 'malformed' };
    return safeVerify(() => verify('sha384', data, { key, dsaEncoding: 'der' }, der))
      ? { ok: true, algorithm: 'ECDSA with SHA-384' }
      : { ok: false, problem: 'mismatch' };
  }
  return { ok: false, problem: 'unsupported-key' };
}

// OpenSSL throws on some malformed signatures instead of returning false; for us both mean "no".
function safeVerify(run: () => boolean): boolean {
  try {
    return run();
  } catch {
    return false;
  }
}

/** What the address signature covers: the address without its zero padding, then the WHOLE identity
 * signature file (padding included, beid.md §5). Strip from the end: a 1.8 file starts with tag 00. */
export function addressSignedData(addressFile: Uint8Array, identitySignatureFile: Uint8Array): Uint8Array {
  let end = addressFile.length;
  while (end > 0 && addressFile[end - 1] === 0) end -= 1;
  const data = new Uint8Array(end + identitySignatureFile.length);
  data.set(addressFile.subarray(0, end), 0);
  data.set(identitySignatureFile, end);
  return data;
}
