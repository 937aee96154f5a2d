// The store's migrations through the one runner (../db/migrate.ts): PRAGMA user_version, one
// immediate transaction per migration, refusals as StoreError codes.
import type { Database } from 'better-sqlite3';
import { migrateSync, userVersion, userVersionSchema, type MigrationErrors, type MigrationRun } from '../db/migrate.js';
import { StoreError, translateSqliteError } from './errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export const schemaVersion = userVersion;

const ERRORS: MigrationErrors = {
  newer: (database, code) => new StoreError('DB_NEWER_THAN_CODE', `database version ${database}, code version ${code}`),
  badList: (detail) => new StoreError('BAD_MIGRATIONS', detail),
  failed: (cause, m) => {
    const translated = translateSqliteError(cause);
    if (translated instanceof StoreError) return translated;
    return new StoreError('MIGRATION_FAILED', m ? `migration ${m.version}-${m.name}` : 'migration', { cause });
  },
};

/** Brings `db` to the last version in `migrations` (all of them unless a test builds an older one). */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): MigrationRun {
  return migrateSync(
    migrations,
    userVersionSchema(db, (m: Migration) => m.up(db)),
    ERRORS,
  );
}
