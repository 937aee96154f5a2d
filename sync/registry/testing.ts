// Helpers for tests that need a real registry on loopback (this part's and the sync client's):
// a fresh database per registry (a temp SQLite file, or a new PostgreSQL schema dropped on close).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StatementCatalog } from '../consent/statements.js';
import type { RegistryStats } from '../wire/registry-api.js';
import type { TlsMaterial } from './app.js';
import { provisionKiosk } from './provisioning.js';
import { serve } from './server.js';
import { openRegistryStore, type EnrollmentTimes, type RegistryStore } from './store.js';

export type TestEngine = 'sqlite' | 'postgres';

export const DEFAULT_PG_TEST_URL = 'postgres://kiosk:kiosk@127.0.0.1:5432/kiosk_test';
export const pgTestUrl = (): string => process.env.PG_TEST_URL ?? DEFAULT_PG_TEST_URL;

export interface TestDatabase {
  /** What to pass as `db`: a SQLite path or the PostgreSQL URL. */
  db: string;
  /** PostgreSQL only: the fresh schema. */
  pgSchema?: string;
  /** A matching secret made for this database. */
  matchSecret: Buffer;
  dispose(): Promise<void>;
}

/** A fresh, empty database; PostgreSQL unreachable fails here (never skipped). */
export async function freshDatabase(engine: TestEngine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'registry-'));
    return {
      db: join(dir, 'registry.db'),
      matchSecret: randomBytes(32),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = pgTestUrl();
  const schema = `reg_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  return {
    db: url,
    pgSchema: schema,
    matchSecret: randomBytes(32),
    dispose: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A store on a fresh database; dispose closes it and drops the database. */
export async function freshStore(engine: TestEngine, newId?: () => string): Promise<{ store: RegistryStore; dispose(): Promise<void> }> {
  const fresh = await freshDatabase(engine);
  const store = await openRegistryStore(fresh.db, {
    matchSecret: fresh.matchSecret,
    ...(fresh.pgSchema ? { pgSchema: fresh.pgSchema } : {}),
    ...(newId ? { newId } : {}),
  });
  return {
    store,
    dispose: async () => {
      await store.close();
      await fresh.dispose();
    },
  };
}

export interface StartRegistryOptions {
  db: TestEngine;
  /** Serve HTTPS with this certificate (makeLoopbackPki in sync/test/fixtures/tls.ts); plain HTTP on 127.0.0.1 otherwise. */
  tls?: TlsMaterial;
  /** The registry's clock; the real one by default. */
  now?: () => Date;
  /** The published statements; resources/consent by default. */
  statements?: StatementCatalog;
}

export interface TestRegistry {
  /** http://127.0.0.1:PORT or https://127.0.0.1:PORT, no trailing slash. */
  url: string;
  store: RegistryStore;
  /** Provisions (or re-provisions) a kiosk bound to this chain and store; returns its bearer token. */
  provisionKiosk(kioskId: string, chainId: string, storeId: string): Promise<string>;
  revokeKiosk(kioskId: string): Promise<void>;
  stats(): Promise<RegistryStats>;
  /** Every enrollment stored, by id, with both clocks: the ground truth for "every item exactly once". */
  enrollments(): Promise<EnrollmentTimes[]>;
  /** Stops the server and drops its database. */
  close(): Promise<void>;
}

export async function startRegistry(opts: StartRegistryOptions): Promise<TestRegistry> {
  const fresh = await freshDatabase(opts.db);
  const now = opts.now ?? (() => new Date());
  const running = await serve({
    port: 0,
    host: '127.0.0.1',
    db: fresh.db,
    matchSecret: fresh.matchSecret,
    now,
    ...(opts.statements ? { statements: opts.statements } : {}),
    ...(fresh.pgSchema ? { pgSchema: fresh.pgSchema } : {}),
    ...(opts.tls ? { tls: opts.tls } : {}),
  }).catch(async (e: unknown) => {
    await fresh.dispose();
    throw e;
  });
  return {
    url: running.url,
    store: running.store,
    provisionKiosk: (kioskId, chainId, storeId) => provisionKiosk(running.store, { kioskId, chainId, storeId }, now()),
    revokeKiosk: async (kioskId) => {
      await running.store.revokeKiosk(kioskId, now());
    },
    stats: () => running.store.stats(),
    enrollments: () => running.store.enrollmentTimes(),
    close: async () => {
      await running.close();
      await fresh.dispose();
    },
  };
}
