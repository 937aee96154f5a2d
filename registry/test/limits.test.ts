// Issue 8, safer edges: a 3 MB deeply nested body is refused before it costs anything (413 on its
// size; 400 on its nesting when it fits), and each kiosk has its own request rate (429), coded.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { assertNesting, BODY_LIMIT } from '../body-limits.js';
import { provisionKiosk } from '../provisioning.js';
import { freshStore } from './fixtures/registry.js';
import { ENGINES, postBatch, type TestEnv, testEnv } from './fixtures/registry-app.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';

const nested = (depth: number) =>
  `{"kioskId":"kiosk-a1","sentAt":"2025-03-01T10:00:00.000Z","items":[${'['.repeat(depth)}${']'.repeat(depth)}]}`;

describe.each(ENGINES)('body limits on %s', (engine) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await testEnv(engine);
  });
  afterEach(async () => env.dispose());

  const post = async (body: string) => {
    const kiosk = await env.kiosk('kiosk-a1', 'chain-a');
    return env.app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers: { authorization: `Bearer ${kiosk.token}`, 'content-type': 'application/json' },
      payload: body,
    });
  };

  it('refuses a 3 MB deeply nested body with 413, coded', async () => {
    const body = nested(1_500_000);
    expect(body.length).toBeGreaterThan(3_000_000);
    const res = await post(body);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ code: 'BODY_TOO_LARGE', message: expect.any(String) });
  });

  it('refuses a deeply nested body that fits the size limit with 400, coded', async () => {
    const body = nested(Math.floor(BODY_LIMIT / 2) - 100);
    expect(body.length).toBeLessThan(BODY_LIMIT);
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BODY_TOO_DEEP' });
  });

  it('still takes a full batch of valid items', async () => {
    const kiosk = await env.kiosk('kiosk-a1', 'chain-a');
    const res = await postBatch(
      env,
      kiosk,
      Array.from({ length: 100 }, () => enrollmentItem(kiosk, { registry: 'given' })),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body.length).toBeGreaterThan(0);
  });
});

describe('assertNesting', () => {
  it('counts brackets outside strings only', () => {
    expect(() => assertNesting(`{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`, 2)).not.toThrow();
    expect(() => assertNesting('[[[1]]]', 3)).not.toThrow();
    expect(() => assertNesting('[[[[1]]]]', 3)).toThrow(expect.objectContaining({ code: 'BODY_TOO_DEEP' }));
  });
});

describe('per-kiosk rate limit', () => {
  let dispose: () => Promise<void>;
  let app: ReturnType<typeof buildApp>;
  let tokens: string[];
  beforeEach(async () => {
    const fresh = await freshStore('sqlite');
    dispose = fresh.dispose;
    const now = () => new Date('2025-03-01T10:00:00.000Z');
    app = buildApp({ store: fresh.store, now, kioskRate: { max: 3, windowMs: 60_000 } });
    await app.ready();
    tokens = [
      await provisionKiosk(fresh.store, { kioskId: 'kiosk-a1', chainId: 'chain-a', storeId: 'chain-a-store-1' }, now()),
      await provisionKiosk(fresh.store, { kioskId: 'kiosk-a2', chainId: 'chain-a', storeId: 'chain-a-store-1' }, now()),
    ];
  });
  afterEach(async () => {
    await app.close();
    await dispose();
  });

  it('answers 429, coded, past the limit of one kiosk, and not to another', async () => {
    const ask = (token: string) => app.inject({ method: 'GET', url: '/v1/capabilities', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) expect((await ask(tokens[0]!)).statusCode).toBe(200);
    const limited = await ask(tokens[0]!);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ code: 'RATE_LIMITED', message: expect.stringContaining('retry in') });
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await ask(tokens[1]!)).statusCode).toBe(200);
  });
});
