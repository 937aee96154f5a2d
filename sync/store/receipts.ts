// Receipts: what stays on the kiosk once an item left it (acknowledged) or was discarded. The journal
// row is the receipt (outcome, times, the registry's receipt id and clock, its consent records, reduced to
// their receipt summary once acknowledged: migration 007); the
// views `receipts` and `consent_records` (migration 005) read it in the shape the export uses.
import type { Database } from 'better-sqlite3';
import { prepared } from '../db/prepared.js';

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
    `SELECT record_id, subject_ref, party, controller_id, statement_id, statement_version, statement_language, text_sha256,
            event_type, event_at, method, store_id, kiosk_id, purposes, sync_state, queued_at, acknowledged_at,
            registry_receipt_id, registry_received_at
       FROM consent_records
      ORDER BY sequence, party, record_id`,
  ).all() as ConsentReceiptRow[];
}
