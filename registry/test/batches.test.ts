import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchResponse } from '../../sync/wire/schemas.js';
import { consentEventItem, consentRecord, enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { signed } from '../../sync/test/fixtures/kiosk-keys.js';
import { ENGINES, feed, type Kiosk, postBatch, testEnv, type TestEnv } from './fixtures/registry-app.js';

describe.each(ENGINES)('POST /v1/batches on %s', (engine) => {
  let env: TestEnv;
  let kiosk: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    kiosk = await env.kiosk('kiosk-a1', 'chain-a');
  });
  afterEach(async () => env.dispose());

  it('accepts each valid item with a receipt and the registry receive time', async () => {
    const res = await postBatch(env, kiosk, [
      enrollmentItem(kiosk, { registry: 'given' }),
      enrollmentItem(kiosk, { person: { surname: 'Peeters', firstNames: 'Jan' } }),
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json<BatchResponse>();
    expect(body.receivedAt).toBe('2025-03-01T10:00:00.000Z');
    expect(body.results.map((r) => [r.status, r.statusCode, r.receivedAt])).toEqual([
      ['accepted', 201, body.receivedAt],
      ['accepted', 201, body.receivedAt],
    ]);
    expect(body.results[0]?.receiptId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await env.store.stats()).toMatchObject({ enrollments: 2, profiles: 2, consents: 3, kiosks: 1, idempotencyKeys: 2 });
  });

  it('answers 401 without a token, with an unknown one and after revocation; items of another kiosk are rejected one by one', async () => {
    const item = enrollmentItem(kiosk);
    const none = await env.app.inject({
      method: 'POST',
      url: '/v1/batches',
      payload: { kioskId: kiosk.kioskId, sentAt: env.now().toISOString(), items: [item] },
    });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String) });
    expect((await postBatch(env, kiosk, [item], 'x'.repeat(43))).statusCode).toBe(401);

    const other = await env.kiosk('kiosk-a2', 'chain-a');
    // Issue 8: a 403 for the whole batch kept every item behind a mistyped one pending forever.
    const mismatch = await postBatch(env, { ...kiosk, token: other.token }, [item]);
    expect(mismatch.statusCode).toBe(200);
    expect(mismatch.json<BatchResponse>().results[0]).toMatchObject({ statusCode: 422, reason: { code: 'KIOSK_MISMATCH' } });

    expect(await env.store.revokeKiosk(kiosk.kioskId, env.now())).toBe(true);
    const revoked = await postBatch(env, kiosk, [item]);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json()).toMatchObject({ code: 'KIOSK_REVOKED' });
    expect((await env.store.stats()).enrollments).toBe(0);
  });

  it('answers 400 for a malformed envelope', async () => {
    const inject = (payload: object) =>
      env.app.inject({ method: 'POST', url: '/v1/batches', headers: { authorization: `Bearer ${kiosk.token}` }, payload });
    const sentAt = env.now().toISOString();
    for (const payload of [
      { kioskId: kiosk.kioskId, items: [{}] },
      { kioskId: kiosk.kioskId, sentAt, items: [] },
      { kioskId: kiosk.kioskId, sentAt: '2025-03-01 10:00', items: [{}] },
      { kioskId: kiosk.kioskId, sentAt, items: [{}], extra: 1 },
      { kioskId: kiosk.kioskId, sentAt, items: Array.from({ length: 101 }, () => ({})) },
    ]) {
      const res = await inject(payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    }
  });

  it('rejects bad items one by one without failing the batch', async () => {
    const good1 = enrollmentItem(kiosk);
    const badEmail = enrollmentItem(kiosk, { person: { surname: 'Peeters', firstNames: 'An', email: 'not-an-email' } });
    const foreign = enrollmentItem({ ...kiosk, kioskId: 'kiosk-zz' });
    const otherChain = enrollmentItem({ ...kiosk, chainId: 'chain-b' });
    const good2 = enrollmentItem(kiosk, { person: { surname: 'Janssens', firstNames: 'Els' } });
    const res = await postBatch(env, kiosk, [good1, badEmail, foreign, 'garbage', otherChain, good2]);
    expect(res.statusCode).toBe(200);
    const results = res.json<BatchResponse>().results;
    expect(results.map((r) => [r.idempotencyKey, r.statusCode, r.reason?.code])).toEqual([
      [good1.idempotencyKey, 201, undefined],
      [badEmail.idempotencyKey, 422, 'INVALID_ITEM'],
      [foreign.idempotencyKey, 422, 'KIOSK_MISMATCH'],
      ['', 422, 'INVALID_ITEM'],
      [otherChain.idempotencyKey, 422, 'CHAIN_MISMATCH'],
      [good2.idempotencyKey, 201, undefined],
    ]);
    expect(results[1]?.reason?.message).toContain('payload.person.email');
    expect(results[1]?.reason?.message).not.toContain('not-an-email');
    expect((await env.store.stats()).enrollments).toBe(2);
  });

  it('replays the first answer for a key sent again, and reports a conflict for another payload', async () => {
    const item = enrollmentItem(kiosk, { registry: 'given' });
    const first = (await postBatch(env, kiosk, [item])).json<BatchResponse>().results[0];
    env.advance(60_000);
    const again = (await postBatch(env, kiosk, [item])).json<BatchResponse>();
    expect(again.receivedAt).toBe('2025-03-01T10:01:00.000Z');
    expect(again.results[0]).toEqual({ ...first, status: 'duplicate', statusCode: 200 });

    // The same item with its keys in another order is the same payload.
    const reordered = Object.fromEntries(Object.entries(item).reverse());
    expect((await postBatch(env, kiosk, [reordered])).json<BatchResponse>().results[0]?.status).toBe('duplicate');

    const changed = { ...item, payload: { ...item.payload, person: { ...item.payload.person, mobile: '+32470123456' } } };
    const conflict = (await postBatch(env, kiosk, [changed])).json<BatchResponse>().results[0];
    expect(conflict).toMatchObject({ status: 'conflict', statusCode: 409, reason: { code: 'IDEMPOTENCY_CONFLICT' } });
    expect(await env.store.stats()).toMatchObject({ enrollments: 1, consents: 2, idempotencyKeys: 1 });
  });

  it('answers a key repeated inside one batch as a duplicate', async () => {
    const item = enrollmentItem(kiosk);
    const results = (await postBatch(env, kiosk, [item, item])).json<BatchResponse>().results;
    expect(results.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
    expect(results[1]?.receiptId).toBe(results[0]?.receiptId);
  });

  it('applies concurrent copies of one batch exactly once', async () => {
    const items = [enrollmentItem(kiosk), enrollmentItem(kiosk, { person: { surname: 'Peeters', firstNames: 'Jan' } })];
    const answers = await Promise.all(Array.from({ length: 6 }, () => postBatch(env, kiosk, items)));
    const statuses = answers.flatMap((a) => a.json<BatchResponse>().results.map((r) => r.status));
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(10);
    expect(await env.store.stats()).toMatchObject({ enrollments: 2, profiles: 2, idempotencyKeys: 2 });
  });

  it('lists the enrollments it stored with both clocks, and nothing personal', async () => {
    const items = [enrollmentItem(kiosk), enrollmentItem(kiosk, { at: '2025-02-28T08:00:00.000Z' })];
    await postBatch(env, kiosk, items);
    const expected = items
      .map((i) => ({
        enrollmentId: i.payload.enrollmentId,
        kioskId: kiosk.kioskId,
        enrolledAt: i.payload.enrolledAt,
        sentAt: env.now().toISOString(),
        receivedAt: env.now().toISOString(),
      }))
      .sort((x, y) => (x.enrollmentId < y.enrollmentId ? -1 : 1));
    expect(await env.reader.enrollmentTimes()).toEqual(expected);
  });

  it('applies concurrent batches naming the same consumers in opposite order', async () => {
    const names = [
      { surname: 'Peeters', firstNames: 'Anna' },
      { surname: 'Claes', firstNames: 'Bert' },
    ];
    const batch = (order: typeof names) => order.map((person) => enrollmentItem(kiosk, { person }));
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => [postBatch(env, kiosk, batch(names)), postBatch(env, kiosk, batch([...names].reverse()))]).flat(),
    );
    expect(answers.flatMap((a) => a.json<BatchResponse>().results.map((r) => r.status))).toEqual(Array(16).fill('accepted'));
    expect(await env.store.stats()).toMatchObject({ enrollments: 16, profiles: 2 });
  });

  it('applies the items of one batch as if one by one: replays, subjects and co-updates within it', async () => {
    const first = enrollmentItem(kiosk, { registry: 'given' });
    const moved = enrollmentItem(kiosk, { registry: 'given', person: { email: 'emile.new@example.be' } });
    const withdrawal = consentRecord({
      subjectRef: moved.payload.enrollmentId,
      party: 'registry',
      kiosk,
      status: 'withdrawn',
      at: '2025-03-01T09:30:00.000Z',
    });
    const items = [
      first,
      moved,
      { ...moved },
      { ...moved, payload: { ...moved.payload, source: 'manual' } },
      consentEventItem(kiosk, withdrawal),
    ];
    const results = (await postBatch(env, kiosk, items)).json<BatchResponse>().results;
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'duplicate', 'conflict', 'accepted']);
    expect(results[2]).toMatchObject({ receiptId: results[1]?.receiptId });
    const events = (await feed(env, kiosk)).events;
    expect(events.map((e) => [e.data.kind, e.subjectRefs])).toEqual([
      ['profile-updated', [first.payload.enrollmentId, moved.payload.enrollmentId].sort()],
      ['consent-withdrawn', [first.payload.enrollmentId, moved.payload.enrollmentId].sort()],
    ]);
  });

  it('rejects without recording the key, so a fixed item can be sent again under it', async () => {
    const enrollment = enrollmentItem(kiosk, { registry: 'given' });
    const withdrawal = consentRecord({ subjectRef: randomUUID(), party: 'registry', kiosk, status: 'withdrawn' });
    const event = consentEventItem(kiosk, withdrawal);
    const rejected = (await postBatch(env, kiosk, [event])).json<BatchResponse>().results[0];
    expect(rejected).toMatchObject({ status: 'rejected', statusCode: 422, reason: { code: 'UNKNOWN_SUBJECT' } });

    const fixed = signed({ ...event, payload: { consent: { ...withdrawal, subjectRef: enrollment.payload.enrollmentId } } });
    const results = (await postBatch(env, kiosk, [enrollment, fixed])).json<BatchResponse>().results;
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect((await env.store.stats()).consents).toBe(3);
  });

  it('rejects an enrollment id or consent record id already received under another key', async () => {
    const item = enrollmentItem(kiosk);
    await postBatch(env, kiosk, [item]);
    const results = (await postBatch(env, kiosk, [{ ...item, idempotencyKey: randomUUID() }])).json<BatchResponse>().results;
    expect(results[0]?.reason?.code).toBe('ENROLLMENT_EXISTS');
    const record = item.payload.consents[0];
    if (!record) throw new Error('fixture has a consent');
    const replayed = (await postBatch(env, kiosk, [consentEventItem(kiosk, record)])).json<BatchResponse>().results;
    expect(replayed[0]?.reason?.code).toBe('RECORD_EXISTS');
  });

  it('counts what it stored, for the operator, and tells a kiosk nothing of it', async () => {
    await postBatch(env, kiosk, [enrollmentItem(kiosk, { registry: 'given' })]);
    expect(await env.store.stats()).toEqual({
      enrollments: 1,
      profiles: 1,
      consents: 2,
      kiosks: 1,
      activeKiosks: 1,
      changeEvents: 0,
      idempotencyKeys: 1,
    });
    const res = await env.app.inject({ method: 'GET', url: '/v1/stats', headers: { authorization: `Bearer ${kiosk.token}` } });
    expect(res.statusCode).toBe(404);
  });
});
