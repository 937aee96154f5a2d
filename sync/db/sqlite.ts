// Opening a SQLite database the one way the project does: the file created 0600 first, then the
// durability pragmas on every open (better-sqlite3 reopens a WAL database at synchronous=NORMAL
// otherwise, which can roll back committed transactions on power loss), a busy timeout for a
// command line writing beside the running program, and foreign keys on. What differs per use is an
// option.
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { createPrivateFile } from '../private-file.js';

export interface SqliteOptions {
  /** How long a write waits for another connection's lock before SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
  /** Deleted rows (purged personal data) overwritten with zeros, in the file and in the WAL frames
   *  that carry the page; a checkpoint then leaves no copy of them in free pages. */
  readonly secureDelete?: boolean;
  /** WAL size past which a commit checkpoints (SQLite's default is 1000 pages); counted in pages of this database's size. */
  readonly walAutocheckpointBytes?: number;
  /** Page size of a new database (4096 by default); one that exists keeps its own, as WAL cannot change it. */
  readonly pageSize?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/** A connection with the pragmas set; a failure closes it and is thrown as the driver threw it. */
export function openSqlite(path: string, options: SqliteOptions = {}): Database {
  if (path !== ':memory:') createPrivateFile(path);
  const db = new BetterSqlite3(path);
  try {
    if (options.pageSize !== undefined) db.pragma(`page_size = ${options.pageSize}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    if (options.secureDelete) db.pragma('secure_delete = ON');
    if (options.walAutocheckpointBytes !== undefined) {
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      db.pragma(`wal_autocheckpoint = ${Math.max(1, Math.round(options.walAutocheckpointBytes / pageSize))}`);
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
