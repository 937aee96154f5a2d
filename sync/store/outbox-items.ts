// Outbox rows: the WireItem JSON sealed (bound to its idempotency key), the per-kiosk sequence, the
// state machine pending -> sending -> acknowledged | dead-letter, attempts and the next attempt time.
// Callers wrap writes in an immediate transaction; these functions join it.
import type { Database } from 'better-sqlite3';
import type { OutboxState } from '../outbox/port.js';
import type { WireItem } from '../wire/schemas.js';
import type { FieldCipher } from './cipher.js';

const MAX_ERROR_CHARS = 500;

export const payloadAad = (idempotencyKey: string): string => `outbox/${idempotencyKey}/payload`;
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
  const row = db.prepare('UPDATE kiosk_sequence SET value = value + 1 WHERE id = 1 RETURNING value').get() as { value: number };
  return row.value;
}

export function insertOutboxItem(db: Database, cipher: FieldCipher, item: WireItem, subjectRef: string): void {
  db.prepare(
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
    cipher.seal(JSON.stringify(item), payloadAad(item.idempotencyKey)),
  );
}

export function getOutboxRow(db: Database, idempotencyKey: string): OutboxRow | undefined {
  return db.prepare('SELECT * FROM outbox WHERE idempotency_key = ?').get(idempotencyKey) as OutboxRow | undefined;
}

/** Marks up to `limit` due pending rows 'sending' and returns them, oldest sequence first. */
export function claimDueRows(db: Database, nowIso: string, limit: number): OutboxRow[] {
  return db
    .prepare(
      `UPDATE outbox SET state = 'sending'
        WHERE idempotency_key IN (SELECT idempotency_key FROM outbox
                                   WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY sequence LIMIT ?)
        RETURNING *`,
    )
    .all(nowIso, limit)
    .sort((a, b) => (a as OutboxRow).sequence - (b as OutboxRow).sequence) as OutboxRow[];
}

export function markAcknowledged(db: Database, idempotencyKey: string): void {
  db.prepare(
    `UPDATE outbox SET state = 'acknowledged', payload = NULL, last_error = NULL, reason_code = NULL
      WHERE idempotency_key = ?`,
  ).run(idempotencyKey);
}

export function markDeadLetter(db: Database, idempotencyKey: string, reasonCode: string, reason: string): void {
  db.prepare(`UPDATE outbox SET state = 'dead-letter', reason_code = ?, last_error = ? WHERE idempotency_key = ?`).run(
    reasonCode,
    clip(reason),
    idempotencyKey,
  );
}

/** A transport failure: the attempt counts, the item waits until `nextAttemptAt`. */
export function releaseRows(db: Database, keys: readonly string[], error: string, nextAttemptAtIso: string): void {
  const stmt = db.prepare(
    `UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = ?, last_error = ?
      WHERE idempotency_key = ? AND state IN ('pending', 'sending')`,
  );
  for (const key of keys) stmt.run(nextAttemptAtIso, clip(error), key);
}

/** The manager's retry: back to pending, due now; the failure stays readable in last_error. */
export function requeueDeadLetter(db: Database, idempotencyKey: string, nowIso: string): void {
  db.prepare(
    `UPDATE outbox SET state = 'pending', next_attempt_at = ?, reason_code = NULL
      WHERE idempotency_key = ? AND state = 'dead-letter'`,
  ).run(nowIso, idempotencyKey);
}

export function deleteOutboxRow(db: Database, idempotencyKey: string): void {
  db.prepare('DELETE FROM outbox WHERE idempotency_key = ?').run(idempotencyKey);
}

export function listDeadLetterRows(db: Database): OutboxRow[] {
  return db.prepare(`SELECT * FROM outbox WHERE state = 'dead-letter' ORDER BY sequence`).all() as OutboxRow[];
}

export function nextDueAt(db: Database): string | undefined {
  const row = db.prepare(`SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending'`).get() as { at: string | null };
  return row.at ?? undefined;
}

export function countUnsent(db: Database): number {
  return (db.prepare(`SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`).get() as { n: number }).n;
}

export function countByState(db: Database): Record<OutboxState, number> {
  const counts: Record<OutboxState, number> = { pending: 0, sending: 0, acknowledged: 0, 'dead-letter': 0 };
  const rows = db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as { state: OutboxState; n: number }[];
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}

/** The creation time of the oldest item waiting to be sent (pending, or sending when a sync runs). */
export function oldestPendingAt(db: Database): string | undefined {
  const row = db.prepare(`SELECT min(created_at) AS at FROM outbox WHERE state IN ('pending', 'sending')`).get() as { at: string | null };
  return row.at ?? undefined;
}
