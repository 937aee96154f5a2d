import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../storage/migrations.js';
import { openRegistryStore } from '../store.js';
import { freshDatabase } from '../testing.js';
import { ENGINES } from './helper.js';

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
      const again = await openRegistryStore(fresh.db, opts);
      await again.close();

      await setVersion(fresh.db, fresh.pgSchema, LATEST_VERSION + 1);
      await expect(openRegistryStore(fresh.db, opts)).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW' });
    } finally {
      await fresh.dispose();
    }
  });
});
