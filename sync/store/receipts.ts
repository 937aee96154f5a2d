// Receipts: what stays on the kiosk once an item left it (acknowledged) or was discarded: ids,
// outcome, statement versions and per-purpose statuses, times, the registry's receipt id and clock.
import type { Database } from 'better-sqlite3';
import { noticeSummaries } from './consent-records.js';
import { prepared } from './prepared.js';

export type ReceiptOutcome = 'accepted' | 'duplicate' | 'discarded';

export interface ReceiptInput {
  readonly idempotencyKey: string;
  readonly outcome: ReceiptOutcome;
  readonly closedAt: string;
  readonly registryReceiptId: string | null;
  readonly registryReceivedAt: string | null;
  readonly reason: string | null;
}

/** Writes the receipt of an outbox item from its row and its consent records; call before purging. */
export function insertReceipt(db: Database, r: ReceiptInput): void {
  prepared(
    db,
    `INSERT INTO receipts (idempotency_key, sequence, kind, subject_ref, outcome, notices, created_at, closed_at,
       registry_receipt_id, registry_received_at, reason)
     SELECT idempotency_key, sequence, kind, subject_ref, @outcome, @notices, created_at, @closedAt,
       @registryReceiptId, @registryReceivedAt, @reason
       FROM outbox WHERE idempotency_key = @idempotencyKey`,
  ).run({ ...r, notices: JSON.stringify(noticeSummaries(db, r.idempotencyKey)) });
}

export interface ConsentReceiptRow {
  readonly record_id: string;
  readonly subject_ref: string;
  readonly party: string;
  readonly controller_id: string;
  readonly statement_id: string;
  readonly statement_version: string;
  readonly statement_language: string;
  readonly text_sha256: string;
  readonly event_type: string;
  readonly event_at: string;
  readonly method: string;
  readonly store_id: string;
  readonly kiosk_id: string;
  readonly purposes: string;
  readonly sync_state: string;
  readonly queued_at: string;
  readonly acknowledged_at: string | null;
  readonly registry_receipt_id: string | null;
  readonly registry_received_at: string | null;
}

/** Every consent record with where its item stands, in queue order: the manager's receipt export. */
export function listConsentReceipts(db: Database): ConsentReceiptRow[] {
  return prepared(
    db,
    `SELECT c.record_id, c.subject_ref, c.party, c.controller_id, c.statement_id, c.statement_version,
            c.statement_language, c.text_sha256, c.event_type, c.event_at, c.method, c.store_id, c.kiosk_id,
            c.purposes, COALESCE(o.state, r.outcome, 'unknown') AS sync_state, c.queued_at, c.acknowledged_at,
            c.registry_receipt_id, c.registry_received_at
       FROM consent_records c
       LEFT JOIN outbox o ON o.idempotency_key = c.idempotency_key
       LEFT JOIN receipts r ON r.idempotency_key = c.idempotency_key
      ORDER BY COALESCE(o.sequence, r.sequence), c.party, c.record_id`,
  )
    .all() as ConsentReceiptRow[];
}
