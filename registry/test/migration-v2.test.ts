// Registry migration 2 (strong keys) on a version-1 database holding a name-matched profile: the
// rows survive, and the old profile, which has no strong key, is never matched again.
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrationSql } from '../storage/migrations.js';
import { openRegistryStore } from '../store.js';
import { databaseReader, freshDatabase, type TestDatabase } from './fixtures/registry.js';
import { ENGINES } from './fixtures/registry-app.js';

const V1_ROWS = `
INSERT INTO profiles (profile_id, match_key, birth_date, surname, first_names, language, sex, address_json, email, mobile, created_at, updated_at)
  VALUES ('p-old', 'peeters|jan', NULL, 'Peeters', 'Jan', 'nl', NULL, NULL, 'jan@example.be', NULL, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
INSERT INTO enrollments (enrollment_id, profile_id, chain_id, store_id, kiosk_id, source, enrolled_at, utc_offset_minutes, sent_at, received_at, receipt_id)
  VALUES ('e-old', 'p-old', 'chain-a', 'store-1', 'kiosk-a', 'manual', '2024-01-01T00:00:00.000Z', 60, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', 'r-old');
`;

async function createVersion1(fresh: TestDatabase): Promise<void> {
  const [v1] = MIGRATIONS;
  if (!v1 || v1.version !== 1) throw new Error('migration 1 is first');
  if (!fresh.pgSchema) {
    const db = new Database(fresh.db);
    db.exec(migrationSql(v1, 'sqlite') + V1_ROWS);
    db.pragma('user_version = 1');
    db.close();
    return;
  }
  const c = new pg.Client({ connectionString: fresh.db });
  await c.connect();
  try {
    await c.query(`SET search_path TO ${fresh.pgSchema}`);
    await c.query(
      `${migrationSql(v1, 'postgres')}${V1_ROWS}CREATE TABLE registry_schema (version INTEGER NOT NULL); INSERT INTO registry_schema VALUES (1);`,
    );
  } finally {
    await c.end();
  }
}

describe.each(ENGINES)('registry migration 2 on %s', (engine) => {
  it('keeps the rows of version 1 and matches nothing to its keyless profiles', async () => {
    const fresh = await freshDatabase(engine);
    try {
      await createVersion1(fresh);
      const store = await openRegistryStore(fresh.db, {
        matchSecret: fresh.matchSecret,
        ...(fresh.pgSchema ? { pgSchema: fresh.pgSchema } : {}),
      });
      const reader = databaseReader(fresh);
      try {
        expect(await store.stats()).toMatchObject({ profiles: 1, enrollments: 1 });
        expect(await reader.profileIdsOf(['e-old'])).toEqual(new Map([['e-old', 'p-old']]));
        const kiosk = { kioskId: 'kiosk-a', chainId: 'chain-a', storeId: 'store-1' };
        const who = { surname: 'Peeters', firstNames: 'Jan', email: 'jan@example.be' };
        await expect(store.lookupConsents(kiosk, who)).rejects.toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
        expect(await store.purge(new Date('2024-06-01T00:00:00.000Z'))).toMatchObject({ erased: 0, 'consent-proof': 0 });
        expect(await store.purge(new Date('2026-06-01T00:00:00.000Z'))).toMatchObject({ erased: 1, 'consent-proof': 0 });
      } finally {
        await reader.close();
        await store.close();
      }
    } finally {
      await fresh.dispose();
    }
  });
});
