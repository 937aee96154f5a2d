// Outbox rows: the WireItem JSON sealed (bound to its idempotency key; an enrollment's consent records
// are read back from consent_records), the per-kiosk sequence, the state machine pending -> sending ->
// acknowledged | dead-letter, attempts and the next attempt time.
// Callers wrap writes in an immediate transaction; these functions join it.
import type { Database } from 'better-sqlite3';
import type { OutboxState } from '../outbox/port.js';
import { WireItem } from '../wire/schemas.js';
import type { FieldCipher } from './cipher.js';
import { consentRecordsOf } from './consent-records.js';
import { prepared } from './prepared.js';

const MAX_ERROR_CHARS = 500;

const payloadAad = (idempotencyKey: string): string => `outbox/${idempotencyKey}/payload`;
export const clip = (text: string): string => text.slice(0, MAX_ERROR_CHARS);

export interface OutboxRow {
  readonly idempotency_key: string;
  readonly sequence: number;
  readonly kind: WireItem['kind'];
  readonly subject_ref: string;
  readonly enrollment_id: string | null;
  readonly created_at: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly next_attempt_at: string;
  readonly last_error: string | null;
  readonly reason_code: string | null;
  readonly payload: Buffer | null;
}

/** The next number of this kiosk's monotonic sequence; a counter, never reused after a purge. */
export function allocateSequence(db: Database): number {
  const row = prepared(db, 'UPDATE kiosk_sequence SET value = value + 1 WHERE id = 1 RETURNING value').get() as { value: number };
  return row.value;
}

/** Seals the item without its consent records: they are in consent_records already (no personal
 *  data, append-only) and `openPayload` puts them back, so the sealed row stays small. */
export function insertOutboxItem(db: Database, cipher: FieldCipher, item: WireItem, subjectRef: string): void {
  const sealed = item.kind === 'enrollment' ? { ...item, payload: { ...item.payload, consents: undefined } } : item;
  prepared(
    db,
    `INSERT INTO outbox (idempotency_key, sequence, kind, subject_ref, enrollment_id, created_at, next_attempt_at, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    item.idempotencyKey,
    item.sequence,
    item.kind,
    subjectRef,
    item.kind === 'enrollment' ? item.payload.enrollmentId : null,
    item.createdAt,
    item.createdAt,
    cipher.seal(JSON.stringify(sealed), payloadAad(item.idempotencyKey)),
  );
}

/** The item a row holds, its consent records put back (items sealed by earlier code kept theirs
 *  inside); throws (StoreError BAD_KEY, a parse error) when its bytes are damaged. */
export function openPayload(db: Database, cipher: FieldCipher, row: OutboxRow): WireItem {
  const item = JSON.parse(cipher.open(row.payload ?? Buffer.alloc(0), payloadAad(row.idempotency_key))) as WireItem;
  if (item.kind === 'enrollment') item.payload.consents ??= consentRecordsOf(db, row.idempotency_key);
  return WireItem.parse(item);
}

export function getOutboxRow(db: Database, idempotencyKey: string): OutboxRow | undefined {
  return prepared(db, 'SELECT * FROM outbox WHERE idempotency_key = ?').get(idempotencyKey) as OutboxRow | undefined;
}

/** Marks up to `limit` due pending rows 'sending' and returns them, oldest sequence first. */
export function claimDueRows(db: Database, nowIso: string, limit: number): OutboxRow[] {
  return prepared(
    db,
    `UPDATE outbox SET state = 'sending'
      WHERE idempotency_key IN (SELECT idempotency_key FROM outbox
                                 WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY sequence LIMIT ?)
      RETURNING *`,
  )
    .all(nowIso, limit)
    .sort((a, b) => (a as OutboxRow).sequence - (b as OutboxRow).sequence) as OutboxRow[];
}

export function markAcknowledged(db: Database, idempotencyKey: string): void {
  prepared(
    db,
    `UPDATE outbox SET state = 'acknowledged', payload = NULL, last_error = NULL, reason_code = NULL
      WHERE idempotency_key = ?`,
  ).run(idempotencyKey);
}

export function markDeadLetter(db: Database, idempotencyKey: string, reasonCode: string, reason: string): void {
  prepared(db, `UPDATE outbox SET state = 'dead-letter', reason_code = ?, last_error = ? WHERE idempotency_key = ?`).run(
    reasonCode,
    clip(reason),
    idempotencyKey,
  );
}

/** A transport failure: the attempt counts, the item waits until `nextAttemptAt`. */
export function releaseRows(db: Database, keys: readonly string[], error: string, nextAttemptAtIso: string): void {
  const stmt = prepared(
    db,
    `UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = ?, last_error = ?
      WHERE idempotency_key = ? AND state IN ('pending', 'sending')`,
  );
  for (const key of keys) stmt.run(nextAttemptAtIso, clip(error), key);
}

/** The manager's retry: back to pending, due now; the failure stays readable in last_error. */
export function requeueDeadLetter(db: Database, idempotencyKey: string, nowIso: string): void {
  prepared(
    db,
    `UPDATE outbox SET state = 'pending', next_attempt_at = ?, reason_code = NULL
      WHERE idempotency_key = ? AND state = 'dead-letter'`,
  ).run(nowIso, idempotencyKey);
}

export function deleteOutboxRow(db: Database, idempotencyKey: string): void {
  prepared(db, 'DELETE FROM outbox WHERE idempotency_key = ?').run(idempotencyKey);
}

export function listDeadLetterRows(db: Database): OutboxRow[] {
  return prepared(db, `SELECT * FROM outbox WHERE state = 'dead-letter' ORDER BY sequence`).all() as OutboxRow[];
}

export function nextDueAt(db: Database): string | undefined {
  const row = prepared(db, `SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending'`).get() as { at: string | null };
  return row.at ?? undefined;
}

export function countUnsent(db: Database): number {
  return (prepared(db, `SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`).get() as { n: number }).n;
}

export function countByState(db: Database): Record<OutboxState, number> {
  const counts: Record<OutboxState, number> = { pending: 0, sending: 0, acknowledged: 0, 'dead-letter': 0 };
  const rows = prepared(db, 'SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as { state: OutboxState; n: number }[];
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}

/** The creation time of the oldest item waiting to be sent (pending, or sending when a sync runs). */
export function oldestPendingAt(db: Database): string | undefined {
  const row = prepared(db, `SELECT min(created_at) AS at FROM outbox WHERE state IN ('pending', 'sending')`).get() as { at: string | null };
  return row.at ?? undefined;
}
