// Durable enqueues: commitEnrollment (validation, chain policy, the person sealed, one journal row
// holding the enrollment and its two consent records, one immediate transaction) against a plain
// better-sqlite3 insert of a row the size of the sealed WireItem the queue hands out, with the same
// pragmas (WAL, synchronous=FULL, one immediate transaction per row) and a unique UUID key. The WAL
// bytes each write appends show the page side of the gap: every b-tree page a commit touches is a
// 4 KB frame to fsync (a journal row touches its table and two indexes).
import { randomBytes, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { commitEnrollment } from '../store/commit.js';
import { openDatabase, openStore } from '../store/open.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { makeEnrollment } from '../test/fixtures/payloads.js';

export interface EnqueueFigures {
  commitPerSec: number;
  plainPerSec: number;
  rowBytes: number;
  commitWalBytes: number;
  plainWalBytes: number;
}

/** WAL bytes one write appends, measured over `n` writes with checkpoints held off. */
function walBytesPerWrite(db: Database, file: string, n: number, write: (i: number) => void): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('wal_autocheckpoint = 0');
  for (let i = 0; i < n; i++) write(i);
  const bytes = statSync(`${file}-wal`).size / n;
  db.pragma('wal_autocheckpoint = 1000');
  return Math.round(bytes);
}

/** The two writers run in alternating blocks, so both see the same disk (other load, caches). */
export function benchEnqueue(dir: string, count: number): EnqueueFigures {
  const commitFile = join(dir, 'enqueue.db');
  const store = openStore({ path: commitFile, key: randomBytes(32) });
  // Payloads are built before the clock starts: building one is the caller's work, not the store's.
  const payloads = Array.from({ length: count }, (_, n) => makeEnrollment(n));
  const commit = (n: number) => commitEnrollment(store, { payload: payloads[n]!, policy: DEFAULT_POLICY }, new Date());
  commit(0);
  // The plain row is the whole enqueued item, sealed: about the size of the journal row (the person
  // sealed, the consent records as JSON, the ids and verdicts as columns).
  const [item] = new SqliteOutbox(store).claimDue(new Date(), 1);
  const rowBytes = store.cipher.seal(JSON.stringify(item), 'bench').length;

  const plainFile = join(dir, 'plain.db');
  const db = openDatabase(plainFile);
  db.exec('CREATE TABLE rows (id TEXT PRIMARY KEY, body BLOB NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO rows (id, body) VALUES (?, ?)');
  const rows = Array.from({ length: count }, () => [randomUUID(), randomBytes(rowBytes)] as const);
  const put = (n: number) => {
    const [id, body] = rows[n]!;
    db.transaction(() => insert.run(id, body)).immediate();
  };

  const BLOCK = 100;
  let commitMs = 0;
  let plainMs = 0;
  for (let from = 1; from < count; from += BLOCK) {
    const to = Math.min(count, from + BLOCK);
    const t0 = performance.now();
    for (let n = from; n < to; n++) commit(n);
    const t1 = performance.now();
    for (let n = from; n < to; n++) put(n);
    commitMs += t1 - t0;
    plainMs += performance.now() - t1;
  }
  const timed = count - 1;
  const commitWalBytes = walBytesPerWrite(store.db, commitFile, 200, (n) =>
    commitEnrollment(store, { payload: makeEnrollment(n), policy: DEFAULT_POLICY }, new Date()),
  );
  const plainWalBytes = walBytesPerWrite(db, plainFile, 200, () =>
    db.transaction(() => insert.run(randomUUID(), randomBytes(rowBytes))).immediate(),
  );
  store.close();
  db.close();
  return { commitPerSec: timed / (commitMs / 1000), plainPerSec: timed / (plainMs / 1000), rowBytes, commitWalBytes, plainWalBytes };
}
