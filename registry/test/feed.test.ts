import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provisionKiosk } from '../provisioning.js';
import { ENGINES, feed, type Kiosk, send, testEnv, type TestEnv } from './fixtures/registry-app.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import type { FeedResponse } from '../../sync/wire/registry-api.js';

describe.each(ENGINES)('GET /v1/feed on %s', (engine) => {
  let env: TestEnv;
  let a: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    a = await env.kiosk('kiosk-a', 'chain-a');
    await send(env, a, enrollmentItem(a, { registry: 'given' }));
    for (let i = 1; i <= 5; i++) {
      await send(env, a, enrollmentItem(a, { registry: 'given', person: { email: `emile${i}@example.be` } }));
    }
  });
  afterEach(async () => env.dispose());

  it('pages by the server-issued sequence', async () => {
    const pages = [];
    let cursor = '0';
    for (;;) {
      const page = await feed(env, a, `?after=${cursor}&limit=2`);
      pages.push(page);
      if (!page.hasMore) break;
      cursor = page.nextCursor;
    }
    expect(pages.map((p) => p.events.length)).toEqual([2, 2, 1]);
    const events = pages.flatMap((p) => p.events);
    expect(events.map((e) => e.data)).toEqual(
      [1, 2, 3, 4, 5].map((i) => ({ kind: 'profile-updated', changes: { email: `emile${i}@example.be` } })),
    );
    const seqs = events.map((e) => Number(e.sequence));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(5);

    const last = pages.at(-1)?.nextCursor ?? '';
    expect(last).toBe(events.at(-1)?.sequence);
    expect(await feed(env, a, `?after=${last}`)).toEqual({ chainId: 'chain-a', events: [], nextCursor: last, hasMore: false });
    expect((await feed(env, a)).events).toHaveLength(5);
  });

  it('shows a chain only its own events', async () => {
    const b = await env.kiosk('kiosk-b', 'chain-b');
    expect(await feed(env, b)).toEqual({ chainId: 'chain-b', events: [], nextCursor: '0', hasMore: false });
  });

  it('refuses a malformed cursor or limit', async () => {
    const token = await env.backOffice('chain-a');
    for (const q of ['?after=-1', '?after=2025-03-01T10:00:00Z', '?limit=0', '?limit=abc', '?other=1']) {
      const res = await env.app.inject({ method: 'GET', url: `/v1/feed${q}`, headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, q).toBe(400);
    }
  });

  it("is the back office's alone: a kiosk token, even its chain's, is 403 FORBIDDEN", async () => {
    const loose = await provisionKiosk(env.store, { kioskId: 'loose', chainId: null, storeId: null }, env.now());
    for (const token of [a.token, loose]) {
      const res = await env.app.inject({ method: 'GET', url: '/v1/feed', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
    }
    const office = await env.app.inject({
      method: 'GET',
      url: '/v1/feed',
      headers: { authorization: `Bearer ${await env.backOffice('chain-a')}` },
    });
    expect(office.statusCode).toBe(200);
    expect(office.json<FeedResponse>().events).toHaveLength(5);
  });

  it('does not let a back-office token act as a kiosk, and a revoked one is refused', async () => {
    const token = await env.backOffice('chain-a');
    const batch = await env.app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers: { authorization: `Bearer ${token}` },
      payload: { kioskId: 'kiosk-a', sentAt: env.now().toISOString(), items: [] },
    });
    expect(batch.statusCode).toBe(403);
    expect(batch.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect(await env.store.revokeBackOfficeTokens('chain-a', env.now())).toBe(1);
    const res = await env.app.inject({ method: 'GET', url: '/v1/feed', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
