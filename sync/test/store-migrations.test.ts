import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { createFieldCipher } from '../store/cipher.js';
import { commitConsentEvent, commitEnrollment } from '../store/commit.js';
import { migrate, schemaVersion } from '../store/migrate.js';
import { MIGRATIONS, type Migration } from '../store/migrations/index.js';
import { openDatabase, type Store } from '../store/open.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { readSyncStatus, recordSyncAttempt } from '../store/sync-status.js';
import { at, consentRecord, enrollmentPayload, idGenerator, newKey, openTestStore, silent, T0, tempDir } from './store-fixtures.js';

const LATEST = MIGRATIONS.length;
let dir: { dir: string; cleanup: () => void };
let path: string;
let key: Buffer;

beforeEach(() => {
  dir = tempDir();
  path = join(dir.dir, 'kiosk.db');
  key = newKey();
});
afterEach(() => dir.cleanup());

const tables = (store: { db: Store['db'] }): string[] =>
  (store.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );

/** A store at schema version k, written the way that version's code wrote. */
function storeAtVersion(k: number): Store {
  const db = openDatabase(path);
  migrate(db, MIGRATIONS.slice(0, k));
  return { db, cipher: createFieldCipher(key), newId: idGenerator(9), log: silent, close: () => db.close() };
}

/** Version 1 had no receipts table: an acknowledgement filled the consent records' sync fields and purged. */
function acknowledgeAsVersion1(store: Store, idempotencyKey: string, enrollmentId: string): void {
  store.db.prepare(`UPDATE consent_records SET acknowledged_at = ?, registry_receipt_id = 'R-old', registry_received_at = ? WHERE idempotency_key = ?`).run(
    at(5).toISOString(),
    at(4).toISOString(),
    idempotencyKey,
  );
  store.db.prepare(`UPDATE outbox SET state = 'acknowledged', payload = NULL WHERE idempotency_key = ?`).run(idempotencyKey);
  store.db.prepare(`UPDATE enrollments SET surname = NULL, first_names = NULL, language = NULL, address = NULL, email = NULL, mobile = NULL, purged_at = ? WHERE id = ?`).run(
    at(5).toISOString(),
    enrollmentId,
  );
}

