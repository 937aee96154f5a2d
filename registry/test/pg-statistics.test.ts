// A registry growing fast on PostgreSQL keeps its planner statistics current (storage/pg-statistics.ts).
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { canonicalHash } from '../canonical.js';
import { openRegistryStore } from '../store.js';
import { makeWireItem } from '../../sync/test/fixtures/payloads.js';
import { freshDatabase, pgTestUrl } from './fixtures/registry.js';

describe('PostgreSQL statistics', () => {
  it('are taken by the registry itself once a thousand items were written', async () => {
    const fresh = await freshDatabase('postgres');
    const client = new pg.Client({ connectionString: pgTestUrl() });
    await client.connect();
    try {
      const store = await openRegistryStore(fresh.db, { matchSecret: fresh.matchSecret, pgSchema: fresh.pgSchema! });
      const kiosk = { kioskId: 'kiosk-1', chainId: 'chain-1', storeId: 'store-1' };
      const at = new Date().toISOString();
      await Promise.all(
        Array.from({ length: 100 }, (_, b) =>
          store.applyItems(
            { kiosk, sentAt: at, receivedAt: at },
            Array.from({ length: 10 }, (_, i) => {
              const item = { ...makeWireItem(b * 10 + i, kiosk), sequence: b * 10 + i + 1 };
              return { item, payloadHash: canonicalHash(item) };
            }),
          ),
        ),
      );
      await store.close(); // after the analysis; its connections' statistics are flushed as they end
      const analyzed = async () =>
        (
          await client.query<{ relname: string; analyze_count: string }>(
            'SELECT relname, analyze_count FROM pg_stat_user_tables WHERE schemaname = $1 ORDER BY relname',
            [fresh.pgSchema],
          )
        ).rows
          .filter((r) => Number(r.analyze_count) > 0)
          .map((r) => r.relname);
      await expect
        .poll(analyzed, { timeout: 5_000 })
        .toEqual(['consent_records', 'enrollments', 'idempotency_keys', 'profile_keys', 'profiles']);
    } finally {
      await client.end();
      await fresh.dispose();
    }
  });
});
