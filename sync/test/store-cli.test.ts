import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runQueueCommand, type CliIo } from '../cli/queue.js';
import { bundledStatements, loadStatements } from '../consent/statements.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { parseHexKey } from '../store/cipher.js';
import { STUCK_AFTER_ATTEMPTS } from '../store/outbox-items.js';
import { at } from './fixtures/payloads.js';
import { newKey, openTestStore, tempDir } from './fixtures/store.js';

let dir: { dir: string; cleanup: () => void };
let db: string;
let out: string[];
let err: string[];
let env: Record<string, string | undefined>;

beforeEach(() => {
  dir = tempDir();
  db = join(dir.dir, 'kiosk.db');
  out = [];
  err = [];
  env = { LOG_LEVEL: 'silent' };
});
afterEach(() => dir.cleanup());

const io = (): CliIo => ({
  stdout: (t) => out.push(t),
  stderr: (t) => err.push(t),
  env,
  now: () => at(60),
  statements: () => bundledStatements(),
});
const run = (...argv: string[]): Promise<number> => {
  out = [];
  err = [];
  return runQueueCommand(argv, io());
};
const stdout = () => out.join('');
/** Imports N sample paper lines into a new queue for kiosk-01. */
const importSample = async (count: number, seed = 1): Promise<void> => {
  await run('sample', String(count), '--seed', String(seed));
  writeFileSync(join(dir.dir, 'paper.jsonl'), stdout());
  expect(await run('import', '--db', db, '--kiosk', 'kiosk-01', join(dir.dir, 'paper.jsonl'))).toBe(0);
};
const stderr = () => err.join('');

