// The one migration runner on real SQLite files: order, one transaction per migration, the refusals
// named in the caller's own errors, and an up-to-date database opened without the write lock.
import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/fixtures/store.js';
import { migrateAsync, migrateSync, userVersion, userVersionSchema, type Migration, type MigrationErrors } from './migrate.js';
import { openSqlite } from './sqlite.js';

interface SqlMigration extends Migration {
  readonly sql: string;
}

class Refused extends Error {
  constructor(
    readonly code: 'NEWER' | 'BAD_LIST' | 'FAILED',
    detail: string,
    cause?: unknown,
  ) {
    super(detail, { cause });
  }
}

const ERRORS: MigrationErrors = {
  newer: (database, code) => new Refused('NEWER', `${database} > ${code}`),
  badList: (detail) => new Refused('BAD_LIST', detail),
  failed: (cause, m) => (m ? new Refused('FAILED', `${m.version}-${m.name}`, cause) : cause),
};

const LIST: readonly SqlMigration[] = [
  { version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER)' },
  { version: 2, name: 'b', sql: 'CREATE TABLE b (x INTEGER)' },
  { version: 3, name: 'c', sql: 'CREATE TABLE c (x INTEGER)' },
];
const BROKEN: SqlMigration = { version: 3, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); INSERT INTO missing VALUES (1)' };

let dir: { dir: string; cleanup: () => void };
let db: Database;
const applied: string[] = [];

const schema = (on: Database = db) =>
  userVersionSchema(on, (m: SqlMigration) => {
    applied.push(m.name);
    on.exec(m.sql);
  });
const tables = (): string[] => db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all() as string[];

beforeEach(() => {
  dir = tempDir();
  db = openSqlite(join(dir.dir, 'm.db'));
  applied.length = 0;
});
afterEach(() => {
  db.close();
  dir.cleanup();
});

describe('the migration runner', () => {
  it('applies the missing migrations in order and reports the versions', () => {
    expect(migrateSync(LIST.slice(0, 1), schema(), ERRORS)).toEqual({ from: 0, to: 1 });
    expect(migrateSync(LIST, schema(), ERRORS)).toEqual({ from: 1, to: 3 });
    expect(migrateSync(LIST, schema(), ERRORS)).toEqual({ from: 3, to: 3 });
    expect(applied).toEqual(['a', 'b', 'c']);
    expect(userVersion(db)).toBe(3);
  });

  it('keeps every migration applied before a failing one, and none of the failing one', () => {
    expect(() => migrateSync([...LIST.slice(0, 2), BROKEN], schema(), ERRORS)).toThrow(
      expect.objectContaining({ code: 'FAILED', message: '3-broken' }),
    );
    expect(userVersion(db)).toBe(2);
    expect(tables()).toEqual(['a', 'b']);
    expect(migrateSync(LIST, schema(), ERRORS)).toEqual({ from: 2, to: 3 });
  });

  it('refuses a database newer than the code and leaves it untouched', () => {
    migrateSync(LIST, schema(), ERRORS);
    expect(() => migrateSync(LIST.slice(0, 2), schema(), ERRORS)).toThrow(expect.objectContaining({ code: 'NEWER', message: '3 > 2' }));
    expect(userVersion(db)).toBe(3);
  });

  it.each([
    ['a gap', [LIST[0]!, LIST[2]!]],
    ['a duplicate', [LIST[0]!, LIST[0]!, LIST[1]!]],
    ['a list out of order', [LIST[1]!, LIST[0]!]],
    ['a list not starting at 1', [LIST[1]!]],
  ])('refuses %s before touching the database', (_, list) => {
    expect(() => migrateSync(list, schema(), ERRORS)).toThrow(expect.objectContaining({ code: 'BAD_LIST' }));
    expect(userVersion(db)).toBe(0);
    expect(applied).toEqual([]);
  });

  it('opens an up-to-date database without the write lock another connection holds', () => {
    migrateSync(LIST, schema(), ERRORS);
    const writer = openSqlite(join(dir.dir, 'm.db'));
    const reader = openSqlite(join(dir.dir, 'm.db'), { busyTimeoutMs: 0 });
    try {
      writer.exec('BEGIN IMMEDIATE');
      expect(migrateSync(LIST, schema(reader), ERRORS)).toEqual({ from: 3, to: 3 });
      // With work to do it needs the lock: the migration fails to start, the driver's error its cause.
      expect(() => migrateSync([...LIST, { version: 4, name: 'd', sql: 'CREATE TABLE d (x)' }], schema(reader), ERRORS)).toThrow(
        expect.objectContaining({ code: 'FAILED', message: '4-d', cause: expect.objectContaining({ code: 'SQLITE_BUSY' }) }),
      );
      expect(applied).toEqual(['a', 'b', 'c']);
      writer.exec('ROLLBACK');
    } finally {
      reader.close();
      writer.close();
    }
  });

  it('runs the same way on an asynchronous engine', async () => {
    const sync = schema();
    const asyncSchema = { step: async (choose: (current: number) => SqlMigration | undefined) => sync.step(choose) };
    await expect(migrateAsync([...LIST.slice(0, 2), BROKEN], asyncSchema, ERRORS)).rejects.toMatchObject({
      code: 'FAILED',
      message: '3-broken',
    });
    expect(userVersion(db)).toBe(2);
    expect(await migrateAsync(LIST, asyncSchema, ERRORS)).toEqual({ from: 2, to: 3 });
    await expect(migrateAsync(LIST.slice(0, 1), asyncSchema, ERRORS)).rejects.toMatchObject({ code: 'NEWER' });
  });
});
