import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { commitEnrollment } from '../store/commit.js';
import type { Store } from '../store/open.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { at, enrollmentPayload, idGenerator, T0 } from './fixtures/payloads.js';
import { newKey, openTestStore, tempDir } from './fixtures/store.js';

let dir: { dir: string; cleanup: () => void };
let store: Store;
let idempotencyKey: string;

beforeEach(() => {
  dir = tempDir();
  store = openTestStore(join(dir.dir, 'kiosk.db'), newKey());
  idempotencyKey = commitEnrollment(store, { payload: enrollmentPayload(idGenerator(2)), policy: DEFAULT_POLICY }, T0).idempotencyKey;
});
afterEach(() => {
  store.close();
  dir.cleanup();
});

describe('consent records', () => {
  it.each([
    ['purposes', `UPDATE consent_records SET purposes = '[]'`],
    ['event type', `UPDATE consent_records SET event_type = 'withdrawn'`],
    ['the whole record', `UPDATE consent_records SET record = '{}'`],
    ['the subject', `UPDATE consent_records SET subject_ref = 'x'`],
    ['the item they travel in', `UPDATE consent_records SET idempotency_key = 'x'`],
  ])('cannot be updated: %s', (_what, sql) => {
    expect(() => store.db.prepare(sql).run()).toThrow(/append-only/);
  });

  it('cannot be deleted, not even after acknowledgement', () => {
    expect(() => store.db.prepare('DELETE FROM consent_records').run()).toThrow(/append-only/);
    const outbox = new SqliteOutbox(store);
    outbox.claimDue(T0, 10);
    outbox.applyResults([{ idempotencyKey, status: 'accepted', statusCode: 201, receiptId: 'R', receivedAt: at(1).toISOString() }], at(1));
    expect(() => store.db.prepare('DELETE FROM consent_records').run()).toThrow(/append-only/);
    expect(store.db.prepare('SELECT count(*) AS n FROM consent_records').get()).toEqual({ n: 2 });
  });

  it('take their sync fields once, from the acknowledgement, and never again', () => {
    const outbox = new SqliteOutbox(store);
    outbox.claimDue(T0, 10);
    outbox.applyResults([{ idempotencyKey, status: 'accepted', statusCode: 201, receiptId: 'R', receivedAt: at(1).toISOString() }], at(1));
    expect(() => store.db.prepare(`UPDATE consent_records SET registry_receipt_id = 'other'`).run()).toThrow(/set once/);
    expect(() => store.db.prepare(`UPDATE consent_records SET acknowledged_at = NULL`).run()).toThrow(/set once/);
  });

  describe('in the journal row', () => {
    const acknowledge = () => {
      const outbox = new SqliteOutbox(store);
      outbox.claimDue(T0, 10);
      outbox.applyResults(
        [{ idempotencyKey, status: 'accepted', statusCode: 201, receiptId: 'R', receivedAt: at(1).toISOString() }],
        at(1),
      );
    };
    const consents = () => store.db.prepare('SELECT consents FROM outbox').pluck().get() as string;

    it('cannot be changed while the item waits, not even into their receipt summary', () => {
      const full = consents();
      expect(() => store.db.prepare(`UPDATE outbox SET consents = '[]'`).run()).toThrow(/append-only/);
      // the summary an acknowledgement makes, written by hand before one
      const summary = JSON.stringify((JSON.parse(full) as { recordId: string }[]).map(({ recordId }) => ({ recordId })));
      expect(() => store.db.prepare(`UPDATE outbox SET consents = ?`).run(summary)).toThrow(/append-only/);
      // nor can the kiosk's signature beside a record be dropped or swapped
      expect(() => store.db.prepare(`UPDATE outbox SET consents = json_remove(consents, '$[0].kioskJws')`).run()).toThrow(/append-only/);
      const other = (JSON.parse(full) as { kioskJws: string }[])[1]!.kioskJws;
      expect(() => store.db.prepare(`UPDATE outbox SET consents = json_set(consents, '$[0].kioskJws', ?)`).run(other)).toThrow(
        /append-only/,
      );
      expect(consents()).toBe(full);
    });

    it('become their receipt summary at the acknowledgement, and nothing else afterwards', () => {
      acknowledge();
      const summary = consents();
      expect(summary).not.toContain('evidence');
      // the signatures leave with the rest of the proof: the registry holds the signed records now
      expect(summary).not.toContain('kioskJws');
      expect(() => store.db.prepare(`UPDATE outbox SET consents = '[]'`).run()).toThrow(/append-only/);
      expect(() => store.db.prepare(`UPDATE outbox SET consents = json_remove(consents, '$[1]')`).run()).toThrow(/append-only/);
      // writing the same summary again changes nothing and is allowed
      store.db.prepare(`UPDATE outbox SET consents = consents`).run();
      expect(consents()).toBe(summary);
    });

    it('stay whole when the manager discards the item: the registry never had them', () => {
      const full = consents();
      store.db.prepare(`UPDATE outbox SET state = 'dead-letter', reason_code = 'CONFLICT'`).run();
      store.db
        .prepare(`UPDATE outbox SET state = 'discarded', outcome = 'discarded', closed_at = ?, payload = NULL`)
        .run(at(2).toISOString());
      expect(consents()).toBe(full);
    });
  });
});
