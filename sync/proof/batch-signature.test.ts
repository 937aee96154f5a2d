import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consentRecord, makeWireItem } from '../test/fixtures/payloads.js';
import { shuffledKeys } from '../test/fixtures/shuffled.js';
import type { WireItem } from '../wire/schemas.js';
import { countersignBatch, signBatch, signedBatch, verifyBatch, verifyBatchCountersignature } from './batch-signature.js';
import { generateSigningKey, sha256Hex, type SigningKey } from './ed25519.js';
import { attach, detach } from './jws.js';
import { toNumericDate, type KeySet, type PublishedKey } from './key-set.js';
import { canonicalJson, signRecord } from './signatures.js';

const kiosk = { kioskId: 'kiosk-1', chainId: 'chain-1', storeId: 'store-1' };
const SENT = '2025-03-01T10:00:00.000Z';
const published = (key: SigningKey, owner: 'kiosk' | 'registry', kioskId = kiosk.kioskId): PublishedKey => ({
  ...key.publicJwk,
  kid: key.kid,
  alg: 'EdDSA',
  use: 'sig',
  nbf: toNumericDate('2025-01-01T00:00:00.000Z'),
  owner,
  ...(owner === 'kiosk' && { chainId: kiosk.chainId, kioskId }),
});
const kioskKey = generateSigningKey();
const otherKiosk = generateSigningKey();
const registryKey = generateSigningKey();
const keys: KeySet = {
  keys: [published(kioskKey, 'kiosk'), published(otherKiosk, 'kiosk', 'kiosk-2'), published(registryKey, 'registry')],
};
const refs = (n: number) =>
  Array.from({ length: n }, () => {
    const r = consentRecord({ subjectRef: crypto.randomUUID(), party: 'chain', kiosk });
    return { record: r, recordId: r.recordId, jws: signRecord(r, kioskKey) };
  });

/** `text` with the character at `i` replaced by another of the base64url alphabet. */
function changedAt(text: string, i: number, by: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const other = alphabet[(alphabet.indexOf(text[i]!) + 1 + (by % 63)) % 64]!;
  return text.slice(0, i) + other + text.slice(i + 1);
}

describe('the detached record JWS (RFC 7515 appendix F)', () => {
  it('put back over the record with its keys in any order is the attached JWS, byte for byte', () => {
    const [{ record, jws }] = refs(1) as [ReturnType<typeof refs>[number]];
    const detached = detach(jws);
    expect(detached.split('.')[1]).toBe('');
    fc.assert(fc.property(fc.integer(), (seed) => attach(detached, canonicalJson(shuffledKeys(record, seed))) === jws));
  });
});

describe('batch signatures', () => {
  it("lists each record's JWS by its SHA-256, for this kiosk and request, whatever the order of each entry's keys", () => {
    const batch = refs(3);
    const jws = signBatch(kiosk.kioskId, SENT, batch, kioskKey);
    const check = verifyBatch(jws, keys);
    expect(check).toMatchObject({ ok: true, key: { kid: kioskKey.kid }, value: { kioskId: kiosk.kioskId, sentAt: SENT } });
    expect(check.ok && check.value.records).toEqual(batch.map((r) => ({ recordId: r.recordId, jwsSha256: sha256Hex(r.jws) })));
    fc.assert(fc.property(fc.integer(), (seed) => signBatch(kiosk.kioskId, SENT, shuffledKeys(batch, seed), kioskKey) === jws));
  });

  it('any changed character of the payload or the signature fails', () => {
    const jws = signBatch(kiosk.kioskId, SENT, refs(2), kioskKey);
    const [h, p, s] = jws.split('.') as [string, string, string];
    fc.assert(fc.property(fc.nat(p.length - 1), fc.nat(), (i, by) => !verifyBatch(`${h}.${changedAt(p, i, by)}.${s}`, keys).ok));
    fc.assert(fc.property(fc.nat(s.length - 1), fc.nat(), (i, by) => !verifyBatch(`${h}.${p}.${changedAt(s, i, by)}`, keys).ok));
  });

  it("is refused by another kiosk's key when only the sending kiosk's will do, and as a record's signature", () => {
    const jws = signBatch(kiosk.kioskId, SENT, refs(1), otherKiosk);
    expect(verifyBatch(jws, keys, { accept: (k) => k.kioskId === kiosk.kioskId })).toEqual({ ok: false, failure: 'UNKNOWN_KEY' });
    expect(verifyBatch(refs(1)[0]!.jws, keys)).toEqual({ ok: false, failure: 'WRONG_TYPE' });
  });

  it('is countersigned once by the registry, over that batch JWS of that kiosk only', () => {
    const jws = signBatch(kiosk.kioskId, SENT, refs(2), kioskKey);
    const counter = countersignBatch(jws, kiosk.kioskId, SENT, registryKey);
    expect(verifyBatchCountersignature(counter, jws, kiosk.kioskId, keys)).toMatchObject({
      ok: true,
      value: { registryKid: registryKey.kid },
    });
    const another = signBatch(kiosk.kioskId, SENT, refs(2), kioskKey);
    expect(verifyBatchCountersignature(counter, another, kiosk.kioskId, keys)).toEqual({ ok: false, failure: 'PAYLOAD_MISMATCH' });
    expect(verifyBatchCountersignature(counter, jws, 'kiosk-2', keys)).toEqual({ ok: false, failure: 'PAYLOAD_MISMATCH' });
    // A kiosk key cannot countersign.
    expect(verifyBatchCountersignature(countersignBatch(jws, kiosk.kioskId, SENT, kioskKey), jws, kiosk.kioskId, keys).ok).toBe(false);
  });
});

describe('a batch as the kiosk sends it', () => {
  it("detaches every record's JWS and signs the request over the attached ones, in the items' order", () => {
    const items: WireItem[] = [0, 1, 2].map((n) => makeWireItem(n, { ...kiosk, at: new Date(SENT) }));
    const body = signedBatch({ kioskId: kiosk.kioskId, sentAt: SENT, items }, kioskKey);
    const attached = items.flatMap((i) => (i.kind === 'enrollment' ? (i.payload.signatures ?? []) : []));
    const sent = (body.items as WireItem[]).flatMap((i) => (i.kind === 'enrollment' ? (i.payload.signatures ?? []) : []));
    expect(sent).toEqual(attached.map(detach));
    const check = verifyBatch(body.signature!, keys);
    expect(check.ok && check.value.records.map((r) => r.jwsSha256)).toEqual(attached.map(sha256Hex));
    // The items the client holds are not changed: a re-sent part is signed again from them.
    expect(items.every((i) => i.kind === 'enrollment' && i.payload.signatures?.every((s) => !s.includes('..')))).toBe(true);
  });
});
