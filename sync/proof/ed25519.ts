// Ed25519 keys on Node (node:crypto: synchronous, so the store's commit signs inside its one
// transaction, and about 20 µs a signature). A key is named by its RFC 7638 thumbprint; the private
// half leaves this module only as a JWK for its owner to seal at rest.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import { encodeBase64url } from './base64url.js';
import type { Signer, VerifyEd25519 } from './jws.js';
import { Ed25519PublicJwk } from './key-set.js';

export interface SigningKey extends Signer {
  readonly publicJwk: Ed25519PublicJwk;
  /** The private key as a JWK (`d` and `x`), to be sealed by its owner; never logged. */
  privateJwkText(): string;
}

/** RFC 7638: SHA-256 of the required members in lexicographic order, no whitespace (RFC 8785's form for these). */
export function jwkThumbprint(jwk: Ed25519PublicJwk): string {
  const required = canonicalize({ crv: jwk.crv, kty: jwk.kty, x: jwk.x })!;
  return encodeBase64url(createHash('sha256').update(required).digest());
}

export function generateSigningKey(): SigningKey {
  return signingKeyOf(generateKeyPairSync('ed25519').privateKey);
}

/** A key sealed earlier by `privateJwkText`. */
export function signingKeyFromJwk(privateJwkText: string): SigningKey {
  return signingKeyOf(createPrivateKey({ key: JSON.parse(privateJwkText) as Record<string, string>, format: 'jwk' }));
}

function signingKeyOf(privateKey: KeyObject): SigningKey {
  const publicJwk = Ed25519PublicJwk.parse(createPublicKey(privateKey).export({ format: 'jwk' }));
  const kid = jwkThumbprint(publicJwk);
  return {
    kid,
    publicJwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x },
    sign: (data) => sign(null, data, privateKey),
    privateJwkText: () => JSON.stringify(privateKey.export({ format: 'jwk' })),
  };
}

// Importing a JWK costs more than a verification: each published key is imported once.
const publicKeys = new Map<string, KeyObject>();

export const nodeVerifyEd25519: VerifyEd25519 = (key, data, signature) => {
  let k = publicKeys.get(key.x);
  if (!k) {
    k = createPublicKey({ key: { kty: key.kty, crv: key.crv, x: key.x }, format: 'jwk' });
    publicKeys.set(key.x, k);
  }
  return signature.length === 64 && verify(null, data, k, signature);
};

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
