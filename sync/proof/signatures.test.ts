import { compactVerify, createLocalJWKSet } from 'jose';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson as registryCanonicalJson } from '../../registry/canonical.js';
import { consentRecord } from '../test/fixtures/payloads.js';
import { shuffledKeys } from '../test/fixtures/shuffled.js';
import type { ConsentRecord } from '../wire/schemas.js';
import { decodeBase64url, encodeBase64url } from './base64url.js';
import { generateSigningKey, jwkThumbprint, signingKeyFromJwk, type SigningKey } from './ed25519.js';
import { toNumericDate, type KeySet, type PublishedKey } from './key-set.js';
import { compactReceipt } from './compact-receipt.js';
import { canonicalJson, countersign, signReceipt, signRecord, verifyCountersignature, verifyReceipt, verifyRecord } from './signatures.js';

const kiosk = { kioskId: 'kiosk-1', chainId: 'chain-1', storeId: 'store-1' };
const published = (key: SigningKey, owner: 'kiosk' | 'registry', nbf = '2025-01-01T00:00:00.000Z', exp?: string): PublishedKey => ({
  ...key.publicJwk,
  kid: key.kid,
  alg: 'EdDSA',
  use: 'sig',
  nbf: toNumericDate(nbf),
  ...(exp !== undefined && { exp: toNumericDate(exp) }),
  owner,
  ...(owner === 'kiosk' && { chainId: kiosk.chainId, kioskId: kiosk.kioskId }),
});
const kioskKey = generateSigningKey();
const registryKey = generateSigningKey();
const keys: KeySet = { keys: [published(kioskKey, 'kiosk'), published(registryKey, 'registry')] };
const record = (): ConsentRecord => consentRecord({ subjectRef: crypto.randomUUID(), party: 'chain', kiosk });

/** `text` with the character at `i` replaced by another of the base64url alphabet. */
function changedAt(text: string, i: number, by: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const other = alphabet[(alphabet.indexOf(text[i]!) + 1 + (by % 63)) % 64]!;
  return text.slice(0, i) + other + text.slice(i + 1);
}

describe('canonical JSON (RFC 8785)', () => {
  it("is byte-identical to the registry's idempotency form on JSON values, which therefore stays as it is", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => canonicalJson(v) === registryCanonicalJson(v)));
  });
});

