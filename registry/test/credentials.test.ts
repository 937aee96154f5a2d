// Issue 8, bound credentials and safer files: provisioning binds a kiosk to a chain and a store,
// idempotency keys are each kiosk's own, the SQLite files are created 0600, and what is deleted
// leaves no copy in free pages nor in the WAL once checkpointed.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchResponse } from '../../sync/wire/schemas.js';
import { openSqliteDriver } from '../storage/sqlite.js';
import { get, run } from '../storage/sql.js';
import { ENGINES, postBatch, type TestEnv, testEnv } from './fixtures/registry-app.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';

const ROOT = join(import.meta.dirname, '..', '..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'registry/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'registry-credentials-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('registry provision', () => {
  it('refuses a kiosk without --chain or --store, opening nothing', () => {
    const db = join(dir, 'unbound.db');
    for (const args of [['--chain', 'chain-a'], ['--store', 'store-1'], []]) {
      const result = cli('provision', '--db', db, '--kiosk', 'kiosk-1', ...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^error: --(chain|store) is required\n/);
      expect(result.stdout).toBe('');
    }
    expect(existsSync(db)).toBe(false);
  });
});

describe('the registry SQLite files', () => {
  it('are created readable by their owner only: database, WAL and shared memory', async () => {
    const file = join(dir, 'private.db');
    const driver = openSqliteDriver(file);
    try {
      await driver.write(() =>
        run("INSERT INTO kiosks (kiosk_id, chain_id, store_id, token_hash, provisioned_at) VALUES ('k', 'c', 's', 'h', 't')"),
      );
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(statSync(f).mode & 0o777, f).toBe(0o600);
    } finally {
      await driver.close();
    }
  });

  it('keep no copy of a deleted name in the file or the WAL once checkpointed (secure_delete)', async () => {
    const file = join(dir, 'purged.db');
    const name = 'Zwerkelbrouck-Quintijn';
    const driver = openSqliteDriver(file);
    const raw = () => Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    try {
      await driver.write(function* () {
        for (let i = 0; i < 50; i++) {
          yield* run(
            `INSERT INTO profiles (profile_id, match_key, surname, first_names, language, created_at, updated_at) VALUES (?, ?, ?, 'Anna', 'nl', 't', 't')`,
            `p${i}`,
            `k${i}`,
            i === 25 ? name : `Other${i}`,
          );
        }
      });
      await driver.read(() => get('PRAGMA wal_checkpoint(TRUNCATE)'));
      expect(raw().includes(name)).toBe(true); // the scan sees it while it is there
      await driver.write(() => run('DELETE FROM profiles WHERE profile_id = ?', 'p25'));
      expect(readFileSync(`${file}-wal`).includes(name)).toBe(false); // the page's new frame holds zeros where it was
      await driver.read(() => get('PRAGMA wal_checkpoint(TRUNCATE)'));
      expect(raw().includes(name)).toBe(false);
    } finally {
      await driver.close();
    }
    expect(raw().includes(name)).toBe(false);
  });
});

describe.each(ENGINES)('idempotency keys on %s', (engine) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await testEnv(engine);
  });
  afterEach(async () => env.dispose());

  it("are each kiosk's own: kiosk B reusing kiosk A's key is neither blocked nor answered with A's receipt", async () => {
    const a = await env.kiosk('kiosk-a', 'chain-a');
    const b = await env.kiosk('kiosk-b', 'chain-b');
    const key = randomUUID();
    const fromA = { ...enrollmentItem(a), idempotencyKey: key };
    const fromB = { ...enrollmentItem(b, { person: { surname: 'Peeters', firstNames: 'Jan' } }), idempotencyKey: key };
    const first = (await postBatch(env, a, [fromA])).json<BatchResponse>().results[0];
    const second = (await postBatch(env, b, [fromB])).json<BatchResponse>().results[0];
    expect([first?.status, second?.status]).toEqual(['accepted', 'accepted']);
    expect(second?.receiptId).not.toBe(first?.receiptId);
    // Each kiosk's own replay still answers with its own first receipt.
    expect((await postBatch(env, b, [fromB])).json<BatchResponse>().results[0]).toMatchObject({
      status: 'duplicate',
      receiptId: second?.receiptId,
    });
    expect(await env.store.stats()).toMatchObject({ enrollments: 2, idempotencyKeys: 2 });
  });
});
