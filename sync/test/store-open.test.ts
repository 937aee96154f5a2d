import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { commitEnrollment } from '../store/commit.js';
import { StoreError } from '../store/errors.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { at, enrollmentPayload, idGenerator } from './fixtures/payloads.js';
import { newKey, openTestStore, tempDir } from './fixtures/store.js';

let dir: { dir: string; cleanup: () => void };
let path: string;
let key: Buffer;

beforeEach(() => {
  dir = tempDir();
  path = join(dir.dir, 'kiosk.db');
  key = newKey();
});
afterEach(() => dir.cleanup());

describe('openStore', () => {
  it('sets WAL, synchronous=FULL, busy_timeout and foreign keys on every open, including a reopen', () => {
    for (let open = 0; open < 2; open++) {
      const store = openTestStore(path, key);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      store.close();
    }
  });

  it('refuses another key for an existing database, and a key of the wrong size', () => {
    openTestStore(path, key).close();
    expect(() => openTestStore(path, newKey())).toThrow(expect.objectContaining({ code: 'BAD_KEY' }));
    expect(() => openTestStore(path, Buffer.alloc(16))).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    openTestStore(path, key).close();
  });
});

describe('a full disk', () => {
  it('fails the commit with DISK_FULL and loses nothing committed before', () => {
    const store = openTestStore(path, key);
    const ids = idGenerator(2);
    const commit = (n: number) =>
      commitEnrollment(store, { payload: enrollmentPayload(ids, undefined, at(n)), policy: DEFAULT_POLICY }, at(n));
    const before = [commit(0), commit(1)];
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);

    let failure: unknown;
    const committed = [...before];
    for (let n = 2; n < 200 && failure === undefined; n++) {
      try {
        committed.push(commit(n));
      } catch (e) {
        failure = e;
      }
    }
    expect(failure).toBeInstanceOf(StoreError);
    expect(failure).toMatchObject({ code: 'DISK_FULL' });

    const count = (table: string) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('enrollments')).toBe(committed.length);
    expect(count('outbox')).toBe(committed.length);
    expect(count('consent_records')).toBe(2 * committed.length);
    store.close();

    const reopened = openTestStore(path, key);
    const items = new SqliteOutbox(reopened).claimDue(at(300), 500);
    expect(items.map((i) => i.idempotencyKey)).toEqual(committed.map((c) => c.idempotencyKey));
    reopened.close();
  });
});
