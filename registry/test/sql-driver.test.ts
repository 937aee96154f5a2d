// The held writes of the PostgreSQL driver (`exec`, sent together as one statement): what follows
// in the unit sees them, and their failure is the unit's, at the savepoint that holds them.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresDriver } from '../storage/postgres.js';
import { all, exec, get, parallel, savepoint, type SqlDriver } from '../storage/sql.js';
import { openSqliteDriver, REGISTRY_PAGE_SIZE } from '../storage/sqlite.js';
import { freshDatabase, type TestDatabase } from './fixtures/registry.js';
import { ENGINES } from './fixtures/registry-app.js';

const kiosk = (id: string) =>
  exec(`INSERT INTO kiosks (kiosk_id, chain_id, store_id, token_hash, provisioned_at) VALUES (?, 'c', 's', ?, 't')`, id, `hash-${id}`);
const count = () => get<{ n: number | string }>('SELECT COUNT(*) AS n FROM kiosks');

describe.each(ENGINES)('held writes on %s', (engine) => {
  let fresh: TestDatabase;
  let driver: SqlDriver;
  beforeEach(async () => {
    fresh = await freshDatabase(engine);
    driver = engine === 'sqlite' ? openSqliteDriver(fresh.db) : await openPostgresDriver(fresh.db, { schema: fresh.pgSchema! });
  });
  afterEach(async () => {
    await driver.close();
    await fresh.dispose();
  });

  it('are seen by what follows them in the unit', async () => {
    const seen = await driver.write(function* () {
      yield* kiosk('a');
      yield* kiosk('b');
      yield* kiosk('c');
      return Number((yield* count())?.n);
    });
    expect(seen).toBe(3);
  });

  it('answers reads run side by side (parallel) each with its own rows, as if run in turn', async () => {
    await driver.write(function* () {
      yield* kiosk('a');
      yield* kiosk('b');
    });
    const ids = function* (after: string) {
      return (yield* all<{ kiosk_id: string }>('SELECT kiosk_id FROM kiosks WHERE kiosk_id > ? ORDER BY kiosk_id', after)).map(
        (r) => r.kiosk_id,
      );
    };
    const [n, none, some, one] = await driver.read(() =>
      parallel(count(), ids('z'), ids(''), get<{ token_hash: string }>('SELECT token_hash FROM kiosks WHERE kiosk_id = ?', 'b')),
    );
    expect([Number(n?.n), none, some, one]).toEqual([2, [], ['a', 'b'], { token_hash: 'hash-b' }]);
  });

  it('fail in the savepoint that holds them, leaving the rest of the unit', async () => {
    const outcome = await driver.write(function* () {
      yield* kiosk('a');
      const twice = yield* savepoint(function* () {
        yield* kiosk('b');
        yield* kiosk('b');
      });
      yield* kiosk('c');
      return { ok: twice.ok, n: Number((yield* count())?.n) };
    });
    expect(outcome).toEqual({ ok: false, n: 2 });
    expect(Number((await driver.read(count))?.n)).toBe(2);
  });
});

describe('the SQLite engine', () => {
  const pragma = (db: string, name: string): unknown => {
    const conn = new Database(db, { readonly: true });
    try {
      return conn.pragma(name, { simple: true });
    } finally {
      conn.close();
    }
  };

  it('makes a new database with 16 KB pages and checkpoints every 32 MB of WAL', async () => {
    const fresh = await freshDatabase('sqlite');
    try {
      const driver = openSqliteDriver(fresh.db);
      const walPages = await driver.read(function* () {
        return (yield* get<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint'))?.wal_autocheckpoint;
      });
      await driver.close();
      expect(pragma(fresh.db, 'page_size')).toBe(REGISTRY_PAGE_SIZE);
      expect(walPages).toBe((32 * 1024 * 1024) / REGISTRY_PAGE_SIZE);
    } finally {
      await fresh.dispose();
    }
  });

  it('keeps the page size of a database made before (WAL cannot change it)', async () => {
    const fresh = await freshDatabase('sqlite');
    try {
      const old = new Database(fresh.db);
      old.pragma('journal_mode = WAL');
      old.exec('CREATE TABLE before_16k (x)');
      old.close();
      const driver = openSqliteDriver(fresh.db);
      await driver.write(() => kiosk('a'));
      expect(await driver.read(count)).toEqual({ n: 1 });
      await driver.close();
      expect(pragma(fresh.db, 'page_size')).toBe(4096);
    } finally {
      await fresh.dispose();
    }
  });
});
