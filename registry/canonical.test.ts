import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shuffledKeys } from '../sync/test/fixtures/shuffled.js';
import { consentEventItem, consentRecord, enrollmentItem, makeWireItem } from '../sync/test/fixtures/payloads.js';
import { ConsentRecord, recordsOf, WireItem } from '../sync/wire/schemas.js';
import { signedBatch } from '../sync/proof/batch-signature.js';
import { testKioskKey } from '../sync/test/fixtures/kiosk-keys.js';
import { canonicalHash, canonicalHasher, canonicalJson, canonicalWriter, recordJson } from './canonical.js';
import { payloadHash } from './item-hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
    );
  });
  it('hashes key order away but not values', () => {
    expect(canonicalHash({ a: 1, b: [1, 2] })).toBe(canonicalHash({ b: [1, 2], a: 1 }));
    expect(canonicalHash({ a: 1, b: [1, 2] })).not.toBe(canonicalHash({ a: 1, b: [2, 1] }));
    expect(canonicalHash({ a: '1' })).not.toBe(canonicalHash({ a: 1 }));
  });
});

const kiosk = { kioskId: 'kiosk-1', chainId: 'chain-1', storeId: 'store-1' };
/** A withdrawal naming the records it reverses (event.withdraws). */
const withdrawal = ((r: ConsentRecord): ConsentRecord => ({
  ...r,
  event: { ...r.event, withdraws: [crypto.randomUUID(), crypto.randomUUID()] },
}))(consentRecord({ subjectRef: crypto.randomUUID(), party: 'chain', kiosk, status: 'withdrawn' }));

describe('canonicalHasher', () => {
  const hash = canonicalHasher(WireItem);
  const items: WireItem[] = [
    makeWireItem(1, kiosk),
    enrollmentItem(kiosk, { registry: 'given', registryMatch: { birthDate: '1980-05-02' }, person: { mobile: '+32470123456', sex: 'F' } }),
    enrollmentItem(kiosk, { source: 'manual', person: { address: undefined, birthDate: undefined } }),
    enrollmentItem(kiosk, { source: 'eid', eidVerification: undefined }),
    consentEventItem(kiosk, consentRecord({ subjectRef: crypto.randomUUID(), party: 'registry', kiosk, status: 'withdrawn' })),
    consentEventItem(kiosk, withdrawal),
  ];

  it('gives canonicalHash of every valid item, whatever order its keys came in', () => {
    fc.assert(
      fc.property(fc.constantFrom(...items), fc.integer(), (item, seed) => {
        const sent = JSON.parse(JSON.stringify(shuffledKeys(item, seed))) as unknown;
        expect(WireItem.safeParse(sent).success).toBe(true);
        expect(hash(sent)).toBe(canonicalHash(item));
      }),
    );
  });

  it('writes an object with a key its schema does not name as canonicalJson does', () => {
    const item = structuredClone(items[1]!) as unknown as { payload: { person: Record<string, unknown> } };
    item.payload.person.nickname = 'Mimi';
    expect(hash(item)).toBe(canonicalHash(item));
    const inherited = Object.assign(Object.create({ surname: 'Inherited' }) as Record<string, unknown>, { firstNames: 'Own' });
    expect(hash({ ...items[0], payload: { ...(items[0] as { payload: object }).payload, person: inherited } })).toBe(
      canonicalHash({ ...items[0], payload: { ...(items[0] as { payload: object }).payload, person: inherited } }),
    );
  });
});

describe('canonicalWriter of a consent record', () => {
  it('writes RFC 8785 text whatever order the keys came in, a withdrawal naming what it withdraws included', () => {
    const write = canonicalWriter(ConsentRecord);
    const given = consentRecord({ subjectRef: crypto.randomUUID(), party: 'chain', kiosk });
    fc.assert(
      fc.property(fc.constantFrom(given, withdrawal), fc.integer(), (record, seed) => {
        expect(write(shuffledKeys(record, seed))).toBe(canonicalize(record));
      }),
    );
  });
});

describe('the idempotency hash of an item (item-hash.ts)', () => {
  const items: WireItem[] = [
    enrollmentItem(kiosk, { registry: 'given' }),
    consentEventItem(kiosk, consentRecord({ subjectRef: crypto.randomUUID(), party: 'chain', kiosk, status: 'withdrawn' })),
  ];
  const strip = (item: WireItem): WireItem =>
    item.kind === 'enrollment'
      ? { ...item, payload: { ...item.payload, signatures: undefined } }
      : { ...item, payload: { ...item.payload, signature: undefined } };

  it("is the unsigned item's canonical hash, whatever its signatures' form, with its records written once or not", () => {
    fc.assert(
      fc.property(fc.constantFrom(...items), fc.integer(), (item, seed) => {
        const sent = JSON.parse(JSON.stringify(shuffledKeys(item, seed))) as WireItem;
        const texts = recordsOf(sent).map(recordJson);
        expect(payloadHash(sent, texts)).toBe(canonicalHash(strip(item)));
        expect(payloadHash(sent)).toBe(canonicalHash(strip(item)));
        const detached = signedBatch(
          { kioskId: kiosk.kioskId, sentAt: '2025-03-01T10:00:00.000Z', items: [sent] },
          testKioskKey(kiosk.kioskId),
        );
        expect(payloadHash(detached.items[0] as WireItem)).toBe(canonicalHash(strip(item)));
      }),
    );
  });
});
