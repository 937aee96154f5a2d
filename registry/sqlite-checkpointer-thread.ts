// The SQLite registry's checkpointer thread (sqlite-writer.ts): every few hundred milliseconds it
// copies what the WAL holds back into the database file. PASSIVE: it never waits for the writer nor
// makes it wait, so commits go on while megabytes are copied; the writer restarts the WAL from its
// start once all of it was copied.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from '../sync/db/sqlite.js';
import { sendError } from './sqlite-writer.js';

const port = parentPort;
if (!port) throw new Error('sqlite-checkpointer-thread runs as a worker thread');
const { db: file, everyMs } = workerData as { db: string; everyMs: number };

try {
  const db = openSqlite(file);
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy (an erasure's truncating checkpoint): the next tick copies what is left.
    }
  }, everyMs);
  port.on('message', (m: unknown) => {
    if (m !== 'close') return;
    clearInterval(timer);
    db.close();
    port.close();
  });
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ error: sendError(e) });
}