/** Before version 4 the person was also sealed column by column in enrollments. */
function sealPersonColumnsAsBefore4(store: Store, enrollmentId: string): void {
  const seal = (column: string, value: string) => store.cipher.seal(JSON.stringify(value), `enrollments/${enrollmentId}/${column}`);
  store.db.prepare('UPDATE enrollments SET surname = ?, first_names = ? WHERE id = ?').run(seal('surname', 'Peeters'), seal('first_names', 'Jan'), enrollmentId);
}

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST).toBeGreaterThanOrEqual(3);
  });

  it('build the latest schema from an empty database', () => {
    const store = openTestStore(path, key);
    expect(schemaVersion(store.db)).toBe(LATEST);
    expect(tables(store)).toEqual(['consent_records', 'enrollments', 'kiosk_sequence', 'outbox', 'receipts', 'store_meta', 'sync_status']);
    store.close();
  });

  for (let k = 1; k < LATEST; k++) {
    it(`upgrade a database at version ${k} and keep its rows`, () => {
      const ids = idGenerator(2);
      const old = storeAtVersion(k);
      expect(schemaVersion(old.db)).toBe(k);
      const done = commitEnrollment(old, { payload: enrollmentPayload(ids), policy: DEFAULT_POLICY }, T0);
      const pendingPayload = enrollmentPayload(ids, undefined, at(1));
      const pending = commitEnrollment(old, { payload: pendingPayload, policy: DEFAULT_POLICY }, at(1));
      if (k < 4) sealPersonColumnsAsBefore4(old, pending.enrollmentId);
      const withdrawal = commitConsentEvent(old, consentRecord(done.enrollmentId, 'chain', ids(), { type: 'withdrawn', status: 'withdrawn', at: at(2) }), at(2));
      if (k === 1) acknowledgeAsVersion1(old, done.idempotencyKey, done.enrollmentId);
      else {
        new SqliteOutbox(old).claimDue(T0, 1);
        new SqliteOutbox(old).applyResults(
          [{ idempotencyKey: done.idempotencyKey, status: 'accepted', statusCode: 201, receiptId: 'R-old', receivedAt: at(4).toISOString() }],
          at(5),
        );
      }
      old.close();

      const store = openTestStore(path, key, { newId: idGenerator(7) });
      expect(schemaVersion(store.db)).toBe(LATEST);
      const outbox = new SqliteOutbox(store);
      const items = outbox.claimDue(at(10), 10);
      expect(items.map((i) => i.idempotencyKey)).toEqual([pending.idempotencyKey, withdrawal.idempotencyKey]);
      expect(items[0]?.kind === 'enrollment' && items[0].payload.person.surname).toBe('Peeters');
      // the copy in the enrollment columns is gone (the payload keeps the one copy) and stays gone
      expect(store.db.prepare('SELECT count(*) AS n FROM enrollments WHERE surname IS NOT NULL OR first_names IS NOT NULL').get()).toEqual({ n: 0 });
      expect(() => store.db.prepare(`UPDATE enrollments SET surname = x'01'`).run()).toThrow(/CHECK/);
      expect(store.db.prepare('SELECT count(*) AS n FROM consent_records').get()).toEqual({ n: 5 });
      expect(store.db.prepare('SELECT idempotency_key, outcome, registry_receipt_id, closed_at FROM receipts').all()).toEqual([
        { idempotency_key: done.idempotencyKey, outcome: 'accepted', registry_receipt_id: 'R-old', closed_at: at(5).toISOString() },
      ]);
      const notices = JSON.parse((store.db.prepare('SELECT notices FROM receipts').get() as { notices: string }).notices) as unknown[];
      expect(notices).toHaveLength(2);
      expect(notices[0]).toEqual({
        party: 'chain',
        statementId: 'demo-retail-loyalty',
        version: '1',
        language: 'nl',
        eventType: 'given',
        purposes: [{ id: 'loyalty-account', status: 'given' }, { id: 'offers-email', status: 'given' }],
      });
      // the schema is usable as the latest code expects: sequence continues, sync status records
      expect(commitEnrollment(store, { payload: enrollmentPayload(ids), policy: DEFAULT_POLICY }, at(20)).sequence).toBe(4);
      recordSyncAttempt(store.db, { at: at(21), ok: true });
      expect(readSyncStatus(store.db)?.lastSuccessAt).toEqual(at(21));
      store.close();
    });
  }

  it('refuse a database newer than the code', () => {
    openTestStore(path, key).close();
    const db = openDatabase(path);
    db.pragma(`user_version = ${LATEST + 1}`);
    db.close();
    expect(() => openTestStore(path, key)).toThrow(expect.objectContaining({ code: 'DB_NEWER_THAN_CODE' }));
    const again = openDatabase(path);
    expect(() => migrate(again, MIGRATIONS.slice(0, LATEST - 1))).toThrow(expect.objectContaining({ code: 'DB_NEWER_THAN_CODE' }));
    expect(schemaVersion(again)).toBe(LATEST + 1);
    again.close();
  });

  it('roll a failing migration back whole and leave the version where it was', () => {
    const broken: Migration = {
      version: LATEST + 1,
      name: 'broken',
      up: (db) => db.exec('CREATE TABLE half_done (a INTEGER); INSERT INTO no_such_table VALUES (1);'),
    };
    const db = openDatabase(path);
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(expect.objectContaining({ code: 'MIGRATION_FAILED' }));
    expect(schemaVersion(db)).toBe(LATEST);
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half_done'`).get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuse a list with a gap', () => {
    const db = openDatabase(path);
    expect(() => migrate(db, [MIGRATIONS[0]!, MIGRATIONS[2]!])).toThrow(expect.objectContaining({ code: 'BAD_MIGRATIONS' }));
    expect(schemaVersion(db)).toBe(0);
    db.close();
  });
});