describe('queue CLI', () => {
  it('samples deterministic lines that import cleanly, then reports them in status and export', async () => {
    expect(await run('sample', '3', '--seed', '7')).toBe(0);
    const lines = stdout();
    expect(lines.trim().split('\n')).toHaveLength(3);
    await run('sample', '3', '--seed', '7');
    expect(stdout()).toBe(lines);
    writeFileSync(join(dir.dir, 'paper.jsonl'), lines);

    expect(await run('import', '--db', db, '--kiosk', 'kiosk-01', join(dir.dir, 'paper.jsonl'))).toBe(0);
    expect(stdout()).toBe('3 enrollment(s) queued, 0 line(s) rejected\n');
    expect(statSync(`${db}.key`).mode & 0o777).toBe(0o600);

    expect(await run('status', '--db', db)).toBe(0);
    expect(stdout()).toMatch(/^pending\s+3$/m);
    expect(stdout()).toMatch(/^dead-letter\s+0$/m);
    expect(stdout()).toMatch(/^oldest pending\s+2025-03-14T10:00:00\.000Z \(0 min ago\)$/m);
    expect(stdout()).toMatch(/^last successful sync\s+never$/m);
    expect(stdout()).toMatch(/^registry reachable\s+unknown/m);

    expect(await run('export', '--db', db, '--out', join(dir.dir, 'receipts.csv'))).toBe(0);
    const csv = readFileSync(join(dir.dir, 'receipts.csv'), 'utf8');
    expect(csv.split('\r\n').filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect(statSync(join(dir.dir, 'receipts.csv')).mode & 0o777).toBe(0o600);
    expect(await run('export', '--db', db)).toBe(0);
    expect(stdout()).toBe(csv);
  });

  it('reports bad import lines on stderr by number and exits non-zero, still queueing the good ones', async () => {
    await run('sample', '2', '--seed', '1');
    const [good1, good2] = stdout().trim().split('\n');
    writeFileSync(join(dir.dir, 'paper.jsonl'), [good1, '{"person":', good2, '{}'].join('\n'));
    expect(await run('import', '--db', db, '--kiosk', 'kiosk-01', join(dir.dir, 'paper.jsonl'))).toBe(1);
    expect(stderr()).toMatch(/^line 2: not valid JSON\nline 4: chainId: .*\n$/);
    expect(stdout()).toBe('2 enrollment(s) queued, 2 line(s) rejected\n');
  });

  it('shows failed items with initials, retries and discards them', async () => {
    await importSample(2, 3);
    const store = openTestStore(db, parseHexKey(readFileSync(`${db}.key`, 'utf8')));
    const outbox = new SqliteOutbox(store);
    const [a, b] = outbox.claimDue(at(61), 10).map((i) => i.idempotencyKey) as [string, string];
    outbox.applyResults(
      [a, b].map((k) => ({
        idempotencyKey: k,
        status: 'rejected' as const,
        statusCode: 422 as const,
        reason: { code: 'INVALID_ITEM', message: 'refused by registry' },
      })),
      at(62),
    );
    store.close();

    expect(await run('failed', '--db', db)).toBe(0);
    expect(stdout()).toMatch(
      new RegExp(`^#1 ${a} enrollment [A-Z]\\. [A-Z]\\. created .* attempts 0\\n  INVALID_ITEM: refused by registry$`, 'm'),
    );
    expect(await run('retry', '--db', db, a)).toBe(0);
    expect(stdout()).toBe('1 item(s) queued again\n');
    expect(await run('discard', '--db', db, b)).toBe(0);
    expect(await run('failed', '--db', db)).toBe(0);
    expect(stdout()).toBe('no failed items\n');
    expect(await run('status', '--db', db)).toBe(0);
    expect(stdout()).toMatch(/^discarded\s+1$/m);
    expect(await run('discard', '--db', db, b)).toBe(1);
    expect(stderr()).toMatch(/^error: NOT_FOUND: /);
    expect(await run('retry', '--db', db, '--all')).toBe(0);
    expect(stdout()).toBe('0 item(s) queued again\n');
  });

  // Issue 8: an item that failed attempt after attempt stayed pending forever, out of the manager's reach.
  it('shows, retries and discards items still pending after many failed attempts, and only those', async () => {
    await importSample(3, 4);
    const store = openTestStore(db, parseHexKey(readFileSync(`${db}.key`, 'utf8')));
    const outbox = new SqliteOutbox(store);
    const [a, b, c] = outbox.claimDue(at(61), 10).map((i) => i.idempotencyKey) as [string, string, string];
    for (let n = 0; n < STUCK_AFTER_ATTEMPTS; n++) outbox.releaseForRetry([a, b], 'SERVER_ERROR: 500', at(9_999));
    outbox.releaseForRetry([c], 'NETWORK: ECONNREFUSED', at(62));
    store.close();

    expect(await run('failed', '--db', db)).toBe(0);
    expect(stdout()).toMatch(
      new RegExp(`^#1 ${a} enrollment .* attempts ${STUCK_AFTER_ATTEMPTS} \\(still pending\\)\\n  STUCK: SERVER_ERROR: 500$`, 'm'),
    );
    expect(stdout()).toContain(b);
    expect(stdout()).not.toContain(c);
    expect(await run('retry', '--db', db, a)).toBe(0);
    const reopened = openTestStore(db, parseHexKey(readFileSync(`${db}.key`, 'utf8')));
    expect(reopened.db.prepare('SELECT next_attempt_at FROM outbox WHERE idempotency_key = ?').get(a)).toEqual({
      next_attempt_at: at(60).toISOString(),
    });
    reopened.close();
    expect(await run('discard', '--db', db, b)).toBe(0);
    expect(await run('discard', '--db', db, c)).toBe(1);
    expect(stderr()).toMatch(/^error: INVALID_STATE: .*pending after 1 attempt/);
  });

  it('leaves the items a running kiosk is sending alone', async () => {
    await importSample(1);
    const kiosk = openTestStore(db, parseHexKey(readFileSync(`${db}.key`, 'utf8')));
    expect(new SqliteOutbox(kiosk).claimDue(at(61), 10)).toHaveLength(1);
    expect(await run('status', '--db', db)).toBe(0);
    expect(stdout()).toMatch(/^sending\s+1$/m);
    expect(kiosk.db.prepare('SELECT state FROM outbox').get()).toEqual({ state: 'sending' });
    kiosk.close();
  });

  it('takes the key from KIOSK_DB_KEY, and never invents one for an existing database', async () => {
    env.KIOSK_DB_KEY = newKey().toString('hex');
    writeFileSync(join(dir.dir, 'none.jsonl'), '');
    expect(await run('import', '--db', db, '--kiosk', 'kiosk-01', join(dir.dir, 'none.jsonl'))).toBe(0);
    expect(await run('status', '--db', db)).toBe(0);
    expect(existsSync(`${db}.key`)).toBe(false);
    delete env.KIOSK_DB_KEY;
    expect(await run('status', '--db', db)).toBe(1);
    expect(stderr()).toMatch(/^error: NO_KEY: /);
    env.KIOSK_DB_KEY = newKey().toString('hex');
    expect(await run('status', '--db', db)).toBe(1);
    expect(stderr()).toMatch(/^error: BAD_KEY: /);
  });

  it('answers usage errors with exit code 2', async () => {
    writeFileSync(join(dir.dir, 'none.jsonl'), '');
    expect(await run('import', '--db', db, '--kiosk', 'kiosk-01', join(dir.dir, 'none.jsonl'))).toBe(0); // an existing queue
    expect(await run('import', '--db', db, join(dir.dir, 'none.jsonl'))).toBe(2);
    expect(stderr()).toContain('import needs --kiosk ID');
    expect(await run('status')).toBe(2);
    expect(stderr()).toMatch(/^error: status needs --db FILE\nusage: npm run queue/);
    expect(await run('frobnicate', '--db', db)).toBe(2);
    expect(await run('retry', '--db', db)).toBe(2);
    expect(await run('sample', 'many')).toBe(2);
    expect(await run('status', '--db', db, '--bogus')).toBe(2);
    expect(await run()).toBe(2);
    expect(await run('--help')).toBe(0);
    expect(stdout()).toContain('usage: npm run queue');
  });

  it('reports unreadable consent statements as a failure, not a crash', async () => {
    const code = await runQueueCommand(['sample', '1', '--statements', join(dir.dir, 'none')], {
      ...io(),
      statements: (d) => loadStatements(d),
    });
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/^error: STATEMENT_NOT_FOUND: /);
  });

  it('runs as a program through tsx', async () => {
    const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
    const program = join(process.cwd(), 'sync/cli/queue.ts');
    const opts = { env: { ...process.env, LOG_LEVEL: 'silent' }, encoding: 'utf8' as const };
    await importSample(1);
    const failed = spawnSync(tsx, [program, 'discard', '--db', db, 'no-such-key'], opts);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^error: NOT_FOUND: /);
  });

  // Issue 8: each of these gave a stack trace (or quietly made a new, empty queue).
  it('answers a missing, empty or corrupt database with one coded line and exit 1, creating nothing', async () => {
    expect(await run('status', '--db', db)).toBe(1);
    expect(stderr()).toMatch(/^error: DB_MISSING: [^\n]*\n$/);
    expect(existsSync(db) || existsSync(`${db}.key`)).toBe(false);

    writeFileSync(db, '');
    expect(await run('failed', '--db', db)).toBe(1);
    expect(stderr()).toMatch(/^error: DB_EMPTY: [^\n]*\n$/);
    expect(await run('import', '--db', db, '--kiosk', 'kiosk-01', db)).toBe(1);
    expect(stderr()).toMatch(/^error: DB_EMPTY: /);

    writeFileSync(db, 'not a database, '.repeat(512));
    writeFileSync(`${db}.key`, `${newKey().toString('hex')}\n`);
    expect(await run('status', '--db', db)).toBe(1);
    expect(stderr()).toMatch(/^error: DB_CORRUPT: [^\n]*\n$/);
  });

  it('answers a database damaged inside with a coded line, not a stack trace', async () => {
    await importSample(30);
    const kiosk = openTestStore(db, parseHexKey(readFileSync(`${db}.key`, 'utf8')));
    kiosk.db.pragma('wal_checkpoint(TRUNCATE)');
    kiosk.close();
    const bytes = readFileSync(db);
    bytes.fill(0xa5, 4096, bytes.length); // every page after the first
    writeFileSync(db, bytes);
    expect(await run('failed', '--db', db)).toBe(1);
    expect(stderr()).toMatch(/^error: DB_CORRUPT: [^\n]*\n$/);
  });

  it('answers a database it may not write with DB_READ_ONLY through the program', async () => {
    await importSample(1);
    const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
    const program = join(process.cwd(), 'sync/cli/queue.ts');
    const key = readFileSync(`${db}.key`, 'utf8').trim();
    // As root every file is writable: the manager is then another user, who may read but not write.
    const asOther = process.getuid?.() === 0;
    chmodSync(dir.dir, asOther ? 0o755 : 0o555);
    try {
      const result = spawnSync(tsx, [program, 'status', '--db', db], {
        env: { ...process.env, LOG_LEVEL: 'silent', KIOSK_DB_KEY: key, TSX_TSCONFIG_PATH: join(process.cwd(), 'tsconfig.json') },
        encoding: 'utf8',
        ...(asOther ? { uid: 65534, gid: 65534 } : {}),
      });
      expect(result.stderr).toMatch(/^error: DB_READ_ONLY: [^\n]*\n$/);
      expect(result.status).toBe(1);
    } finally {
      chmodSync(dir.dir, 0o755);
    }
  });
});
