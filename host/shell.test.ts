// The Electron shell's kiosk under Node (no Electron here): from a fresh user-data folder it serves
// the set-up mode, provisions that folder by a one-time code against a reference registry on loopback
// (the token sealed under the store key the shell was handed), switches to the kiosk on the same
// endpoint with the `setup` event, and its first enrollment reaches that registry. Started again, the
// folder is the kiosk at once; a broken kiosk.json is an error, never a new set-up.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueEnrollCode } from '../registry/provisioning.js';
import { startRegistry, type TestRegistry } from '../registry/test/fixtures/registry.js';
import type { Result, StatementScreen } from '../api/contract.js';
import type { KioskSettings } from './settings.js';
import { startShellHost, type ShellHost } from './shell.js';
import { answers } from './test-support.js';

const GRANT = { kioskId: 'kiosk-42', chainId: 'demo-retail', storeId: 'store-7' };
const UPDATES = { updateUrl: 'https://updates.demo-retail.example/kiosk/', updatePublicKey: 'Cq5-HW4mYV-fBQlJzSZ2pHGtzMNqtq9hIVoREY0G1aE' };

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry({ db: 'sqlite' });
});
afterAll(() => registry.close());

let dataDir: string;
const shells: ShellHost[] = [];
beforeEach(() => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'kiosk-shell-')), 'userData');
});
afterEach(async () => {
  for (const shell of shells.splice(0)) await shell.close();
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
});

/** The shell as main.ts starts it, with safeStorage's key stood in by one key and a count of the asks. */
async function shell(key: Uint8Array) {
  const seen = { keyAsks: 0, kiosks: [] as KioskSettings[] };
  const started = await startShellHost({
    dataDir,
    storeKey: () => {
      seen.keyAsks++;
      return key;
    },
    statementsDir: join(import.meta.dirname, '..', 'resources', 'consent'),
    quit: () => undefined,
    onKiosk: (settings) => seen.kiosks.push(settings),
    compose: { syncPollMs: 200 },
  });
  const withSeen = Object.assign(started, { seen });
  shells.push(withSeen);
  return withSeen;
}

/** Closed here rather than after the test. */
async function closed(s: ShellHost): Promise<void> {
  shells.splice(shells.indexOf(s), 1);
  await s.close();
}

async function ok<T>(s: ShellHost, name: string, input: unknown = {}): Promise<T> {
  const r = (await s.endpoint.call(name, input)) as Result<T>;
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value;
}

describe('the Electron shell without a configuration', () => {
  it('sets up from its user-data folder, switches to the kiosk on the same endpoint, and enrolls into that registry', async () => {
    const key = randomBytes(32);
    const s = await shell(key);
    expect(s.mode).toBe('setup');
    expect(await s.endpoint.call('kiosk.info', {})).toEqual({ ok: false, error: { code: 'NOT_PROVISIONED' } });
    expect(await s.endpoint.call('session.start', { language: 'nl', intent: 'enroll' })).toEqual({
      ok: false,
      error: { code: 'NOT_PROVISIONED' },
    });
    const told: unknown[] = [];
    s.endpoint.on('setup', (e) => told.push(e));

    // A refused code costs nothing: no key asked of the keyring, nothing written.
    const wrong = await s.endpoint.call('setup.provision', { registryUrl: registry.url, code: 'ZZZZ-ZZZZ-ZZZZ', pin: '2468' });
    expect(wrong).toEqual({ ok: false, error: { code: 'SETUP_CODE_REFUSED' } });
    expect(s.seen.keyAsks).toBe(0);
    expect(readdirSync(dataDir)).toEqual([]);

    const { code } = await issueEnrollCode(registry.store, { ...GRANT, ...UPDATES }, new Date());
    expect(await s.endpoint.call('setup.provision', { registryUrl: registry.url, code, pin: '2468' })).toEqual({ ok: true, value: {} });
    expect(told).toEqual([{ state: 'provisioned' }]);
    // The updater starts from the provisioned settings; the same key sealed the token and opened the store.
    expect(s.seen.kiosks).toMatchObject([{ host: { kioskId: 'kiosk-42', storeId: 'store-7' }, ...UPDATES }]);
    expect(s.seen.keyAsks).toBe(1);
    expect(await ok(s, 'kiosk.info')).toMatchObject({ chainName: 'Demo Retail NV', canQuit: true });
    expect(existsSync(join(dataDir, 'kiosk.json'))).toBe(true);
    // Set up once: the kiosk refuses another set-up, and the registry the spent code.
    expect(await s.endpoint.call('setup.provision', { registryUrl: registry.url, code, pin: '2468' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_STEP' },
    });
    expect(await ok(s, 'setup.status')).toEqual({ provisioned: true });

    const before = (await registry.stats()).enrollments;
    await ok(s, 'session.start', { language: 'nl', intent: 'enroll' });
    await ok(s, 'card.decline');
    await ok(s, 'manual.submit', { surname: 'Janssens', firstNames: 'Lotte', email: 'lotte.janssens@example.be' });
    for (const party of ['chain', 'registry'] as const) {
      const screen = await ok<StatementScreen>(s, 'statement.get', { party });
      await ok(s, 'consent.decide', {
        party,
        decisions: answers(screen.purposes, party === 'chain' ? ['loyalty'] : []),
        controlsTouched: [],
      });
    }
    await ok(s, 'enrollment.commit');
    await expect.poll(async () => (await registry.stats()).enrollments, { timeout: 10_000 }).toBe(before + 1);
  });

  it('started again on that folder runs the kiosk at once; a broken kiosk.json is an error, not a new set-up', async () => {
    const key = randomBytes(32);
    const first = await shell(key);
    const { code } = await issueEnrollCode(registry.store, GRANT, new Date());
    await ok(first, 'setup.provision', { registryUrl: registry.url, code, pin: '2468' });
    await closed(first);

    const second = await shell(key);
    expect(second.mode).toBe('kiosk');
    expect(second.seen.kiosks).toMatchObject([{ host: { kioskId: 'kiosk-42' }, registry: { url: registry.url, sealed: true } }]);
    expect(await ok(second, 'kiosk.info')).toMatchObject({ chainName: 'Demo Retail NV' });
    await closed(second);

    const config = join(dataDir, 'kiosk.json');
    writeFileSync(config, readFileSync(config, 'utf8').replace('"kioskId"', '"kioskNumber"'));
    await expect(shell(key)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
