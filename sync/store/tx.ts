// Every write goes through one IMMEDIATE transaction: the write lock is taken at BEGIN, so a busy
// database waits (busy_timeout) instead of failing half-way; the function returns after COMMIT.
// better-sqlite3 builds a transaction wrapper per db.transaction() call; one wrapper per connection
// that runs whatever it is given spares that on every commit.
import type { Database, Transaction } from 'better-sqlite3';
import { translateSqliteError } from './errors.js';

type Runner = Transaction<(fn: () => unknown) => unknown>;
const runners = new WeakMap<Database, Runner>();

export function immediate<T>(db: Database, fn: () => T): T {
  let run = runners.get(db);
  if (!run) {
    run = db.transaction((f: () => unknown) => f());
    runners.set(db, run);
  }
  try {
    return run.immediate(fn) as T;
  } catch (e) {
    throw translateSqliteError(e);
  }
}
