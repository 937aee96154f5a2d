import { openSigningKey } from '../store/signing-key.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WITHDRAWAL_CODE } from '../wire/withdrawal-code.js';
import { join } from 'node:path';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { createFieldCipher } from '../store/cipher.js';
import { commitEnrollment } from '../store/commit.js';
import { migrate, schemaVersion } from '../store/migrate.js';
import { MIGRATIONS, type Migration } from '../store/migrations/index.js';
import { openDatabase, type Store } from '../store/open.js';
import { applyPolicy, DEFAULT_POLICY } from '../store/policy.js';
import { exportConsentReceiptsCsv, listFailed } from '../manager/operations.js';
import type { ConsentRecord, EnrollmentPayload, WireItem } from '../wire/schemas.js';
import { readSyncStatus, recordSyncAttempt } from '../store/sync-status.js';
import { at, enrollmentPayload, idGenerator, standInConsentRecord, T0 } from './fixtures/payloads.js';
import { receiptSummaryOf } from './fixtures/receipt-summary.js';
import { newKey, openTestStore, silent, tempDir } from './fixtures/store.js';

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

const names = (store: { db: Store['db'] }, type: 'table' | 'view'): string[] =>
  store.db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all(type) as string[];

/** A store at schema version k. The current code writes version-5 rows only, so the rows of an older
 *  version are written by `writeAsVersion`, the way that version's code wrote them. */
function storeAtVersion(k: number): Store {
  const db = openDatabase(path);
  migrate(db, MIGRATIONS.slice(0, k));
  const cipher = createFieldCipher(key);
  return { db, cipher, newId: idGenerator(9), log: silent, signingKey: openSigningKey(db, cipher), close: () => db.close() };
}

/** Versions 1-4: an enrollment row, one consent_records row per record, the outbox row with the item
 *  sealed (whole until version 3; version 4 left the consent records out) and the sequence counter. */
