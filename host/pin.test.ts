// The manager PIN: scrypt in a 0600 file, never the PIN; five wrong tries lock, each lock-out twice
// as long as the last, across restarts; `npm run kiosk -- set-pin` reads the PIN from stdin.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostError } from './errors.js';
import { MAX_TRIES, PinStore } from './pin.js';
import { checkOutcome, testHost } from './test-support.js';

let dir: string;
let clock: { now: Date };
let pins: PinStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-pin-'));
  clock = { now: new Date('2026-11-22T10:00:00Z') };
  pins = new PinStore({ path: join(dir, 'pin.json'), now: () => clock.now });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const outcome = (pin: string): string => checkOutcome(() => pins.verify(pin));

describe('PinStore', () => {
  it('keeps an scrypt hash in a 0600 file, never the PIN', () => {
    expect(outcome('1234')).toBe('PIN_NOT_SET');
    pins.set('482915');
    const text = readFileSync(join(dir, 'pin.json'), 'utf8');
    expect(text).not.toContain('482915');
    expect(JSON.parse(text)).toMatchObject({ scrypt: { N: 32768, r: 8, p: 1 }, failures: 0, lockouts: 0 });
    expect(statSync(join(dir, 'pin.json')).mode & 0o777).toBe(0o600);
    expect(outcome('482915')).toBe('ok');
    expect(() => pins.set('12a4')).toThrow(HostError);
  });

  it('locks after five wrong PINs, longer each time, even for the right PIN, and across a restart', () => {
    pins.set('482915');
    const wrong = Array.from({ length: MAX_TRIES }, () => outcome('000000'));
    expect(wrong).toEqual(['PIN_WRONG 4', 'PIN_WRONG 3', 'PIN_WRONG 2', 'PIN_WRONG 1', 'PIN_LOCKED 30s']);
    expect(outcome('482915')).toBe('PIN_LOCKED 30s');
    clock.now = new Date(clock.now.getTime() + 10_000);
    expect(outcome('482915')).toBe('PIN_LOCKED 20s');
    // A restart reads the same file: still locked.
    pins = new PinStore({ path: join(dir, 'pin.json'), now: () => clock.now });
    expect(outcome('482915')).toBe('PIN_LOCKED 20s');
    clock.now = new Date(clock.now.getTime() + 20_000);
    expect(Array.from({ length: MAX_TRIES }, () => outcome('111111')).at(-1)).toBe('PIN_LOCKED 60s');
    clock.now = new Date(clock.now.getTime() + 60_000);
    expect(Array.from({ length: MAX_TRIES }, () => outcome('111111')).at(-1)).toBe('PIN_LOCKED 120s');
    clock.now = new Date(clock.now.getTime() + 120_000);
    expect(outcome('482915')).toBe('ok');
    // The right PIN resets the growth.
    expect(Array.from({ length: MAX_TRIES }, () => outcome('111111')).at(-1)).toBe('PIN_LOCKED 30s');
  });
});

describe('the manager view behind the PIN', () => {
  it('refuses manager calls until unlocked, says how many tries are left, and locks again on manager.lock', async () => {
    const t = testHost();
    try {
      expect(await t.code('manager.unlock', { pin: '4821' })).toBe('PIN_NOT_SET');
      t.pins.set('4821');
      expect(await t.code('manager.status')).toBe('WRONG_STEP');
      expect(await t.host.call('manager.unlock', { pin: '9999' })).toEqual({ ok: false, error: { code: 'PIN_WRONG', triesLeft: 4 } });
      await t.ok('manager.unlock', { pin: '4821' });
      expect(await t.ok('manager.status')).toEqual({
        counts: { pending: 0, sending: 0, acknowledged: 0, deadLetter: 0, discarded: 0 },
        stale: false,
        registryReachable: false,
      });
      expect(await t.ok('manager.failed')).toEqual([]);
      const exported = await t.ok<{ filename: string; csv: string }>('manager.exportReceipts');
      expect(exported.filename).toBe('consent-receipts-kiosk-01-2026-11-22.csv');
      expect(exported.csv.startsWith('record_id,subject_ref,party')).toBe(true);
      expect(await t.code('manager.discard', { key: '00000000-0000-4000-8000-000000000001' })).toBe('NOT_FOUND');
      expect(await t.code('manager.quit')).toBe('WRONG_STEP'); // no quit outside Electron
      await t.ok('manager.lock');
      expect(await t.code('manager.status')).toBe('WRONG_STEP');
    } finally {
      t.dispose();
    }
  });
});

describe('npm run kiosk -- set-pin', () => {
  it('reads the PIN from stdin and writes the hash file', () => {
    const file = join(dir, 'cli-pin.json');
    const out = execFileSync('npx', ['tsx', 'host/cli.ts', 'set-pin', '--pin-file', file], {
      input: '735102\n',
      encoding: 'utf8',
    });
    expect(out).toContain(`PIN set in ${file}`);
    const cli = new PinStore({ path: file, now: () => clock.now });
    expect(() => cli.verify('735102')).not.toThrow();
    expect(readFileSync(file, 'utf8')).not.toContain('735102');
  });

  it('refuses a PIN that is not 4 to 12 digits, with exit code 1', () => {
    const file = join(dir, 'bad-pin.json');
    let status = 0;
    try {
      execFileSync('npx', ['tsx', 'host/cli.ts', 'set-pin', '--pin-file', file], { input: 'abc\n', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(1);
  });
});
