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
});
