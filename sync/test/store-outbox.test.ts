import { signRecord } from '../proof/signatures.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { commitConsentEvent, commitEnrollment } from '../store/commit.js';
import { StoreError } from '../store/errors.js';
import type { Store } from '../store/open.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { listFailed } from '../manager/operations.js';
import { ItemResult, type WireItem } from '../wire/schemas.js';
import { at, enrollmentPayload, idGenerator, standInConsentRecord, T0 } from './fixtures/payloads.js';
import { newKey, openTestStore, tempDir } from './fixtures/store.js';

let dir: { dir: string; cleanup: () => void };
let path: string;
let key: Buffer;
let store: Store;
let ids: () => string;

beforeEach(() => {
  dir = tempDir();
  path = join(dir.dir, 'kiosk.db');
  key = newKey();
  store = openTestStore(path, key);
  ids = idGenerator(2);
});
afterEach(() => {
  store.close();
  dir.cleanup();
});

const enroll = (minutes = 0) =>
  commitEnrollment(store, { payload: enrollmentPayload(ids, undefined, at(minutes)), policy: DEFAULT_POLICY }, at(minutes));
const accepted = (key: string, receiptId = `r-${key.slice(-4)}`): ItemResult => ({
  idempotencyKey: key,
  status: 'accepted',
  statusCode: 201,
  receiptId,
  receivedAt: at(30).toISOString(),
});
const rejected = (key: string): ItemResult => ({
  idempotencyKey: key,
  status: 'rejected',
  statusCode: 422,
  reason: { code: 'UNKNOWN_STATEMENT', message: 'statement version not published' },
});

describe('commitEnrollment', () => {
  it('writes enrollment, consent records and outbox item in one commit another connection sees at once', () => {
    const done = enroll();
    const other = new BetterSqlite3(path, { readonly: true });
    try {
      expect(other.prepare('SELECT count(*) AS n FROM enrollments WHERE id = ?').get(done.enrollmentId)).toEqual({ n: 1 });
      expect(other.prepare('SELECT count(*) AS n FROM consent_records WHERE idempotency_key = ?').get(done.idempotencyKey)).toEqual({
        n: 2,
      });
      expect(other.prepare('SELECT state, sequence FROM outbox WHERE idempotency_key = ?').get(done.idempotencyKey)).toEqual({
        state: 'pending',
        sequence: 1,
      });
    } finally {
      other.close();
    }
    expect(done.consentRecordIds).toHaveLength(2);
  });

  it('applies the chain policy before storing and before queueing: no birth date or sex by default', () => {
    enroll();
    const [item] = new SqliteOutbox(store).claimDue(T0, 10);
    expect(item?.kind).toBe('enrollment');
    const person = item?.kind === 'enrollment' ? item.payload.person : undefined;
    expect(person).toMatchObject({ surname: 'Peeters', email: 'jan.peeters@example.org', address: { street: 'Kerkstraat 1' } });
    expect(person?.birthDate).toBeUndefined();
    expect(person?.sex).toBeUndefined();
  });

  it('keeps birth date and sex when the policy says so', () => {
    const policy = { keep: { ...DEFAULT_POLICY.keep, birthDate: true, sex: true } };
    commitEnrollment(store, { payload: enrollmentPayload(ids), policy }, T0);
    const [item] = new SqliteOutbox(store).claimDue(T0, 10);
    expect(item?.kind === 'enrollment' && item.payload.person).toMatchObject({ birthDate: '1980-05-17', sex: 'M' });
  });

  it('refuses a national register number, photo or card number at run time, and the types refuse them too', () => {
    const payload = enrollmentPayload(ids);
    const withNrn = { ...payload, person: { ...payload.person, nationalNumber: '80051712345' } };
    expect(() => commitEnrollment(store, { payload: withNrn as typeof payload, policy: DEFAULT_POLICY }, T0)).toThrow(
      expect.objectContaining({ code: 'INVALID_PAYLOAD' }),
    );
    const withCard = { ...payload, cardNumber: '592123456789' };
    expect(() => commitEnrollment(store, { payload: withCard as typeof payload, policy: DEFAULT_POLICY }, T0)).toThrow(StoreError);
    // The types refuse it too: typecheck fails if the wire Person ever gains a photo field.
    // @ts-expect-error the wire Person has no photo field
    const _typed: typeof payload.person = { ...payload.person, photo: 'jpeg' };
    expect(store.db.prepare('SELECT count(*) AS n FROM enrollments').get()).toEqual({ n: 0 });
  });

  it('refuses consent records about another subject, or two records for one party', () => {
    const payload = enrollmentPayload(ids);
    const foreign = { ...payload, consents: [standInConsentRecord(ids(), 'chain', ids())] };
    expect(() => commitEnrollment(store, { payload: foreign, policy: DEFAULT_POLICY }, T0)).toThrow(
      expect.objectContaining({ code: 'INVALID_PAYLOAD', detail: expect.stringMatching(/subjectRef/) }),
    );
    const twice = { ...payload, consents: [payload.consents[0]!, { ...payload.consents[0]!, recordId: ids() }] };
    expect(() => commitEnrollment(store, { payload: twice, policy: DEFAULT_POLICY }, T0)).toThrow(
      expect.objectContaining({ code: 'INVALID_PAYLOAD', detail: expect.stringMatching(/two records/) }),
    );
  });

  it('has no column that could hold a national number, photo, card or chip number', () => {
    const columns = store.db
      .prepare(
        `SELECT m.name AS t, p.name AS c, p.type FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type IN ('table', 'view')`,
      )
      .all() as { t: string; c: string; type: string }[];
    expect(columns.length).toBeGreaterThan(40);
    for (const { t, c, type } of columns) {
      // eid_*_ok are the verification verdicts (did the photo hash match?), integers by STRICT typing.
      if (/^eid_\w+_ok$/.test(c)) expect(type).toBe('INTEGER');
      else expect(`${t}.${c}`).not.toMatch(/national|nrn|rrn|register_number|photo|picture|card_number|chip|serial/i);
    }
  });
});

