// Issue 8: one bad item never sinks its batch. Each is answered on its own: a wrong kiosk id, two
// records under one id, thousands of records, a NUL byte; and when the database itself refuses an
// item's data, that item alone is rejected (per-item savepoints), on both engines.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchResponse, WireItem } from '../../sync/wire/schemas.js';
import { canonicalHash } from '../canonical.js';
import { ENGINES, type Kiosk, postBatch, testEnv, type TestEnv } from './fixtures/registry-app.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';

describe.each(ENGINES)('one item at a time on %s', (engine) => {
  let env: TestEnv;
  let kiosk: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    kiosk = await env.kiosk('kiosk-a1', 'chain-a');
  });
  afterEach(async () => env.dispose());

  const statuses = (res: { json<T>(): T }) => res.json<BatchResponse>().results.map((r) => [r.statusCode, r.reason?.code]);

  it('rejects an item naming another kiosk, even first in a batch whose envelope names that kiosk', async () => {
    const typo = enrollmentItem({ ...kiosk, kioskId: 'kiosk-a7' });
    const behind = [enrollmentItem(kiosk), enrollmentItem(kiosk, { person: { surname: 'Peeters', firstNames: 'Jan' } })];
    const res = await env.app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers: { authorization: `Bearer ${kiosk.token}` },
      payload: { kioskId: 'kiosk-a7', sentAt: env.now().toISOString(), items: [typo, ...behind] },
    });
    expect(res.statusCode).toBe(200);
    expect(statuses(res)).toEqual([
      [422, 'KIOSK_MISMATCH'],
      [201, undefined],
      [201, undefined],
    ]);
    expect((await env.store.stats()).enrollments).toBe(2);
  });

  it('rejects an item whose two consent records share a record id', async () => {
    const twin = enrollmentItem(kiosk, { registry: 'given' });
    const [chain, registry] = twin.payload.consents;
    if (!chain || !registry) throw new Error('fixture has two records');
    twin.payload.consents = [chain, { ...registry, recordId: chain.recordId }];
    const res = await postBatch(env, kiosk, [twin, enrollmentItem(kiosk)]);
    expect(res.statusCode).toBe(200);
    expect(statuses(res)).toEqual([
      [422, 'DUPLICATE_RECORD_ID'],
      [201, undefined],
    ]);
  });

  it('rejects an item with thousands of consent records', async () => {
    const flood = enrollmentItem(kiosk);
    const [chain] = flood.payload.consents;
    if (!chain) throw new Error('fixture has a record');
    flood.payload.consents = Array.from({ length: 1_000 }, () => ({ ...chain, recordId: randomUUID() }));
    const res = await postBatch(env, kiosk, [flood, enrollmentItem(kiosk)]);
    expect(res.statusCode).toBe(200);
    expect(statuses(res)).toEqual([
      [422, 'INVALID_ITEM'],
      [201, undefined],
    ]);
    expect(res.json<BatchResponse>().results[0]?.reason?.message).toContain('payload.consents');
  });

  it('rejects a name with a NUL byte or other control characters, and a name without a letter', async () => {
    const items = [
      enrollmentItem(kiosk, { person: { surname: 'Pee\u0000ters' } }),
      enrollmentItem(kiosk, { person: { firstNames: 'Jan\u202e' } }),
      enrollmentItem(kiosk, { person: { surname: ' - ' } }),
      enrollmentItem(kiosk),
    ];
    const res = await postBatch(env, kiosk, items);
    expect(res.statusCode).toBe(200);
    expect(statuses(res)).toEqual([
      [422, 'INVALID_ITEM'],
      [422, 'INVALID_ITEM'],
      [422, 'INVALID_ITEM'],
      [201, undefined],
    ]);
    expect(res.body).not.toContain('Pee');
  });

  it('turns a database refusal of one item into its rejection (savepoints), recording the others', async () => {
    const twin = enrollmentItem(kiosk, { registry: 'given' });
    const [chain, registry] = twin.payload.consents;
    if (!chain || !registry) throw new Error('fixture has two records');
    twin.payload.consents = [chain, { ...registry, recordId: chain.recordId }];
    const before = enrollmentItem(kiosk);
    const after = enrollmentItem(kiosk, { person: { surname: 'Claes', firstNames: 'Bert' } });
    const results = await env.store.applyItems(
      { kiosk, sentAt: env.now().toISOString(), receivedAt: env.now().toISOString() },
      [before, twin, after].map(prepared),
    );
    expect(results.map((r) => [r.statusCode, r.reason?.code])).toEqual([
      [201, undefined],
      [422, 'STORAGE_REFUSED'],
      [201, undefined],
    ]);
    expect(await env.store.stats()).toMatchObject({ enrollments: 2, consents: 2, idempotencyKeys: 2 });
  });
});

describe('on postgres only', () => {
  let env: TestEnv;
  let kiosk: Kiosk;
  beforeEach(async () => {
    env = await testEnv('postgres');
    kiosk = await env.kiosk('kiosk-a1', 'chain-a');
  });
  afterEach(async () => env.dispose());

  it('rejects alone an item PostgreSQL cannot store (NUL in text)', async () => {
    const nul = enrollmentItem(kiosk, { person: { surname: 'Pee\u0000ters' } });
    const good = enrollmentItem(kiosk);
    const results = await env.store.applyItems(
      { kiosk, sentAt: env.now().toISOString(), receivedAt: env.now().toISOString() },
      [nul, good].map(prepared),
    );
    expect(results.map((r) => [r.statusCode, r.reason?.code])).toEqual([
      [422, 'STORAGE_REFUSED'],
      [201, undefined],
    ]);
    expect(results[0]?.reason?.message).not.toContain('Pee');
    expect((await env.store.stats()).enrollments).toBe(1);
  });
});

const prepared = (item: WireItem) => ({ item, payloadHash: canonicalHash(item) });
