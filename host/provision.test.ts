// Provisioning a kiosk by a one-time code, in-process against a reference registry on loopback:
// `kiosk provision` writes kiosk.json and the token sealed under the store's key (the token string
// in no file of the data folder) and registers the kiosk's signing key, the settings resolver reads that folder back, and the set-up
// mode serves only setup.* until it has provisioned, then hands over to the kiosk.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../registry/auth.js';
import { issueEnrollCode } from '../registry/provisioning.js';
import { serve, type RunningRegistry } from '../registry/server.js';
import { KeySet } from '../sync/proof/key-set.js';
import { resolveCliKey } from '../sync/store/key-file.js';
import { openStore } from '../sync/store/open.js';
import { registeredKid } from '../sync/store/signing-key.js';
import type { EventName, Result } from '../api/contract.js';
import { runKioskCommand } from './cli.js';
import { PinStore } from './pin.js';
import { registryCredentials, resolveSettings } from './settings.js';
import { provisionDataDir, SetupMode } from './setup.js';
import { EspeakEngine } from '../speech/espeak.js';
import { Speaker } from '../speech/speaker.js';

const GRANT = { kioskId: 'kiosk-42', chainId: 'demo-retail', storeId: 'store-7' };

let registry: RunningRegistry;
let registryDir: string;
beforeAll(async () => {
  registryDir = mkdtempSync(join(tmpdir(), 'kiosk-provision-registry-'));
  registry = await serve({ port: 0, host: '127.0.0.1', db: join(registryDir, 'registry.db'), writerThread: false });
});
afterAll(async () => {
  await registry.close();
  rmSync(registryDir, { recursive: true, force: true });
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-provision-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const newCode = async (update = {}) => (await issueEnrollCode(registry.store, { ...GRANT, ...update }, new Date())).code;

async function kiosk(argv: string[], stdin: string[]) {
  const out = { stdout: '', stderr: '' };
  const lines = [...stdin];
  const code = await runKioskCommand(argv, {
    stdout: (t) => (out.stdout += t),
    stderr: (t) => (out.stderr += t),
    env: { XDG_DATA_HOME: join(dir, 'xdg') },
    readLine: async () => lines.shift(),
    interrupted: new Promise(() => {}),
  });
  return { code, ...out };
}

/** The registry knows the token as an active kiosk's (only its hash is stored). */
const known = async (token: string) => (await registry.store.kioskByTokenHash(hashToken(token)))?.kioskId;

describe('kiosk provision', () => {
  it('writes kiosk.json and the sealed token; the resolver reads them; the token is in no file as text', async () => {
    const dataDir = join(dir, 'data');
    const update = {
      updateUrl: 'https://updates.demo-retail.example/kiosk/',
      updatePublicKey: 'Cq5-HW4mYV-fBQlJzSZ2pHGtzMNqtq9hIVoREY0G1aE',
    };
    const code = await newCode(update);
    const r = await kiosk(['provision', '--registry', registry.url, '--code', code, '--data-dir', dataDir], ['2468', '2468']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`provisioned kiosk-42 (Demo Retail NV, store store-7) in ${dataDir}\n`);

    expect(JSON.parse(readFileSync(join(dataDir, 'kiosk.json'), 'utf8'))).toEqual({
      chainId: 'demo-retail',
      chainName: 'Demo Retail NV',
      storeId: 'store-7',
      kioskId: 'kiosk-42',
      registryUrl: registry.url,
      ...update,
    });
    const settings = resolveSettings({ dataDir });
    expect(settings.host).toMatchObject({ chainId: 'demo-retail', kioskId: 'kiosk-42', storeId: 'store-7', chainName: 'Demo Retail NV' });
    expect(settings.dbPath).toBe(join(dataDir, 'kiosk.db'));
    expect(settings.registry).toMatchObject({ url: registry.url, sealed: true });
    const { token } = registryCredentials(settings.registry!, resolveCliKey(settings.dbPath, {}));
    expect(await known(token)).toBe('kiosk-42');
    for (const file of readdirSync(dataDir)) expect(readFileSync(join(dataDir, file)).includes(token), file).toBe(false);
    new PinStore({ path: settings.pinFile, now: () => new Date() }).verify('2468');

    // The kiosk's signing key is made and published at provisioning: its first receipt verifies at once.
    const store = openStore({ path: settings.dbPath, key: resolveCliKey(settings.dbPath, {}), kioskId: 'kiosk-42' });
    const kid = store.signingKey.kid;
    expect(registeredKid(store.db)).toBe(kid);
    store.close();
    const published = KeySet.parse(await (await fetch(`${registry.url}/v1/keys`)).json());
    expect(published.keys.find((k) => k.kid === kid)).toMatchObject({ owner: 'kiosk', kioskId: 'kiosk-42', chainId: 'demo-retail' });

    // The same code a second time: refused, and the folder is provisioned already anyway.
    const again = await kiosk(
      ['provision', '--registry', registry.url, '--code', code, '--data-dir', join(dir, 'other')],
      ['2468', '2468'],
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('SETUP_CODE_REFUSED');
  });

  it('spends no code on a PIN that differs or is too short, and refuses plain http off loopback', async () => {
    const code = await newCode();
    const base = ['provision', '--registry', registry.url, '--code', code, '--data-dir', join(dir, 'data')];
    expect((await kiosk(base, ['2468', '1357'])).stderr).toContain('the two PINs differ');
    expect((await kiosk(base, ['12', '12'])).stderr).toContain('PIN_FORMAT');
    const plain = await kiosk(
      ['provision', '--registry', 'http://registry.example', '--code', code, '--data-dir', join(dir, 'x')],
      ['2468', '2468'],
    );
    expect(plain.stderr).toContain('URL_INVALID');
    expect((await kiosk(base, ['2468', '2468'])).code).toBe(0);
  });

  it('defaults to the user data folder', async () => {
    const r = await kiosk(['provision', '--registry', registry.url, '--code', await newCode()], ['2468', '2468']);
    expect(r.code, r.stderr).toBe(0);
    expect(resolveSettings({ dataDir: join(dir, 'xdg', 'eid-kiosk') }).host.kioskId).toBe('kiosk-42');
  });
});

describe('set-up mode', () => {
  it('serves only setup.* and speech, provisions, then hands every call and event to the kiosk', async () => {
    const dataDir = join(dir, 'data');
    const handed: string[] = [];
    const listeners = new Map<EventName, (payload: unknown) => void>();
    const setup = new SetupMode({
      provision: (input) =>
        provisionDataDir({ ...input, dataDir, storeKey: () => resolveCliKey(join(dataDir, 'kiosk.db'), {}), now: () => new Date() }),
      start: async () => ({
        call: async (name: string): Promise<Result<unknown>> => {
          handed.push(name);
          return { ok: true, value: {} };
        },
        on: (name, listener) => {
          listeners.set(name, listener as (payload: unknown) => void);
          return () => undefined;
        },
      }),
      speaker: new Speaker(new EspeakEngine()),
    });
    const told: unknown[] = [];
    setup.on('setup', (e) => told.push(e));
    setup.on('sync', (e) => told.push(e));
    expect(await setup.call('kiosk.info', {})).toEqual({ ok: false, error: { code: 'NOT_PROVISIONED' } });
    expect(await setup.call('session.start', { language: 'nl', intent: 'enroll' })).toEqual({
      ok: false,
      error: { code: 'NOT_PROVISIONED' },
    });
    expect(await setup.call('setup.status', {})).toEqual({ ok: true, value: { provisioned: false } });
    expect(await setup.call('speech.say', { language: 'fr', parts: [{ text: 'Configuration' }] })).toMatchObject({
      ok: true,
      value: { voice: 'fr-be', cached: false },
    });
    const wrong = await setup.call('setup.provision', { registryUrl: registry.url, code: 'ZZZZ-ZZZZ-ZZZZ', pin: '2468' });
    expect(wrong).toEqual({ ok: false, error: { code: 'SETUP_CODE_REFUSED' } });
    const ok = await setup.call('setup.provision', { registryUrl: registry.url, code: await newCode(), pin: '2468' });
    expect(ok).toEqual({ ok: true, value: {} });
    expect(told).toEqual([{ state: 'provisioned' }]);
    await setup.call('kiosk.info', {});
    await setup.call('speech.say', { language: 'fr', parts: [{ text: 'Bienvenue' }] });
    expect(handed).toEqual(['kiosk.info', 'speech.say']);
    listeners.get('sync')!({ online: true, pending: 0 });
    expect(told).toEqual([{ state: 'provisioned' }, { online: true, pending: 0 }]);
  });
});