describe('SqliteOutbox', () => {
  it('claims due items oldest first, marks them sending, and honours the limit', () => {
    const a = enroll(0);
    const b = enroll(1);
    const c = enroll(2);
    const outbox = new SqliteOutbox(store);
    expect(outbox.claimDue(at(5), 0)).toEqual([]);
    expect(outbox.claimDue(at(5), -1)).toEqual([]);
    const claimed = outbox.claimDue(at(5), 2);
    expect(claimed.map((i) => i.sequence)).toEqual([1, 2]);
    expect(claimed.map((i) => i.idempotencyKey)).toEqual([a.idempotencyKey, b.idempotencyKey]);
    expect(outbox.claimDue(at(5), 10).map((i) => i.idempotencyKey)).toEqual([c.idempotencyKey]);
    expect(outbox.claimDue(at(5), 10)).toEqual([]);
    expect(outbox.unsentCount()).toBe(3);
  });

  it('claims nothing before an item is due', () => {
    enroll(10);
    const outbox = new SqliteOutbox(store);
    expect(outbox.claimDue(at(9), 10)).toEqual([]);
    expect(outbox.nextDueAt()).toEqual(at(10));
    expect(outbox.claimDue(at(10), 10)).toHaveLength(1);
    expect(outbox.nextDueAt()).toBeUndefined();
  });

  it('hands out items in exactly the wire shape', () => {
    const done = enroll();
    const [item] = new SqliteOutbox(store).claimDue(T0, 1) as [WireItem];
    expect(item).toMatchObject({ kind: 'enrollment', idempotencyKey: done.idempotencyKey, sequence: 1, createdAt: T0.toISOString() });
    // the consent records come back from consent_records, as committed and in the payload's order
    expect(item.kind === 'enrollment' && item.payload.consents.map((c) => c.recordId)).toEqual(done.consentRecordIds);
  });

  it('still hands out an item sealed whole, consent records inside, as earlier code queued it', () => {
    const done = enroll();
    const outbox = new SqliteOutbox(store);
    const [item] = outbox.claimDue(T0, 1) as [WireItem];
    const whole = store.cipher.seal(JSON.stringify(item), `outbox/${done.idempotencyKey}/payload`);
    store.db.prepare(`UPDATE outbox SET state = 'pending', payload = ? WHERE idempotency_key = ?`).run(whole, done.idempotencyKey);
    expect(outbox.claimDue(T0, 1)).toEqual([item]);
  });

  it('acknowledges: payload (the one copy of the person) gone, consent records and a receipt stay', () => {
    const done = enroll();
    const outbox = new SqliteOutbox(store);
    outbox.claimDue(T0, 10);
    outbox.applyResults([accepted(done.idempotencyKey, 'R-1')], at(1));

    const row = store.db.prepare('SELECT * FROM enrollments WHERE id = ?').get(done.enrollmentId) as Record<string, unknown>;
    // the person never had a column: the sealed payload was its one copy
    for (const c of ['surname', 'first_names', 'language', 'address', 'birth_date', 'sex', 'email', 'mobile'])
      expect(row).not.toHaveProperty(c);
    expect(row.purged_at).toBe(at(1).toISOString());
    expect(row.eid_identity_ok).toBe(1);
    expect(store.db.prepare('SELECT state, payload FROM outbox').get()).toEqual({ state: 'acknowledged', payload: null });
    expect(store.db.prepare('SELECT * FROM receipts').get()).toMatchObject({
      idempotency_key: done.idempotencyKey,
      sequence: 1,
      kind: 'enrollment',
      subject_ref: done.enrollmentId,
      outcome: 'accepted',
      closed_at: at(1).toISOString(),
      registry_receipt_id: 'R-1',
      registry_received_at: at(30).toISOString(),
    });
    const notices = JSON.parse((store.db.prepare('SELECT notices FROM receipts').get() as { notices: string }).notices);
    expect(notices).toEqual([
      expect.objectContaining({
        party: 'chain',
        statementId: 'demo-retail-loyalty',
        version: '1',
        purposes: expect.arrayContaining([{ id: 'loyalty-account', status: 'given' }]),
      }),
      expect.objectContaining({ party: 'registry', eventType: 'refused' }),
    ]);
    expect(store.db.prepare('SELECT acknowledged_at, registry_receipt_id FROM consent_records').all()).toEqual([
      { acknowledged_at: at(1).toISOString(), registry_receipt_id: 'R-1' },
      { acknowledged_at: at(1).toISOString(), registry_receipt_id: 'R-1' },
    ]);
    expect(outbox.unsentCount()).toBe(0);
  });

  it('treats duplicate like accepted and ignores results for unknown or already closed keys', () => {
    const done = enroll();
    const outbox = new SqliteOutbox(store);
    outbox.claimDue(T0, 10);
    outbox.applyResults([{ idempotencyKey: done.idempotencyKey, status: 'duplicate', statusCode: 200 }, accepted('no-such-key')], at(1));
    outbox.applyResults([rejected(done.idempotencyKey)], at(2));
    expect(store.db.prepare('SELECT state FROM outbox').get()).toEqual({ state: 'acknowledged' });
    expect(store.db.prepare('SELECT outcome FROM receipts').all()).toEqual([{ outcome: 'duplicate' }]);
  });

  it('a dead-letter item does not block the items behind it', () => {
    const bad = enroll(0);
    const good = enroll(1);
    const outbox = new SqliteOutbox(store);
    outbox.claimDue(at(2), 10);
    outbox.applyResults([rejected(bad.idempotencyKey), accepted(good.idempotencyKey)], at(3));
    const later = enroll(4);
    expect(outbox.claimDue(at(5), 10).map((i) => i.idempotencyKey)).toEqual([later.idempotencyKey]);
    expect(
      store.db
        .prepare('SELECT state, reason_code, last_error, payload IS NOT NULL AS kept FROM outbox WHERE idempotency_key = ?')
        .get(bad.idempotencyKey),
    ).toEqual({
      state: 'dead-letter',
      reason_code: 'UNKNOWN_STATEMENT',
      last_error: 'statement version not published',
      kept: 1,
    });
    expect(outbox.unsentCount()).toBe(1);
  });

  it('moves a conflict to dead-letter with its status when the registry gives no reason', () => {
    const done = enroll();
    const outbox = new SqliteOutbox(store);
    outbox.claimDue(T0, 10);
    outbox.applyResults([{ idempotencyKey: done.idempotencyKey, status: 'conflict', statusCode: 409 }], at(1));
    expect(store.db.prepare('SELECT state, reason_code, last_error FROM outbox').get()).toEqual({
      state: 'dead-letter',
      reason_code: 'CONFLICT',
      last_error: 'conflict (409)',
    });
  });

  it("dead-letters an item with a newer registry's unknown reason, keeping it and the registry's code", () => {
    const done = enroll();
    const outbox = new SqliteOutbox(store);
    outbox.claimDue(T0, 10);
    const answer = ItemResult.parse({
      idempotencyKey: done.idempotencyKey,
      status: 'rejected',
      statusCode: 422,
      reason: { code: 'CONSENT_EXPIRED', message: 'too old' },
    });
    outbox.applyResults([answer], at(1));
    expect(store.db.prepare('SELECT state, reason_code, last_error, payload IS NOT NULL AS kept FROM outbox').get()).toEqual({
      state: 'dead-letter',
      reason_code: 'UNKNOWN_REASON',
      last_error: 'CONSENT_EXPIRED: too old',
      kept: 1,
    });
  });

  it("reads the kebab-case and lower-case reason codes rows of older versions hold as today's codes", () => {
    const [a, b, c] = [enroll(0), enroll(1), enroll(2)];
    const old = store.db.prepare(`UPDATE outbox SET state = 'dead-letter', reason_code = ?, last_error = 'x' WHERE idempotency_key = ?`);
    old.run('chain-mismatch', a.idempotencyKey);
    old.run('conflict', b.idempotencyKey);
    old.run('UNREADABLE_PAYLOAD', c.idempotencyKey);
    expect(listFailed(store).map((f) => f.reasonCode)).toEqual(['CHAIN_MISMATCH', 'CONFLICT', 'UNREADABLE_PAYLOAD']);
  });

  it('releaseForRetry counts the attempt and waits until the next attempt time', () => {
    const done = enroll();
    const outbox = new SqliteOutbox(store);
    outbox.claimDue(T0, 10);
    outbox.releaseForRetry([done.idempotencyKey], 'ECONNREFUSED', at(7));
    expect(store.db.prepare('SELECT state, attempts, next_attempt_at, last_error FROM outbox').get()).toEqual({
      state: 'pending',
      attempts: 1,
      next_attempt_at: at(7).toISOString(),
      last_error: 'ECONNREFUSED',
    });
    expect(outbox.nextDueAt()).toEqual(at(7));
    expect(outbox.claimDue(at(6), 10)).toEqual([]);
    expect(outbox.claimDue(at(7), 10)).toHaveLength(1);
  });

  it('never expires unsynced items, however old', () => {
    enroll();
    const outbox = new SqliteOutbox(store);
    const tenYears = new Date(T0.getTime() + 10 * 365 * 24 * 3_600_000);
    expect(outbox.claimDue(tenYears, 10)).toHaveLength(1);
  });

  it('puts items left sending by a crash back to pending on open, to be sent again with the same key', () => {
    const done = enroll();
    const [first] = new SqliteOutbox(store).claimDue(T0, 10);
    store.close();
    store = openTestStore(path, key);
    const outbox = new SqliteOutbox(store);
    expect(outbox.unsentCount()).toBe(1);
    const [again] = outbox.claimDue(T0, 10);
    expect(again).toEqual(first);
    expect(again?.idempotencyKey).toBe(done.idempotencyKey);
  });

  it('keeps the sequence monotonic across purges and reopen', () => {
    const a = enroll();
    const outbox = new SqliteOutbox(store);
    outbox.claimDue(T0, 10);
    outbox.applyResults([accepted(a.idempotencyKey)], at(1));
    store.close();
    store = openTestStore(path, key, { newId: idGenerator(3) });
    expect([enroll(2).sequence, enroll(3).sequence]).toEqual([2, 3]);
  });

  it('moves an item whose payload no longer opens to dead-letter and still hands out the others', () => {
    const damaged = enroll(0);
    const fine = enroll(1);
    const payload = (
      store.db.prepare('SELECT payload FROM outbox WHERE idempotency_key = ?').get(damaged.idempotencyKey) as { payload: Buffer }
    ).payload;
    payload.writeUInt8(payload.readUInt8(payload.length - 1) ^ 0xff, payload.length - 1);
    store.db.prepare('UPDATE outbox SET payload = ? WHERE idempotency_key = ?').run(payload, damaged.idempotencyKey);
    const claimed = new SqliteOutbox(store).claimDue(at(2), 10);
    expect(claimed.map((i) => i.idempotencyKey)).toEqual([fine.idempotencyKey]);
    expect(store.db.prepare('SELECT state, reason_code FROM outbox WHERE idempotency_key = ?').get(damaged.idempotencyKey)).toEqual({
      state: 'dead-letter',
      reason_code: 'UNREADABLE_PAYLOAD',
    });
  });

  it('refuses a payload moved to another row (the row id is bound as AAD)', () => {
    const a = enroll(0);
    const b = enroll(1);
    const payloadA = (store.db.prepare('SELECT payload FROM outbox WHERE idempotency_key = ?').get(a.idempotencyKey) as { payload: Buffer })
      .payload;
    store.db.prepare('UPDATE outbox SET payload = ? WHERE idempotency_key = ?').run(payloadA, b.idempotencyKey);
    expect(new SqliteOutbox(store).claimDue(at(2), 10).map((i) => i.idempotencyKey)).toEqual([a.idempotencyKey]);
  });
});

