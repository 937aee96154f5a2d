// ECDSA on P-384 over a digest the caller already holds, as the 1.8 chip's INTERNAL AUTHENTICATE
// does with its basic key: it signs the bytes it is sent as the digest, unhashed (MW eid-viewer
// p11.c signs the 48-byte nonce with CKM_ECDSA, i.e. raw ECDSA, on the "Card" key).
//
// Node cannot do this. Measured on Node 20 / OpenSSL 3 (ecdsa-digest.test.ts keeps it true):
// `crypto.verify(null, data, ecKey, sig)` hashes `data` with SHA-256, `crypto.verify('sha384', …)`
// hashes it with SHA-384, and there is no prehashed option; WebCrypto's ECDSA always hashes too.
// So the curve arithmetic comes from @noble/curves (audited), with prehashing off and high-S
// signatures allowed, as a chip produces them.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { p384 } from '@noble/curves/nist.js';

/** Bytes of a P-384 scalar or coordinate; a raw r‖s signature is twice this. */
export const P384_BYTES = 48;

const RAW = { prehash: false, lowS: false, format: 'compact' } as const;

/** The uncompressed point 04‖x‖y of a P-384 key, or undefined for any other key. */
function p384Point(key: KeyObject): Uint8Array | undefined {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-384' || !jwk.x || !jwk.y) return undefined;
  return Uint8Array.from([4, ...Buffer.from(jwk.x, 'base64url'), ...Buffer.from(jwk.y, 'base64url')]);
}

/** Reads a SubjectPublicKeyInfo (DER); undefined unless it is a P-384 key. */
export function p384PublicKey(spki: Uint8Array): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    return p384Point(key) ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies a raw r‖s signature (96 bytes) over `digest` taken as is; false for any malformed input. */
export function verifyDigestP384(publicKey: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  const point = p384Point(publicKey);
  if (!point || signature.length !== 2 * P384_BYTES) return false;
  try {
    return p384.verify(signature, digest, point, RAW);
  } catch {
    return false;
  }
}

/**
 * Signs `digest` as is with a P-384 private key, answering r‖s as the chip does (for the virtual
 * card: test equipment). The nonce is RFC 6979's, mixed with `random` bytes (injected).
 */
export function signDigestP384(privateKey: KeyObject, digest: Uint8Array, random: (n: number) => Uint8Array): Uint8Array {
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-384' || !jwk.d) throw new TypeError('not a P-384 private key');
  return p384.sign(digest, Buffer.from(jwk.d, 'base64url'), { ...RAW, extraEntropy: random(P384_BYTES) });
}
