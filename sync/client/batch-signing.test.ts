// The kiosk signs every batch it sends, a re-sent part of a split batch over its own records, and
// loses nothing to a refused batch signature; on an in-memory outbox and a scripted transport (the
// real registry's side: registry/test/signed-batches.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { verifyBatch } from '../proof/batch-signature.js';
import { sha256Hex } from '../proof/ed25519.js';
import { attach, detach } from '../proof/jws.js';
import { toNumericDate, type KeySet } from '../proof/key-set.js';
import { canonicalJson } from '../proof/signatures.js';
import { testKioskKey } from '../test/fixtures/kiosk-keys.js';
import { MemoryOutbox } from '../test/fixtures/memory-outbox.js';
import { makeWireItem } from '../test/fixtures/payloads.js';
import type { BatchRequest, BatchResponse, ItemResult, WireItem } from '../wire/schemas.js';
import { batchSigning } from './batch-signing.js';
import { SyncError } from './errors.js';
import { SyncClient } from './sync-client.js';
import type { RegistryTransport } from './transport.js';

const T0 = new Date('2025-03-01T10:00:00.000Z');
const key = testKioskKey('kiosk-7');
const keys: KeySet = {
  keys: [
    {
      ...key.publicJwk,
      kid: key.kid,
      alg: 'EdDSA',
      use: 'sig',
      nbf: toNumericDate('2000-01-01T00:00:00.000Z'),
      owner: 'kiosk',
      kioskId: 'kiosk-7',
    },
  ],
};

type Answer = (batch: BatchRequest) => ItemResult['status'] | 'refused-signature' | SyncError;
const itemsOf = (b: BatchRequest) => b.items as WireItem[];
const result = (item: WireItem, answer: ItemResult['status'] | 'refused-signature'): ItemResult =>
  answer === 'refused-signature'
    ? {
        idempotencyKey: item.idempotencyKey,
        status: 'rejected',
        statusCode: 422,
        reason: { code: 'BATCH_SIGNATURE_INVALID', message: 'UNKNOWN_KEY' },
      }
    : { idempotencyKey: item.idempotencyKey, status: answer, statusCode: answer === 'accepted' ? 201 : 422 };

let client: SyncClient | undefined;
afterEach(async () => client?.stop());

function rig(count: number, answer: Answer, takesSignedBatches = true) {
  const outbox = new MemoryOutbox();
  for (let n = 0; n < count; n++) outbox.add(makeWireItem(n, { at: T0, kioskId: 'kiosk-7' }));
  const sent: BatchRequest[] = [];
  const scripted: RegistryTransport = {
    send: async (batch) => {
      sent.push(batch);
      const a = answer(batch);
      if (a instanceof SyncError) throw a;
      return { receivedAt: T0.toISOString(), results: itemsOf(batch).map((i) => result(i, a)) } satisfies BatchResponse;
    },
    close: async () => undefined,
  };
  let registrations = 0;
  const transport = batchSigning(key, scripted, async () => {
    registrations++;
    return takesSignedBatches;
  });
  client = new SyncClient({
    outbox,
    transport,
    clock: () => new Date(),
    random: () => 0.5,
    backoff: { baseMs: 60_000, capMs: 60_000 },
    batchSize: 8,
  });
  return { outbox, sent, registrations: () => registrations, client };
}

/** The request's signature verifies and lists exactly its own records' attached JWS, in order. */
function expectSignedOverItsRecords(b: BatchRequest): void {
  const check = verifyBatch(b.signature!, keys);
  expect(check.ok).toBe(true);
  const records = itemsOf(b).flatMap((i) =>
    i.kind === 'enrollment' ? i.payload.consents.map((c, k) => ({ c, jws: i.payload.signatures![k]! })) : [],
  );
  expect(records.every((r) => r.jws === detach(r.jws))).toBe(true);
  expect(check.ok && check.value.records).toEqual(
    records.map((r) => ({ recordId: r.c.recordId, jwsSha256: sha256Hex(attach(r.jws, canonicalJson(r.c))) })),
  );
}

describe('batch signing in the sync client', () => {
  it('signs every request, each half of a split batch over its own records', async () => {
    // The whole batch refused (4xx): the client splits it until item 5 is found alone.
    const { outbox, sent, registrations } = rig(8, (b) =>
      itemsOf(b).some((i) => i.sequence === 5) ? new SyncError('HTTP_STATUS', '413') : 'accepted',
    );
    client!.start();
    await client!.settled();
    expect(sent.length).toBeGreaterThan(4);
    expect(new Set(sent.map((b) => b.signature)).size).toBe(sent.length);
    sent.forEach(expectSignedOverItsRecords);
    expect(outbox.inState('acknowledged')).toHaveLength(7);
    expect(registrations()).toBe(1);
  });

  it('registers the key again and re-sends, signed again, when the registry refuses the batch signature once', async () => {
    let refusals = 1;
    const { outbox, sent, registrations } = rig(3, () => (refusals-- > 0 ? 'refused-signature' : 'accepted'));
    client!.start();
    await client!.settled();
    expect(registrations()).toBe(2);
    expect(sent).toHaveLength(2);
    sent.forEach(expectSignedOverItsRecords);
    expect(outbox.inState('acknowledged')).toHaveLength(3);
    expect(outbox.inState('dead-letter')).toHaveLength(0);
  });

  it('sends each record attached and no batch signature to a registry that does not take signed batches', async () => {
    const { outbox, sent } = rig(3, () => 'accepted', false);
    client!.start();
    await client!.settled();
    expect(sent.map((b) => b.signature)).toEqual([undefined]);
    expect(itemsOf(sent[0]!)).toEqual(outbox.inState('acknowledged').map((e) => e.item));
    expect(itemsOf(sent[0]!).every((i) => i.kind === 'enrollment' && i.payload.signatures?.every((s) => !s.includes('..')))).toBe(true);
  });

  it('dead-letters nothing when the registry keeps refusing the batch signature: the items wait', async () => {
    const { outbox, registrations } = rig(3, () => 'refused-signature');
    client!.start();
    await client!.settled();
    expect(registrations()).toBe(2);
    expect(outbox.inState('dead-letter')).toHaveLength(0);
    expect(outbox.inState('pending')).toHaveLength(3);
    expect(client!.getStatus().lastError?.code).toBe('SIGNATURE_REFUSED');
  });
});
