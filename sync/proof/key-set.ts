// The published keys (GET /v1/keys, `registry keys export`): an RFC 7517 JWK Set of Ed25519 public
// keys, each named by its RFC 7638 thumbprint (`kid`), with its validity as NumericDates (`nbf`,
// `exp`: seconds, as in a JWT; no `exp` while the key still signs) and whose key it is (`owner`,
// and for a kiosk `chainId` and `kioskId`: JWK allows such extra members). Pure, so the
// verification page in a phone's browser reads it with the same code.
import { z } from 'zod';

export const Ed25519PublicJwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type Ed25519PublicJwk = z.infer<typeof Ed25519PublicJwk>;

export const PublishedKey = Ed25519PublicJwk.extend({
  kid: z.string().min(1),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
  nbf: z.number().int(),
  exp: z.number().int().optional(),
  owner: z.enum(['registry', 'kiosk']),
  chainId: z.string().optional(),
  kioskId: z.string().optional(),
});
export type PublishedKey = z.infer<typeof PublishedKey>;

export const KeySet = z.object({ keys: z.array(PublishedKey) });
export type KeySet = z.infer<typeof KeySet>;

export const toNumericDate = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
export const fromNumericDate = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** POST /v1/kiosk-keys, with the kiosk's token: its public key, valid from `notBefore` (when the kiosk made it, its clock). */
export const KioskKeyRegistration = z.strictObject({
  publicJwk: z.strictObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: Ed25519PublicJwk.shape.x }),
  notBefore: z.iso.datetime({ offset: false }),
});
export type KioskKeyRegistration = z.infer<typeof KioskKeyRegistration>;
export const KioskKeyRegistered = z.strictObject({ kid: z.string() });
