// The staff codes without a card: scrypt hashes in a 0600 file beside the PIN, never a code; the
// manager's calls behind the PIN; wrong codes lock out like the PIN, across restarts.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostError } from './errors.js';
import { MAX_TRIES } from './pin.js';
import { StaffCodeStore, staffCodesPath } from './staff-codes.js';
import { checkOutcome, testHost, type TestHost } from './test-support.js';

let dir: string;
let clock: { now: Date };
const file = () => join(dir, 'staff-codes.json');
const store = () => new StaffCodeStore({ path: file(), now: () => clock.now });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-staff-'));
  clock = { now: new Date('2026-11-22T10:00:00Z') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const outcome = (codes: StaffCodeStore, code: string): string => checkOutcome(() => codes.verify(code).name);

describe('StaffCodeStore', () => {
  it('keeps scrypt hashes in a 0600 file beside the PIN file, never a code', () => {
    expect(staffCodesPath('/var/lib/kiosk/manager-pin.json')).toBe('/var/lib/kiosk/staff-codes.json');
    const codes = store();
    expect(outcome(codes, '123456')).toBe('STAFF_CODE_NOT_SET');
    const an = codes.add('  An Peeters ');
    const jo = codes.add('Jo');
    expect(an).toEqual({ id: expect.any(String), name: 'An Peeters', code: expect.stringMatching(/^\d{6}$/) });
    expect(jo.code).not.toBe(an.code);
    const text = readFileSync(file(), 'utf8');
    expect(text).not.toContain(an.code);
    expect(text).not.toContain(jo.code);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(codes.list()).toEqual([
      { id: an.id, name: 'An Peeters' },
      { id: jo.id, name: 'Jo' },
    ]);
    expect(outcome(store(), jo.code)).toBe('ok Jo');
  });

  it('refuses a name without a letter, or one an active member already has', () => {
    const codes = store();
    codes.add('Jo');
    for (const name of ['', '   ', '1234', 'Jo\u0007', 'jo']) {
      expect(() => codes.add(name), JSON.stringify(name)).toThrow(HostError);
    }
  });

  it('a revoked code is refused at once; the member keeps its id in the file, without a hash', () => {
    const codes = store();
    const an = codes.add('An');
    const jo = codes.add('Jo');
    codes.revoke(jo.id);
    expect(codes.list()).toEqual([{ id: an.id, name: 'An' }]);
    expect(outcome(codes, jo.code)).toBe(`STAFF_CODE_WRONG ${MAX_TRIES - 1}`);
    expect(() => codes.revoke(jo.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const kept = JSON.parse(readFileSync(file(), 'utf8')) as { members: { id: string; scrypt?: unknown; revokedAt?: string }[] };
    expect(kept.members.find((m) => m.id === jo.id)).toMatchObject({ revokedAt: clock.now.toISOString() });
    expect(kept.members.find((m) => m.id === jo.id)?.scrypt).toBeUndefined();
    codes.revoke(an.id);
    expect(outcome(codes, an.code)).toBe('STAFF_CODE_NOT_SET');
  });

  it('five wrong codes lock out for 30 s, then 60 s, and a restart does not reset the counters', () => {
    const an = store().add('An');
    const wrong = an.code === '000000' ? '111111' : '000000';
    for (let i = 1; i < MAX_TRIES; i++) expect(outcome(store(), wrong)).toBe(`STAFF_CODE_WRONG ${MAX_TRIES - i}`);
    expect(outcome(store(), wrong)).toBe('STAFF_CODE_LOCKED 30s');
    expect(outcome(store(), an.code)).toBe('STAFF_CODE_LOCKED 30s');
    clock.now = new Date(clock.now.getTime() + 30_000);
    for (let i = 1; i < MAX_TRIES; i++) expect(outcome(store(), 'abc')).toBe(`STAFF_CODE_WRONG ${MAX_TRIES - i}`);
    expect(outcome(store(), wrong)).toBe('STAFF_CODE_LOCKED 60s');
    clock.now = new Date(clock.now.getTime() + 60_000);
    expect(outcome(store(), an.code)).toBe('ok An');
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({ failures: 0, lockouts: 0 });
  });
});

describe('the manager calls', () => {
  let t: TestHost;
  beforeEach(() => {
    t = testHost();
    t.pins.set('1234');
  });
  afterEach(() => t.dispose());

  it('list, add and revoke staff members only while unlocked; the code is answered once, never listed', async () => {
    expect(await t.code('manager.staffAdd', { name: 'An' })).toBe('WRONG_STEP');
    expect(await t.code('manager.staffList')).toBe('WRONG_STEP');
    await t.ok('manager.unlock', { pin: '1234' });
    const an = await t.ok<{ id: string; name: string; code: string }>('manager.staffAdd', { name: 'An' });
    expect(an.code).toMatch(/^\d{6}$/);
    expect(await t.ok('manager.staffList')).toEqual([{ id: an.id, name: 'An' }]);
    expect(await t.code('manager.staffAdd', { name: '42' })).toBe('INVALID_REQUEST');
    await t.ok('manager.staffRevoke', { id: an.id });
    expect(await t.ok('manager.staffList')).toEqual([]);
    expect(await t.code('manager.staffRevoke', { id: an.id })).toBe('NOT_FOUND');
    await t.ok('manager.lock');
    expect(await t.code('manager.staffRevoke', { id: an.id })).toBe('WRONG_STEP');
  });
});
