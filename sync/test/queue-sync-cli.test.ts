// The manager's whole offline path through the command line: paper lines imported into the queue,
// `queue sync --once` against the real registry on loopback, then status and a replayed sync.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runQueueCommand, type CliIo } from '../cli/queue.js';
import { bundledStatements } from '../consent/statements.js';
import { startRegistry, type TestRegistry } from '../registry/testing.js';
import { tempDir } from './store-fixtures.js';

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

const io: CliIo = {
  stdout: (t) => out.push(t),
  stderr: (t) => err.push(t),
  env: { LOG_LEVEL: 'silent' },
  now: () => new Date(),
  statements: () => bundledStatements(),
};
const run = async (...argv: string[]): Promise<number> => {
  out = [];
  err = [];
  return runQueueCommand(argv, io);
};

describe('queue sync', () => {
  it('sends imported paper enrollments once, exits 0, and a second run has nothing to send', async () => {
    const db = join(dir.dir, 'kiosk.db');
    const token = await registry.provisionKiosk('kiosk-01', 'demo-chain', 'store-001');
    expect(await run('sample', '5', '--seed', '3')).toBe(0);
    writeFileSync(join(dir.dir, 'paper.jsonl'), out.join(''));
    expect(await run('import', '--db', db, join(dir.dir, 'paper.jsonl'))).toBe(0);

    expect(await run('sync', '--db', db, '--registry', registry.url, '--token', token, '--once')).toBe(0);
    expect(await run('status', '--db', db)).toBe(0);
    expect(out.join('')).toMatch(/^acknowledged\s+5$/m);
    expect(out.join('')).toMatch(/^pending\s+0$/m);
    expect(out.join('')).toMatch(/^registry reachable\s+yes/m);
    expect((await registry.stats()).enrollments).toBe(5);

    expect(await run('sync', '--db', db, '--registry', registry.url, '--token', token, '--once')).toBe(0);
    expect((await registry.stats()).enrollments).toBe(5);
  });

  it('exits 5 when the registry refuses the token, and keeps every item pending', async () => {
    const db = join(dir.dir, 'kiosk.db');
    await run('sample', '2');
    writeFileSync(join(dir.dir, 'paper.jsonl'), out.join(''));
    await run('import', '--db', db, join(dir.dir, 'paper.jsonl'));

    expect(await run('sync', '--db', db, '--registry', registry.url, '--token', 'not-a-token', '--once')).toBe(5);
    await run('status', '--db', db);
    expect(out.join('')).toMatch(/^pending\s+2$/m);
  });

  it('explains a missing option instead of starting', async () => {
    expect(await run('sync', '--db', join(dir.dir, 'kiosk.db'))).toBe(2);
    expect(err.join('')).toMatch(/sync needs --db FILE --registry URL --token T/);
  });
});
