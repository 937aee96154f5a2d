import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../storage/migrations.js';
import { openRegistryStore } from '../store.js';
import { freshDatabase } from './fixtures/registry.js';
import { ENGINES } from './fixtures/registry-app.js';

/** The recorded version: user_version on SQLite, the one row of registry_schema on PostgreSQL. */
async function versions(db: string, pgSchema: string | undefined): Promise<number[]> {
  if (!pgSchema) {
    const s = new Database(db);
    const v = s.pragma('user_version', { simple: true }) as number;
    s.close();
    return [v];
  }
  const c = new pg.Client({ connectionString: db });
  await c.connect();
  const rows = (await c.query<{ version: number }>(`SELECT version FROM ${pgSchema}.registry_schema`)).rows;
  await c.end();
  return rows.map((r) => r.version);
}

async function setVersion(db: string, pgSchema: string | undefined, version: number): Promise<void> {
  if (!pgSchema) {
    const s = new Database(db);
    s.pragma(`user_version = ${version}`);
    s.close();
    return;
  }
  const c = new pg.Client({ connectionString: db });
  await c.connect();
  await c.query(`UPDATE ${pgSchema}.registry_schema SET version = $1`, [version]);
  await c.end();
}

describe.each(ENGINES)('migrations on %s', (engine) => {
  it('migrates an empty database, reopens it, and refuses one newer than the code', async () => {
    const fresh = await freshDatabase(engine);
    const opts = fresh.pgSchema ? { pgSchema: fresh.pgSchema } : {};
    try {
      const first = await openRegistryStore(fresh.db, opts);
      expect(await first.stats()).toMatchObject({ enrollments: 0, kiosks: 0 });
      await first.close();
      expect(await versions(fresh.db, fresh.pgSchema)).toEqual([LATEST_VERSION]);
      const again = await openRegistryStore(fresh.db, opts);
      await again.close();

      await setVersion(fresh.db, fresh.pgSchema, LATEST_VERSION + 1);
      await expect(openRegistryStore(fresh.db, opts)).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW' });
    } finally {
      await fresh.dispose();
    }
  });

  it('lets two servers start on one empty database at once: each migration runs once, one version is recorded', async () => {
    const fresh = await freshDatabase(engine);
    const opts = fresh.pgSchema ? { pgSchema: fresh.pgSchema } : {};
    try {
      const stores = await Promise.all([openRegistryStore(fresh.db, opts), openRegistryStore(fresh.db, opts)]);
      for (const store of stores) expect(await store.stats()).toMatchObject({ enrollments: 0, kiosks: 0 });
      await Promise.all(stores.map((store) => store.close()));
      expect(await versions(fresh.db, fresh.pgSchema)).toEqual([LATEST_VERSION]);
    } finally {
      await fresh.dispose();
    }
  });
});
