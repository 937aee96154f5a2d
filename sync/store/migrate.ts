// The strict migration runner: forward only, one immediate transaction per migration (the schema
// change and the new PRAGMA user_version commit together or not at all), and a database written by
// newer code is refused rather than guessed at.
import type { Database } from 'better-sqlite3';
import { StoreError, translateSqliteError } from './errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export const schemaVersion = (db: Database): number => db.pragma('user_version', { simple: true }) as number;

/** Brings `db` to the last version in `migrations` (all of them unless a test builds an older one). */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new StoreError('BAD_MIGRATIONS', `position ${i + 1} holds version ${m.version}`);
  });
  const from = schemaVersion(db);
  const latest = migrations.length;
  if (from > latest) throw new StoreError('DB_NEWER_THAN_CODE', `database version ${from}, code version ${latest}`);
  for (const m of migrations.slice(from)) {
    try {
      db.transaction(() => {
        m.up(db);
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } catch (e) {
      const translated = translateSqliteError(e);
      if (translated instanceof StoreError) throw translated;
      throw new StoreError('MIGRATION_FAILED', `migration ${m.version}-${m.name}`, { cause: e });
    }
  }
  return { from, to: Math.max(from, latest) };
}
