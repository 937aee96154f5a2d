// The one settings resolver: the file, then the command line, checked by one schema; the demo's
// identity, folder and PIN only in its branch; a kiosk without a configuration refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../common/cli.js';
import { resolveSettings, SettingsError } from './settings.js';

let dir: string;
let dataDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-settings-'));
  dataDir = join(dir, 'data');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const IDENTITY = { chainId: 'chain-a', chainName: 'Chain A', storeId: 'store-9', kioskId: 'kiosk-7' };
const configFile = (content: unknown, name = 'kiosk.json'): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
const errorOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};
const codeOf = (f: () => unknown): string | undefined => {
  const e = errorOf(f);
  if (e === undefined) return undefined;
  return e instanceof SettingsError ? e.code : e instanceof UsageError ? `usage: ${e.message}` : String(e);
};

describe('resolveSettings', () => {
  it('takes the file, with the command line winning, and defaults the paths to the data folder', () => {
    const s = resolveSettings({
      configFile: configFile({ ...IDENTITY, idleSeconds: 90, registryUrl: 'https://registry.example', tokenFile: '/etc/token' }),
      options: { 'idle-seconds': '30', reader: 'Reader 1' },
      dataDir,
    });
    expect(s.host).toMatchObject({ ...IDENTITY, idleSeconds: 30, countdownSeconds: 20, defaultLanguage: 'nl', reader: 'Reader 1' });
    expect(s).toMatchObject({
      dbPath: join(dataDir, 'kiosk.db'),
      pinFile: join(dataDir, 'manager-pin.json'),
      registry: { url: 'https://registry.example', tokenFile: '/etc/token' },
    });
    expect(s.demo).toBeUndefined();
  });

  it('has no demo defaults outside the demo: a configuration names its chain, store and kiosk', () => {
    expect(codeOf(() => resolveSettings({ dataDir }))).toBe('NO_CONFIGURATION');
    expect(codeOf(() => resolveSettings({ configFile: configFile({}), dataDir }))).toBe('CONFIG_INVALID');
  });

  it('finds kiosk.json in the data folder without --config, but never for the demo', () => {
    rmSync(dataDir, { recursive: true, force: true });
    writeFileSync(join(dir, 'kiosk.json'), JSON.stringify(IDENTITY));
    expect(resolveSettings({ dataDir: dir }).host.chainId).toBe('chain-a');
    expect(resolveSettings({ dataDir: dir, demoDir: join(dir, 'demo') }).host.chainId).toBe('demo-retail');
  });

  it('gives the demo its identity, folder, PIN and own registry, under what the file and the options say', () => {
    const demoDir = join(dir, 'demo');
    const demo = resolveSettings({ dataDir, demoDir });
    expect(demo.host).toMatchObject({ chainId: 'demo-retail', chainName: 'Demo Retail NV', storeId: 'store-001', kioskId: 'kiosk-01' });
    expect(demo).toMatchObject({
      dbPath: join(demoDir, 'kiosk.db'),
      pinFile: join(demoDir, 'manager-pin.json'),
      demo: { dir: demoDir, pin: '1234', ownRegistry: true },
    });
    const configured = resolveSettings({
      configFile: configFile({ kioskId: 'kiosk-2', dbPath: '/var/lib/kiosk.db' }),
      options: { 'pin-file': join(dir, 'pin.json'), registry: 'https://registry.example', 'token-file': '/etc/token' },
      dataDir,
      demoDir,
    });
    expect(configured.host).toMatchObject({ chainId: 'demo-retail', kioskId: 'kiosk-2' });
    expect(configured).toMatchObject({ dbPath: join(demoDir, 'kiosk.db'), pinFile: join(dir, 'pin.json'), demo: { ownRegistry: false } });
    expect(configured.demo).not.toHaveProperty('pin');
  });

  it('checks the command line with the same schema as the file, and names the option it refuses', () => {
    const demoDir = join(dir, 'demo');
    expect(codeOf(() => resolveSettings({ options: { 'idle-seconds': '5' }, dataDir, demoDir }))).toBe(
      'usage: --idle-seconds: Too small: expected number to be >=10',
    );
    expect(codeOf(() => resolveSettings({ options: { registry: 'not a url', 'token-file': 't' }, dataDir, demoDir }))).toMatch(
      /^usage: --registry: /,
    );
    expect(codeOf(() => resolveSettings({ configFile: configFile({ ...IDENTITY, idleSeconds: 5 }), dataDir }))).toBe('CONFIG_INVALID');
    expect(codeOf(() => resolveSettings({ configFile: configFile({ ...IDENTITY, colour: 'red' }), dataDir }))).toBe('CONFIG_INVALID');
  });

  it("takes updates only over https and with the chain's Ed25519 key as base64url of its 32 bytes", () => {
    const key = Buffer.alloc(32, 7).toString('base64url');
    const updates = { updateUrl: 'https://updates.chain.example/kiosk/', updatePublicKey: key };
    expect(resolveSettings({ configFile: configFile({ ...IDENTITY, ...updates }), dataDir })).toMatchObject(updates);
    const refusal = (config: object) => errorOf(() => resolveSettings({ configFile: configFile({ ...IDENTITY, ...config }), dataDir }));
    expect(refusal({ updateUrl: 'http://updates.chain.example/kiosk/' })).toMatchObject({
      code: 'CONFIG_INVALID',
      detail: expect.stringContaining('updateUrl: must be an https URL') as unknown,
    });
    expect(refusal({ updatePublicKey: Buffer.alloc(33).toString('base64url') })).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(refusal({ updatePublicKey: Buffer.alloc(32).toString('base64') })).toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it("names the receipt's verification page where phones reach the registry, over https only", () => {
    const verify = { receiptVerifyUrl: 'https://registry.chain.example/verify' };
    expect(resolveSettings({ configFile: configFile({ ...IDENTITY, ...verify }), dataDir })).toMatchObject(verify);
    expect(resolveSettings({ configFile: configFile(IDENTITY), dataDir })).not.toHaveProperty('receiptVerifyUrl');
    expect(
      errorOf(() => resolveSettings({ configFile: configFile({ ...IDENTITY, receiptVerifyUrl: 'http://10.0.0.5/verify' }), dataDir })),
    ).toMatchObject({
      code: 'CONFIG_INVALID',
      detail: expect.stringContaining('receiptVerifyUrl: must be an https URL') as unknown,
    });
  });

  it('says a file is unreadable or not JSON without quoting it', () => {
    writeFileSync(join(dir, 'bad.json'), '{"chainId": "secret-ish"');
    expect(errorOf(() => resolveSettings({ configFile: join(dir, 'bad.json'), dataDir }))).toMatchObject({
      code: 'CONFIG_UNREADABLE',
      detail: `${join(dir, 'bad.json')}: not valid JSON`,
    });
    expect(codeOf(() => resolveSettings({ configFile: join(dir, 'none.json'), dataDir }))).toBe('CONFIG_UNREADABLE');
    expect(codeOf(() => resolveSettings({ configFile: configFile([IDENTITY]), dataDir }))).toBe('CONFIG_INVALID');
  });
});