describe('commitConsentEvent', () => {
  it('queues a withdrawal as a consent-event item, acknowledged like an enrollment', () => {
    const done = enroll();
    const withdrawal = standInConsentRecord(done.enrollmentId, 'chain', ids(), { type: 'withdrawn', status: 'withdrawn', at: at(60) });
    const event = commitConsentEvent(store, withdrawal, at(60));
    expect(event.sequence).toBe(2);
    const outbox = new SqliteOutbox(store);
    const items = outbox.claimDue(at(61), 10);
    expect(items[1]).toEqual({
      kind: 'consent-event',
      idempotencyKey: event.idempotencyKey,
      sequence: 2,
      createdAt: at(60).toISOString(),
      payload: { consent: withdrawal, signature: signRecord(withdrawal, store.signingKey) },
    });
    outbox.applyResults([accepted(event.idempotencyKey)], at(62));
    expect(
      store.db.prepare(`SELECT event_type FROM consent_records WHERE subject_ref = ? ORDER BY event_at`).all(done.enrollmentId),
    ).toEqual([{ event_type: 'given' }, { event_type: 'refused' }, { event_type: 'withdrawn' }]);
    expect(store.db.prepare('SELECT kind, outcome FROM receipts').get()).toEqual({ kind: 'consent-event', outcome: 'accepted' });
  });
});
