// Provisioning by a one-time code: `enroll-code` keeps only the code's hash; POST /v1/provision
// exchanges it once, before it expires, for the kiosk's token and settings; a used, expired or
// unknown code is the same 404. On both engines, the registry's clock moved by hand.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledStatements } from '../../sync/consent/statements.js';
import type { ProvisionResponse } from '../../sync/wire/provision.js';
import { hashToken } from '../auth.js';
import { runRegistryCommand } from '../cli.js';
import { canonicalEnrollCode, issueEnrollCode } from '../provisioning.js';
import { openRegistryStore } from '../store.js';
import { ENGINES, testEnv, type TestEnv } from './fixtures/registry-app.js';
import { freshDatabase, type TestDatabase } from './fixtures/registry.js';

const GRANT = { kioskId: 'kiosk-7', chainId: 'demo-retail', storeId: 'store-9' };
const MINUTE = 60_000;

describe.each(ENGINES)('provisioning by a one-time code on %s', (engine) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await testEnv(engine);
  });
  afterEach(async () => env.dispose());

  const exchange = (code: string) => env.app.inject({ method: 'POST', url: '/v1/provision', payload: { code } });
  const heartbeat = (token: string) =>
    env.app.inject({
      method: 'POST',
      url: '/v1/heartbeat',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        appVersion: '0.1.0',
        queue: { pending: 0, sending: 0, acknowledged: 0, 'dead-letter': 0, discarded: 0 },
        oldestPendingAgeMs: null,
        lastSyncAt: null,
        readerPresent: true,
        freeDiskBytes: null,
        failedCommits: 0,
      },
    });

  it('works once: the token and the settings, then the same 404 as an unknown code', async () => {
    const update = { updateUrl: 'https://updates.demo-retail.example/kiosk/', updatePublicKey: 'ed25519:AAAA' };
    const { code } = await issueEnrollCode(env.store, { ...GRANT, ...update }, env.now());
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    // Typed on a touchscreen: lower case, without dashes.
    const first = await exchange(code.replaceAll('-', ' ').toLowerCase());
    expect(first.statusCode, first.body).toBe(200);
    const { token, settings } = first.json<ProvisionResponse>();
    const catalog = bundledStatements();
    expect(settings).toEqual({
      ...GRANT,
      chainName: 'Demo Retail NV',
      statements: {
        chain: { id: 'demo-retail-loyalty', version: catalog.current('chain', 'en').version },
        registry: { id: 'central-registry-profile', version: catalog.current('registry', 'en').version },
      },
      ...update,
    });
    expect((await heartbeat(token)).statusCode).toBe(200);

    const again = await exchange(code);
    const unknown = await exchange('ZZZZ-ZZZZ-ZZZZ');
    for (const res of [again, unknown]) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ code: 'UNKNOWN_ENROLL_CODE', message: expect.any(String) });
    }
    expect(again.body).toBe(unknown.body);
  });

  it('expires: a code past its minutes is the same 404', async () => {
    const { code } = await issueEnrollCode(env.store, GRANT, env.now(), 5);
    env.advance(5 * MINUTE);
    const res = await exchange(code);
    expect(res.statusCode).toBe(404);
    expect(res.json<{ code: string }>().code).toBe('UNKNOWN_ENROLL_CODE');
  });

  it('a new code for a provisioned kiosk replaces its token; the old one is refused', async () => {
    const old = await env.kiosk(GRANT.kioskId, GRANT.chainId, GRANT.storeId);
    const { code } = await issueEnrollCode(env.store, GRANT, env.now());
    const { token } = (await exchange(code)).json<ProvisionResponse>();
    expect((await heartbeat(token)).statusCode).toBe(200);
    expect((await heartbeat(old.token)).statusCode).toBe(401);
  });
});

describe('registry enroll-code', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await freshDatabase('sqlite');
  });
  afterEach(async () => db.dispose());

  it('prints a code and its QR; only its hash is kept, and it exchanges once', async () => {
    const out: string[] = [];
    const io = {
      stdout: (s: string) => out.push(s),
      stderr: () => undefined,
      now: () => new Date(),
      interrupted: new Promise<void>(() => {}),
    };
    const argv = [
      'enroll-code',
      '--db',
      db.db,
      '--kiosk',
      'kiosk-7',
      '--chain',
      'demo-retail',
      '--store',
      'store-9',
      '--ttl-minutes',
      '30',
    ];
    expect(await runRegistryCommand(argv, io)).toBe(0);
    const [code, ...rest] = out.join('').split('\n');
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    // qrcode's terminal output: half blocks.
    expect(rest.join('\n')).toMatch(/[▀▄█]/);
    const store = await openRegistryStore(db.db, { matchSecret: db.matchSecret });
    try {
      const now = new Date();
      expect(await store.redeemEnrollCode(hashToken(canonicalEnrollCode(code!)!), hashToken('t'.repeat(43)), now)).toMatchObject({
        kioskId: 'kiosk-7',
      });
      expect(await store.redeemEnrollCode(hashToken(canonicalEnrollCode(code!)!), hashToken('u'.repeat(43)), now)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('refuses an update URL without its key, or over plain http', async () => {
    const err: string[] = [];
    const io = {
      stdout: () => undefined,
      stderr: (s: string) => err.push(s),
      now: () => new Date(),
      interrupted: new Promise<void>(() => {}),
    };
    const base = ['enroll-code', '--db', db.db, '--kiosk', 'k', '--chain', 'c', '--store', 's'];
    expect(await runRegistryCommand([...base, '--update-url', 'https://u.example/'], io)).toBe(2);
    expect(await runRegistryCommand([...base, '--update-url', 'http://u.example/', '--update-public-key', 'k'], io)).toBe(2);
    expect(err.join('')).toContain('https');
  });
});
