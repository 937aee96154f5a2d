// GET /v1/capabilities: what the reference registry offers, to authenticated kiosks only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryCapabilities } from '../../sync/wire/registry-api.js';
import { testEnv, type Kiosk, type TestEnv } from './fixtures/registry-app.js';

describe('GET /v1/capabilities', () => {
  let env: TestEnv;
  let kiosk: Kiosk;
  beforeAll(async () => {
    env = await testEnv('sqlite');
    kiosk = await env.kiosk('kiosk-a', 'chain-a');
  });
  afterAll(async () => env.dispose());

  const get = (token?: string) =>
    env.app.inject({ method: 'GET', url: '/v1/capabilities', headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('tells a kiosk that erasure is offered and signed batches taken, in the shape the kiosk parses', async () => {
    const res = await get(kiosk.token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ erasure: true, signedBatches: true });
    expect(RegistryCapabilities.safeParse(res.json()).success).toBe(true);
  });

  it('answers no one without a valid kiosk token', async () => {
    expect((await get()).json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await get('not-a-token')).statusCode).toBe(401);
    await env.store.revokeKiosk(kiosk.kioskId, env.now());
    expect((await get(kiosk.token)).json()).toMatchObject({ code: 'KIOSK_REVOKED' });
  });
});