describe('record signatures', () => {
  it('any reordering of keys signs the same bytes and verifies', () => {
    const r = record();
    const jws = signRecord(r, kioskKey);
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const again = shuffledKeys(r, seed);
        return signRecord(again, kioskKey) === jws && verifyRecord(jws, again, keys).ok;
      }),
    );
  });

  it('any changed character of the payload or the signature fails', () => {
    const r = record();
    const jws = signRecord(r, kioskKey);
    const [h, p, s] = jws.split('.') as [string, string, string];
    fc.assert(fc.property(fc.nat(p.length - 1), fc.nat(), (i, by) => !verifyRecord(`${h}.${changedAt(p, i, by)}.${s}`, r, keys).ok));
    fc.assert(fc.property(fc.nat(s.length - 1), fc.nat(), (i, by) => !verifyRecord(`${h}.${p}.${changedAt(s, i, by)}`, r, keys).ok));
  });

  it('any changed byte of the payload, re-encoded, fails', () => {
    const r = record();
    const [h, p, s] = signRecord(r, kioskKey).split('.') as [string, string, string];
    const bytes = decodeBase64url(p)!;
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const changed = Uint8Array.from(bytes);
        changed[i]! ^= x;
        return !verifyRecord(`${h}.${encodeBase64url(changed)}.${s}`, r, keys).ok;
      }),
    );
  });

  it('a changed record, another key, an unknown key or a retired key is refused, each for what it is', () => {
    const r = record();
    const jws = signRecord(r, kioskKey);
    expect(verifyRecord(jws, { ...r, purposes: [{ ...r.purposes[0]!, status: 'refused' }] }, keys)).toEqual({
      ok: false,
      failure: 'PAYLOAD_MISMATCH',
    });
    expect(verifyRecord(signRecord(r, generateSigningKey()), r, keys)).toEqual({ ok: false, failure: 'UNKNOWN_KEY' });
    expect(verifyRecord(jws, r, keys, { accept: (k) => k.kioskId === 'kiosk-2' })).toEqual({ ok: false, failure: 'UNKNOWN_KEY' });
    const retired = { keys: [published(kioskKey, 'kiosk', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z')] };
    expect(verifyRecord(jws, r, retired, { at: r.event.at })).toEqual({ ok: false, failure: 'KEY_NOT_VALID' });
    expect(verifyRecord(jws, r, retired).ok).toBe(true);
    expect(
      verifyRecord(
        signRecord({ ...r, event: { ...r.event, at: '2025-01-15T00:00:00.000Z' } }, kioskKey),
        { ...r, event: { ...r.event, at: '2025-01-15T00:00:00.000Z' } },
        retired,
      ).ok,
    ).toBe(true);
  });

  it('a header that asks for more than alg, kid and typ is not ours, and a receipt is not a record', () => {
    const r = record();
    const [, p, s] = signRecord(r, kioskKey).split('.') as [string, string, string];
    const header = (o: object): string => encodeBase64url(new TextEncoder().encode(JSON.stringify(o)));
    const withCrit = header({ alg: 'EdDSA', kid: kioskKey.kid, typ: 'consent-record+jws', crit: ['b64'] });
    expect(verifyRecord(`${withCrit}.${p}.${s}`, r, keys)).toEqual({ ok: false, failure: 'MALFORMED' });
    const none = header({ alg: 'none', kid: kioskKey.kid, typ: 'consent-record+jws' });
    expect(verifyRecord(`${none}.${p}.`, r, keys)).toEqual({ ok: false, failure: 'MALFORMED' });
    const receipt = signReceipt(compactReceipt([r], kiosk.chainId, 'nl'), kioskKey);
    expect(verifyRecord(receipt, r, keys)).toEqual({ ok: false, failure: 'WRONG_TYPE' });
  });

  it('is a standard JWS: jose verifies it against the published key set, with the agreed header', async () => {
    const r = record();
    const jws = signRecord(r, kioskKey);
    const { payload, protectedHeader } = await compactVerify(
      jws,
      createLocalJWKSet(keys as unknown as Parameters<typeof createLocalJWKSet>[0]),
    );
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: kioskKey.kid, typ: 'consent-record+jws' });
    expect(new TextDecoder().decode(payload)).toBe(canonicalJson(r));
  });
});

describe('keys', () => {
  it('are named by their RFC 7638 thumbprint and survive sealing as a private JWK', () => {
    // RFC 8037 appendix A.3: the thumbprint of its example Ed25519 key.
    expect(jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' })).toBe(
      'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k',
    );
    const again = signingKeyFromJwk(kioskKey.privateJwkText());
    expect(again.kid).toBe(kioskKey.kid);
    const r = record();
    expect(verifyRecord(signRecord(r, again), r, keys).ok).toBe(true);
  });
});

describe('receipts and countersignatures', () => {
  it('a receipt verifies from its JWS alone, and a changed character fails', () => {
    const receipt = compactReceipt([record()], kiosk.chainId, 'fr');
    const jws = signReceipt(receipt, kioskKey);
    expect(verifyReceipt(jws, keys)).toEqual({ ok: true, key: keys.keys[0], value: receipt });
    const [h, p, s] = jws.split('.') as [string, string, string];
    fc.assert(fc.property(fc.nat(p.length - 1), fc.nat(), (i, by) => !verifyReceipt(`${h}.${changedAt(p, i, by)}.${s}`, keys).ok));
  });

  it("the registry's countersignature binds the record id, the kiosk's JWS and the time", () => {
    const r = record();
    const kioskJws = signRecord(r, kioskKey);
    const counter = countersign(r.recordId, kioskJws, '2025-03-01T09:00:05.000Z', registryKey);
    const check = verifyCountersignature(counter, r.recordId, kioskJws, keys);
    expect(check.ok && check.value.receivedAt).toBe('2025-03-01T09:00:05.000Z');
    expect(verifyCountersignature(counter, r.recordId, signRecord(record(), kioskKey), keys)).toEqual({
      ok: false,
      failure: 'PAYLOAD_MISMATCH',
    });
    // A kiosk's key never countersigns.
    expect(
      verifyCountersignature(countersign(r.recordId, kioskJws, '2025-03-01T09:00:05.000Z', kioskKey), r.recordId, kioskJws, keys),
    ).toEqual({
      ok: false,
      failure: 'UNKNOWN_KEY',
    });
  });
});