function writeAsVersion(
  store: Store,
  k: number,
  kind: 'enrollment' | 'consent-event',
  payload: EnrollmentPayload | ConsentRecord,
  now: Date,
): {
  idempotencyKey: string;
  sequence: number;
  subjectRef: string;
} {
  const { db } = store;
  const createdAt = now.toISOString();
  const idempotencyKey = store.newId();
  const sequence = (db.prepare('UPDATE kiosk_sequence SET value = value + 1 WHERE id = 1 RETURNING value').get() as { value: number })
    .value;
  let item: WireItem;
  let records: ConsentRecord[];
  if (kind === 'enrollment') {
    const p = { ...(payload as EnrollmentPayload), person: applyPolicy((payload as EnrollmentPayload).person, DEFAULT_POLICY) };
    const v = p.eidVerification!;
    db.prepare(
      `INSERT INTO enrollments (id, chain_id, store_id, kiosk_id, source, enrolled_at, utc_offset_minutes, eid_identity_ok, eid_address_ok,
         eid_photo_ok, eid_chain_ok, eid_card_valid_until, committed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      p.enrollmentId,
      p.chainId,
      p.storeId,
      p.kioskId,
      p.source,
      p.enrolledAt,
      p.utcOffsetMinutes,
      +v.identity,
      +v.address,
      +v.photo,
      +v.chain,
      v.cardValidUntil ?? null,
      createdAt,
    );
    item = { kind, idempotencyKey, sequence, createdAt, payload: p };
    records = p.consents;
  } else {
    item = { kind, idempotencyKey, sequence, createdAt, payload: { consent: payload as ConsentRecord } };
    records = [payload as ConsentRecord];
  }
  for (const r of records) {
    db.prepare(
      `INSERT INTO consent_records (record_id, subject_ref, party, controller_id, statement_id, statement_version, statement_language,
         text_sha256, event_type, event_at, method, store_id, kiosk_id, purposes, evidence, record, idempotency_key, queued_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      r.recordId,
      r.subjectRef,
      r.party,
      r.controller.id,
      r.notice.statementId,
      r.notice.version,
      r.notice.language,
      r.notice.textSha256,
      r.event.type,
      r.event.at,
      r.event.method,
      r.event.storeId,
      r.event.kioskId,
      JSON.stringify(r.purposes),
      JSON.stringify(r.evidence),
      JSON.stringify(r),
      idempotencyKey,
      createdAt,
    );
  }
  const sealed = k >= 4 && item.kind === 'enrollment' ? { ...item, payload: { ...item.payload, consents: undefined } } : item;
  const subjectRef = kind === 'enrollment' ? (payload as EnrollmentPayload).enrollmentId : (payload as ConsentRecord).subjectRef;
  db.prepare(
    `INSERT INTO outbox (idempotency_key, sequence, kind, subject_ref, enrollment_id, created_at, next_attempt_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    idempotencyKey,
    sequence,
    kind,
    subjectRef,
    kind === 'enrollment' ? subjectRef : null,
    createdAt,
    createdAt,
    store.cipher.seal(JSON.stringify(sealed), `outbox/${idempotencyKey}/payload`),
  );
  return { idempotencyKey, sequence, subjectRef };
}

/** An item leaving the outbox as versions 1-4 did: version 1 only filled the consent records' sync
 *  fields; versions 2-4 also wrote a receipt, and deleted a discarded item's outbox row. */
function closeAsVersion(
  store: Store,
  k: number,
  idempotencyKey: string,
  enrollmentId: string,
  outcome: 'accepted' | 'discarded',
  now: Date,
): void {
  const { db } = store;
  const closedAt = now.toISOString();
  if (outcome === 'accepted') {
    db.prepare(
      `UPDATE consent_records SET acknowledged_at = ?, registry_receipt_id = 'R-old', registry_received_at = ? WHERE idempotency_key = ?`,
    ).run(closedAt, at(4).toISOString(), idempotencyKey);
  }
  if (k >= 2) {
    const notices = (
      db
        .prepare(`SELECT record FROM consent_records WHERE idempotency_key = ? ORDER BY party, record_id`)
        .pluck()
        .all(idempotencyKey) as string[]
    )
      .map((text) => JSON.parse(text) as ConsentRecord)
      .map((r) => ({
        party: r.party,
        statementId: r.notice.statementId,
        version: r.notice.version,
        language: r.notice.language,
        eventType: r.event.type,
        purposes: r.purposes.map(({ id, status }) => ({ id, status })),
      }));
    db.prepare(
      `INSERT INTO receipts (idempotency_key, sequence, kind, subject_ref, outcome, notices, created_at, closed_at, registry_receipt_id, registry_received_at, reason)
       SELECT idempotency_key, sequence, kind, subject_ref, ?, ?, created_at, ?, ?, ?, reason_code FROM outbox WHERE idempotency_key = ?`,
    ).run(
      outcome,
      JSON.stringify(notices),
      closedAt,
      outcome === 'accepted' ? 'R-old' : null,
      outcome === 'accepted' ? at(4).toISOString() : null,
      idempotencyKey,
    );
  }
  db.prepare('UPDATE enrollments SET purged_at = ? WHERE id = ?').run(closedAt, enrollmentId);
  if (outcome === 'discarded') db.prepare('DELETE FROM outbox WHERE idempotency_key = ?').run(idempotencyKey);
  else db.prepare(`UPDATE outbox SET state = 'acknowledged', payload = NULL WHERE idempotency_key = ?`).run(idempotencyKey);
}

/** Before version 4 the person was also sealed column by column in enrollments. */
function sealPersonColumnsAsBefore4(store: Store, enrollmentId: string): void {
  const seal = (column: string, value: string) => store.cipher.seal(JSON.stringify(value), `enrollments/${enrollmentId}/${column}`);
  store.db
    .prepare('UPDATE enrollments SET surname = ?, first_names = ? WHERE id = ?')
    .run(seal('surname', 'Peeters'), seal('first_names', 'Jan'), enrollmentId);
}

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST).toBeGreaterThanOrEqual(5);
  });

  it('build the latest schema from an empty database', () => {
    const store = openTestStore(path, key);
    expect(schemaVersion(store.db)).toBe(LATEST);
    expect(names(store, 'table')).toEqual(['outbox', 'store_meta', 'sync_status']);
    expect(names(store, 'view')).toEqual(['consent_records', 'enrollments', 'receipts']);
    store.close();
  });

  // writeAsVersion writes rows as versions 1-4 did; a version-5 row is today's without a withdrawal code (registry-match.test.ts).
  for (let k = 1; k < 5; k++) {
    it(`upgrade a database at version ${k} and keep its rows`, () => {
      const ids = idGenerator(2);
      const old = storeAtVersion(k);
      expect(schemaVersion(old.db)).toBe(k);
      const write = (kind: 'enrollment' | 'consent-event', payload: EnrollmentPayload | ConsentRecord, when: Date) =>
        old.db.transaction(() => writeAsVersion(old, k, kind, payload, when)).immediate();
      const done = write('enrollment', enrollmentPayload(ids), T0);
      const pending = write('enrollment', enrollmentPayload(ids, undefined, at(1)), at(1));
      if (k < 4) sealPersonColumnsAsBefore4(old, pending.subjectRef);
      const withdrawal = write(
        'consent-event',
        standInConsentRecord(done.subjectRef, 'chain', ids(), { type: 'withdrawn', status: 'withdrawn', at: at(2) }),
        at(2),
      );
      const sending = write('enrollment', enrollmentPayload(ids, undefined, at(3)), at(3));
      old.db.prepare(`UPDATE outbox SET state = 'sending', attempts = 2 WHERE idempotency_key = ?`).run(sending.idempotencyKey);
      const dead = write('enrollment', enrollmentPayload(ids, undefined, at(3)), at(3));
      old.db
        .prepare(
          `UPDATE outbox SET state = 'dead-letter', reason_code = 'unknown-statement', last_error = 'unknown' WHERE idempotency_key = ?`,
        )
        .run(dead.idempotencyKey);
      closeAsVersion(old, k, done.idempotencyKey, done.subjectRef, 'accepted', at(5));
      // version 1 had no discard: the manager's discard came with the receipts
      const discarded = k >= 2 ? write('enrollment', enrollmentPayload(ids, undefined, at(3)), at(3)) : undefined;
      if (discarded) {
        old.db
          .prepare(`UPDATE outbox SET state = 'dead-letter', reason_code = 'CONFLICT' WHERE idempotency_key = ?`)
          .run(discarded.idempotencyKey);
        closeAsVersion(old, k, discarded.idempotencyKey, discarded.subjectRef, 'discarded', at(6));
      }
      old.close();

      const store = openTestStore(path, key, { newId: idGenerator(7) });
      expect(schemaVersion(store.db)).toBe(LATEST);
      expect(names(store, 'table')).toEqual(['outbox', 'store_meta', 'sync_status']);
      // every item keeps its sequence and state; the one left sending is pending again after the open
      expect(store.db.prepare('SELECT sequence, idempotency_key AS key, state, outcome FROM outbox ORDER BY sequence').all()).toEqual([
        { sequence: 1, key: done.idempotencyKey, state: 'acknowledged', outcome: 'accepted' },
        { sequence: 2, key: pending.idempotencyKey, state: 'pending', outcome: null },
        { sequence: 3, key: withdrawal.idempotencyKey, state: 'pending', outcome: null },
        { sequence: 4, key: sending.idempotencyKey, state: 'pending', outcome: null },
        { sequence: 5, key: dead.idempotencyKey, state: 'dead-letter', outcome: null },
        ...(discarded ? [{ sequence: 6, key: discarded.idempotencyKey, state: 'discarded', outcome: 'discarded' }] : []),
      ]);
      expect(listFailed(store)).toEqual([
        expect.objectContaining({ idempotencyKey: dead.idempotencyKey, reasonCode: 'UNKNOWN_STATEMENT', initials: 'J. P.' }),
      ]);
      const outbox = new SqliteOutbox(store);
      const items = outbox.claimDue(at(10), 10);
      expect(items.map((i) => i.idempotencyKey)).toEqual([pending.idempotencyKey, withdrawal.idempotencyKey, sending.idempotencyKey]);
      expect(items[0]?.kind === 'enrollment' && items[0].payload.person.surname).toBe('Peeters');
      expect(items[0]?.kind === 'enrollment' && items[0].payload.consents.map((c) => c.party)).toEqual(['chain', 'registry']);
      expect(items[1]).toMatchObject({
        kind: 'consent-event',
        sequence: 3,
        payload: { consent: { subjectRef: done.subjectRef, event: { type: 'withdrawn' } } },
      });
      // the sealed payloads came over as they were: only the closed items lost theirs
      expect(store.db.prepare('SELECT sequence FROM outbox WHERE payload IS NULL ORDER BY sequence').pluck().all()).toEqual(
        discarded ? [1, 6] : [1],
      );
      expect(store.db.prepare('SELECT count(*) AS n FROM consent_records').get()).toEqual({ n: discarded ? 11 : 9 });
      expect(store.db.prepare('SELECT id, purged_at FROM enrollments WHERE purged_at IS NOT NULL ORDER BY id').all()).toEqual([
        { id: done.subjectRef, purged_at: at(5).toISOString() },
        ...(discarded ? [{ id: discarded.subjectRef, purged_at: at(6).toISOString() }] : []),
      ]);
      expect(
        store.db.prepare('SELECT idempotency_key, outcome, registry_receipt_id, closed_at, reason FROM receipts ORDER BY sequence').all(),
      ).toEqual([
        {
          idempotency_key: done.idempotencyKey,
          outcome: 'accepted',
          registry_receipt_id: 'R-old',
          closed_at: at(5).toISOString(),
          reason: null,
        },
        ...(discarded
          ? [
              {
                idempotency_key: discarded.idempotencyKey,
                outcome: 'discarded',
                registry_receipt_id: null,
                closed_at: at(6).toISOString(),
                reason: 'CONFLICT',
              },
            ]
          : []),
      ]);
      const notices = JSON.parse((store.db.prepare('SELECT notices FROM receipts').get() as { notices: string }).notices) as unknown[];
      expect(notices).toHaveLength(2);
      expect(notices[0]).toEqual({
        party: 'chain',
        statementId: 'demo-retail-loyalty',
        version: '1',
        language: 'nl',
        eventType: 'given',
        purposes: [
          { id: 'loyalty-account', status: 'given' },
          { id: 'offers-email', status: 'given' },
        ],
      });
      expect(
        store.db
          .prepare(`SELECT acknowledged_at, registry_receipt_id FROM consent_records WHERE idempotency_key = ?`)
          .all(done.idempotencyKey),
      ).toEqual([
        { acknowledged_at: at(5).toISOString(), registry_receipt_id: 'R-old' },
        { acknowledged_at: at(5).toISOString(), registry_receipt_id: 'R-old' },
      ]);
      expect(exportConsentReceiptsCsv(store).trim().split('\n')).toHaveLength(1 + (discarded ? 11 : 9));
      // the acknowledged item kept only its receipt summary (version 7); the others their whole proof
      expect(
        store.db.prepare(`SELECT sequence FROM consent_records WHERE evidence IS NULL GROUP BY sequence ORDER BY sequence`).pluck().all(),
      ).toEqual([1]);
      // the schema is usable as the latest code expects: sequence continues, sync status records
      expect(commitEnrollment(store, { payload: enrollmentPayload(ids), policy: DEFAULT_POLICY }, at(20)).sequence).toBe(discarded ? 7 : 6);
      recordSyncAttempt(store.db, { at: at(21), ok: true });
      expect(readSyncStatus(store.db)?.lastSuccessAt).toEqual(at(21));
      store.close();
    });
  }

  it('reduce the proof of items acknowledged before version 7 to their receipt summary, and keep the others whole', () => {
    const ids = idGenerator(2);
    const old = storeAtVersion(6);
    const payload = (minutes: number) => ({ payload: enrollmentPayload(ids, undefined, at(minutes)), policy: DEFAULT_POLICY });
    const done = commitEnrollment(old, payload(0), at(0));
    const waiting = commitEnrollment(old, payload(1), at(1));
    const outbox = new SqliteOutbox(old);
    outbox.claimDue(at(2), 1);
    outbox.applyResults(
      [{ idempotencyKey: done.idempotencyKey, status: 'accepted', statusCode: 201, receiptId: 'R-6', receivedAt: at(3).toISOString() }],
      at(3),
    );
    const consentsOf = (db: Store['db'], key: string) =>
      JSON.parse(db.prepare('SELECT consents FROM outbox WHERE idempotency_key = ?').pluck().get(key) as string) as Record<
        string,
        unknown
      >[];
    const before = consentsOf(old.db, done.idempotencyKey);
    const waitingBefore = consentsOf(old.db, waiting.idempotencyKey);
    expect(before[0]).toHaveProperty('evidence');
    const csvBefore = exportConsentReceiptsCsv(old);
    old.close();

    const store = openTestStore(path, key);
    const after = consentsOf(store.db, done.idempotencyKey);
    expect(after).toEqual(before.map((r) => receiptSummaryOf(r as unknown as ConsentRecord)));
    expect(
      store.db.prepare('SELECT eid_identity_ok, eid_card_valid_until FROM outbox WHERE idempotency_key = ?').get(done.idempotencyKey),
    ).toEqual({
      eid_identity_ok: null,
      eid_card_valid_until: null,
    });
    expect(consentsOf(store.db, waiting.idempotencyKey)).toEqual(waitingBefore);
    // the manager's export reads the same lines from the summary as from the whole records
    expect(exportConsentReceiptsCsv(store)).toBe(csvBefore);
    store.close();
  });

  it("drop version 6's second copy of the withdrawal code, and send a waiting item's from the sealed person as before", () => {
    const old = storeAtVersion(7);
    const waiting = commitEnrollment(old, { payload: enrollmentPayload(idGenerator(2)), policy: DEFAULT_POLICY }, at(0));
    expect(waiting.withdrawalCode).toMatch(WITHDRAWAL_CODE);
    old.close();

    const store = openTestStore(path, key);
    expect(store.db.prepare("SELECT name FROM pragma_table_info('outbox')").pluck().all()).not.toContain('withdrawal_code');
    const [item] = new SqliteOutbox(store).claimDue(at(1), 1);
    expect(item?.kind === 'enrollment' && item.payload.chainMatch?.withdrawalCode).toBe(waiting.withdrawalCode);
    store.close();
  });

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
