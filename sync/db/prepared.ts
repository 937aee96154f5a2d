// Prepared statements cached per connection: preparing one costs more than running a small insert,
// and the store's commit and sync paths, like the registry's units of work, run the same few
// statements again and again. SQLite re-prepares a
// cached statement by itself after a schema change (a migration), so the cache never goes stale.
import type { Database, Statement } from 'better-sqlite3';

const caches = new WeakMap<Database, Map<string, Statement>>();

export function prepared(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
