// The held writes of the PostgreSQL driver (`exec`, sent together as one statement): what follows
// in the unit sees them, and their failure is the unit's, at the savepoint that holds them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresDriver } from '../storage/postgres.js';
import { all, exec, get, parallel, savepoint, type SqlDriver } from '../storage/sql.js';
import { openSqliteDriver } from '../storage/sqlite.js';
import { freshDatabase, type TestDatabase } from '../../test/fixtures/registry.js';
import { ENGINES } from '../../test/fixtures/registry-app.js';

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
