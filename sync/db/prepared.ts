// Prepared statements cached per connection: preparing one costs more than running a small insert,
// and the store's commit and sync paths, like the registry's units of work, run the same few
// statements again and again. SQLite re-prepares a
// cached statement by itself after a schema change (a migration), so the cache never goes stale.
import type { Database, Statement } from 'better-sqlite3';

const CACHED_STATEMENTS = 512;
const caches = new WeakMap<Database, Map<string, Statement>>();

export function prepared(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  // Least recently used first in the Map's order, and bounded: the registry's group commits make
  // multi-row statements of many sizes, each size a statement of its own.
  let statement = cache.get(sql);
  if (statement) cache.delete(sql);
  else {
    statement = db.prepare(sql);
    if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
  }
  cache.set(sql, statement);
  return statement;
}
