// Issue 8: once the registry acknowledges an item its personal data is purged from the kiosk; the
// sealed bytes must then be gone from the file's free space and from the WAL after a checkpoint,
// not only unreachable (secure_delete).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { commitEnrollment } from '../store/commit.js';
import type { Store } from '../store/open.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { at, makeEnrollment, T0 } from './fixtures/payloads.js';
import { newKey, openTestStore, tempDir } from './fixtures/store.js';

let dir: { dir: string; cleanup: () => void };
let file: string;
let store: Store;
beforeEach(() => {
  dir = tempDir();
  file = join(dir.dir, 'kiosk.db');
  store = openTestStore(file, newKey());
});
afterEach(() => {
  store.close();
  dir.cleanup();
});

const raw = () => Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);

it("leaves no copy of an acknowledged item's sealed payload in the file or the WAL once checkpointed", () => {
  const items = Array.from({ length: 20 }, (_, n) =>
    commitEnrollment(store, { payload: makeEnrollment(n, { at: T0 }), policy: DEFAULT_POLICY }, T0),
  );
  // The first row: without secure_delete its old cell stays in the page (measured; later rows'
  // cells happen to be overwritten when the page is rewritten).
  const target = items[0]!.idempotencyKey;
  const sealed = (store.db.prepare('SELECT payload FROM outbox WHERE idempotency_key = ?').get(target) as { payload: Buffer }).payload;
  // Any 32 bytes of the ciphertext would do: its middle, away from headers.
  const probe = sealed.subarray(Math.floor(sealed.length / 2) - 16, Math.floor(sealed.length / 2) + 16);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  expect(raw().includes(probe)).toBe(true);

  const outbox = new SqliteOutbox(store);
  outbox.claimDue(at(1), 100);
  outbox.applyResults(
    [{ idempotencyKey: target, status: 'accepted', statusCode: 201, receiptId: 'r-1', receivedAt: at(1).toISOString() }],
    at(1),
  );
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  expect(raw().includes(probe)).toBe(false);
});
