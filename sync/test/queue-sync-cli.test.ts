// The manager's whole offline path through the command line: paper lines imported into the queue,
// `queue sync --once` against the real registry on loopback, then status and a replayed sync.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runQueueCommand, type CliIo } from '../cli/queue.js';
import { bundledStatements } from '../consent/statements.js';
import { startRegistry, type TestRegistry } from '../../registry/test/fixtures/registry.js';
import { tempDir } from './fixtures/store.js';

let dir: { dir: string; cleanup: () => void };
let registry: TestRegistry;
let out: string[];
let err: string[];

beforeEach(async () => {
  dir = tempDir();
  registry = await startRegistry({ db: 'sqlite' });
});
afterEach(async () => {
  await registry.close();
  dir.cleanup();
});

let env: Record<string, string | undefined> = { LOG_LEVEL: 'silent' };
const io: CliIo = {
  stdout: (t) => out.push(t),
  stderr: (t) => err.push(t),
  get env() {
    return env;
  },
  now: () => new Date(),
  statements: () => bundledStatements(),
};
const run = async (...argv: string[]): Promise<number> => {
  out = [];
  err = [];
  return runQueueCommand(argv, io);
};
/** Runs with these variables added to the environment the CLI sees. */
const withEnv = (vars: Record<string, string>, body: () => Promise<number>): Promise<number> => {
  const saved = env;
  env = { ...saved, ...vars };
  return body().finally(() => (env = saved));
};

describe('queue sync', () => {
  it('sends imported paper enrollments once, exits 0, and a second run has nothing to send', async () => {
    const db = join(dir.dir, 'kiosk.db');
    const token = await registry.provisionKiosk('kiosk-01', 'demo-chain', 'store-001');
    expect(await run('sample', '5', '--seed', '3')).toBe(0);
    writeFileSync(join(dir.dir, 'paper.jsonl'), out.join(''));
    expect(await run('import', '--db', db, '--kiosk', 'kiosk-01', join(dir.dir, 'paper.jsonl'))).toBe(0);

    writeFileSync(join(dir.dir, 'token'), `${token}\n`, { mode: 0o600 });
    expect(await run('sync', '--db', db, '--registry', registry.url, '--token-file', join(dir.dir, 'token'), '--once')).toBe(0);
    expect(await run('status', '--db', db)).toBe(0);
    expect(out.join('')).toMatch(/^acknowledged\s+5$/m);
    expect(out.join('')).toMatch(/^pending\s+0$/m);
    expect(out.join('')).toMatch(/^registry reachable\s+yes/m);
    expect((await registry.stats()).enrollments).toBe(5);

    expect(await withEnv({ KIOSK_REGISTRY_TOKEN: token }, () => run('sync', '--db', db, '--registry', registry.url, '--once'))).toBe(0);
    expect((await registry.stats()).enrollments).toBe(5);
  });

  it('exits 5 when the registry refuses the token, and keeps every item pending', async () => {
    const db = join(dir.dir, 'kiosk.db');
    await run('sample', '2');
    writeFileSync(join(dir.dir, 'paper.jsonl'), out.join(''));
    await run('import', '--db', db, '--kiosk', 'kiosk-01', join(dir.dir, 'paper.jsonl'));

    expect(
      await withEnv({ KIOSK_REGISTRY_TOKEN: 'not-a-token' }, () => run('sync', '--db', db, '--registry', registry.url, '--once')),
    ).toBe(5);
    await run('status', '--db', db);
    expect(out.join('')).toMatch(/^pending\s+2$/m);
  });

  it('explains a missing option instead of starting', async () => {
    expect(await run('sync', '--db', join(dir.dir, 'kiosk.db'))).toBe(2);
    expect(err.join('')).toMatch(/sync needs --db FILE --registry URL/);
    expect(await run('sync', '--db', join(dir.dir, 'kiosk.db'), '--registry', registry.url)).toBe(2);
    expect(err.join('')).toMatch(/token in --token-file FILE or KIOSK_REGISTRY_TOKEN/);
  });

  // Issue 8: a token in argv is visible to every user in `ps`.
  it('refuses a token given on the command line', async () => {
    const token = await registry.provisionKiosk('kiosk-01', 'demo-chain', 'store-001');
    expect(await run('sync', '--db', join(dir.dir, 'kiosk.db'), '--registry', registry.url, '--token', token, '--once')).toBe(2);
    expect(err.join('')).toMatch(/^error: --token is not accepted/);
    expect(err.join('')).not.toContain(token);
    // A base64url token may start with '-', which parseArgs alone would misread as an option.
    err.length = 0;
    expect(await run('sync', '--db', join(dir.dir, 'kiosk.db'), '--registry', registry.url, '--token', `-${token}`)).toBe(2);
    expect(err.join('')).toMatch(/^error: --token is not accepted/);
  });

  // Issue 8: a mistyped kiosk id on one paper line made its whole batch a 403 and blocked the rest.
  it('refuses a paper line naming another kiosk at import; the others reach the registry', async () => {
    const db = join(dir.dir, 'kiosk.db');
    const token = await registry.provisionKiosk('kiosk-01', 'demo-chain', 'store-001');
    await run('sample', '4', '--seed', '5');
    const lines = out.join('').trim().split('\n');
    lines[0] = lines[0]!.replace('"kiosk-01"', '"kiosk-10"');
    writeFileSync(join(dir.dir, 'paper.jsonl'), lines.join('\n'));
    expect(await run('import', '--db', db, '--kiosk', 'kiosk-01', join(dir.dir, 'paper.jsonl'))).toBe(1);
    expect(err.join('')).toBe('line 1: kioskId: this line names another kiosk than kiosk-01\n');
    expect(await withEnv({ KIOSK_REGISTRY_TOKEN: token }, () => run('sync', '--db', db, '--registry', registry.url, '--once'))).toBe(0);
    expect((await registry.stats()).enrollments).toBe(3);
  });
});
