// Issue 14 and 15 at the host: a "no" to every purpose of the chain keeps nothing (no enrollment, no
// record, no outbox item, no receipt, not even the refusal), while a "no" after a yes still commits;
// and a failed commit is one coded line in the log, without personal data.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatementScreen } from '../api/contract.js';
import { answers, testHost, type TestHost } from './test-support.js';

const FORM = { surname: 'Wouters', firstNames: 'Hanne', email: 'hanne.wouters@example.be', mobile: '0470 98 76 54' };

const rows = (t: TestHost): Record<string, number> =>
  Object.fromEntries(
    ['enrollments', 'consent_records', 'outbox', 'receipts'].map((table) => [
      table,
      (t.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    ]),
  );

describe('a "no" to every purpose of the chain', () => {
  let t: TestHost;
  beforeEach(() => {
    t = testHost();
  });
  afterEach(() => t.dispose());

  async function formThenChain(yes: string[]): Promise<unknown> {
    await t.ok('session.start', { language: 'nl', intent: 'enroll' });
    await t.ok('card.decline');
    await t.ok('manual.submit', FORM);
    const chain = await t.ok<StatementScreen>('statement.get', { party: 'chain' });
    return t.ok('consent.decide', { party: 'chain', decisions: answers(chain.purposes, yes), controlsTouched: ['all:no', 'confirm'] });
  }

  it('asks no registry screen, commits nothing and holds nothing of the customer', async () => {
    expect(await formThenChain([])).toEqual({ keepsNothing: true });
    // Without a chain account the registry has nothing to keep current: its screen is not offered.
    expect(await t.code('statement.get', { party: 'registry' })).toBe('WRONG_STEP');
    expect(await t.ok('enrollment.commit')).toEqual({ kept: false });
    expect(rows(t)).toEqual({ enrollments: 0, consent_records: 0, outbox: 0, receipts: 0 });
    expect(t.host.sessionSnapshot()).toMatchObject({ step: 'done', decided: [] });
    expect(t.host.sessionSnapshot()).not.toHaveProperty('person');
    expect(await t.code('enrollment.commit')).toBe('WRONG_STEP');
  });

  it('keeps a yes to one purpose as an enrollment with both records', async () => {
    expect(await formThenChain(['loyalty'])).toEqual({});
    const registry = await t.ok<StatementScreen>('statement.get', { party: 'registry' });
    await t.ok('consent.decide', { party: 'registry', decisions: answers(registry.purposes), controlsTouched: ['confirm'] });
    expect(await t.ok('enrollment.commit')).toHaveProperty('receiptId');
    expect(rows(t)).toMatchObject({ enrollments: 1, consent_records: 2, outbox: 1 });
  });
});

describe('a failed commit', () => {
  const ROOT = join(import.meta.dirname, '..');
  const url = (file: string) => JSON.stringify(pathToFileURL(join(ROOT, file)).href);

  it('is one error line with its code, and no personal data', () => {
    // A kiosk host in a child process, as the entry point runs it, whose store fails at the commit.
    const script = `
      const { configureLogging } = await import(${url('sync/log.ts')});
      const { answers, testHost } = await import(${url('host/test-support.ts')});
      configureLogging('info');
      const t = testHost();
      await t.ok('session.start', { language: 'nl', intent: 'enroll' });
      await t.ok('card.decline');
      await t.ok('manual.submit', ${JSON.stringify(FORM)});
      for (const [party, yes] of [['chain', ['loyalty']], ['registry', ['profile-sync']]]) {
        const screen = await t.ok('statement.get', { party });
        await t.ok('consent.decide', { party, decisions: answers(screen.purposes, yes), controlsTouched: [] });
      }
      // The store refuses every write from here (as a read-only disk would): the commit fails.
      t.store.db.pragma('query_only = ON');
      process.stdout.write(await t.code('enrollment.commit'));
      t.dispose();`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, VITEST: 'true' },
    });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout).toBe('STORE_FAILED');
    const lines = child.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number })
      .filter((l) => l.level >= 40);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        mod: 'kiosk-host',
        call: 'enrollment.commit',
        code: 'STORE_FAILED',
        cause: 'DB_READ_ONLY',
        msg: 'call failed',
      }),
    ]);
    for (const value of [FORM.surname, FORM.firstNames, FORM.email, '470987654']) expect(child.stderr).not.toContain(value);
  });
});
