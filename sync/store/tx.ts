// Every write goes through one IMMEDIATE transaction: the write lock is taken at BEGIN, so a busy
// database waits (busy_timeout) instead of failing half-way; the function returns after COMMIT.
import type { Database } from 'better-sqlite3';
import { translateSqliteError } from './errors.js';

export function immediate<T>(db: Database, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (e) {
    throw translateSqliteError(e);
  }
}
