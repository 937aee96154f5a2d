// Consent records: inserted once per party per decision, never updated except for the sync fields,
// which the registry's acknowledgement fills in once (the triggers in migration 001 enforce both).
import type { Database } from 'better-sqlite3';
import type { ConsentRecord } from '../wire/schemas.js';
import { prepared } from './prepared.js';

export function insertConsentRecord(db: Database, record: ConsentRecord, idempotencyKey: string, queuedAt: string): void {
  prepared(
    db,
    `INSERT INTO consent_records (record_id, subject_ref, party, controller_id, statement_id, statement_version,
       statement_language, text_sha256, event_type, event_at, method, store_id, kiosk_id, purposes, evidence, record,
       idempotency_key, queued_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    record.recordId,
    record.subjectRef,
    record.party,
    record.controller.id,
    record.notice.statementId,
    record.notice.version,
    record.notice.language,
    record.notice.textSha256,
    record.event.type,
    record.event.at,
    record.event.method,
    record.event.storeId,
    record.event.kioskId,
    JSON.stringify(record.purposes),
    JSON.stringify(record.evidence),
    JSON.stringify(record),
    idempotencyKey,
    queuedAt,
  );
}

/** The records an item queued, in the order it listed them; parsed, not validated (the caller does). */
export function consentRecordsOf(db: Database, idempotencyKey: string): ConsentRecord[] {
  const rows = prepared(db, 'SELECT record FROM consent_records WHERE idempotency_key = ? ORDER BY rowid').pluck().all(idempotencyKey) as string[];
  return rows.map((r) => JSON.parse(r) as ConsentRecord);
}

export interface Acknowledgement {
  readonly at: string;
  readonly registryReceiptId: string | null;
  readonly registryReceivedAt: string | null;
}

export function markConsentRecordsAcknowledged(db: Database, idempotencyKey: string, ack: Acknowledgement): void {
  prepared(
    db,
    `UPDATE consent_records SET acknowledged_at = ?, registry_receipt_id = ?, registry_received_at = ?
      WHERE idempotency_key = ? AND acknowledged_at IS NULL`,
  ).run(ack.at, ack.registryReceiptId, ack.registryReceivedAt, idempotencyKey);
}

export interface NoticeSummary {
  readonly party: string;
  readonly statementId: string;
  readonly version: string;
  readonly language: string;
  readonly eventType: string;
  readonly purposes: readonly { id: string; status: string }[];
}

/** What a receipt keeps of an item's consent records: statement versions and per-purpose statuses. */
export function noticeSummaries(db: Database, idempotencyKey: string): NoticeSummary[] {
  const rows = prepared(
    db,
    `SELECT party, statement_id, statement_version, statement_language, event_type, purposes
       FROM consent_records WHERE idempotency_key = ? ORDER BY party, record_id`,
  )
    .all(idempotencyKey) as {
    party: string;
    statement_id: string;
    statement_version: string;
    statement_language: string;
    event_type: string;
    purposes: string;
  }[];
  return rows.map((r) => ({
    party: r.party,
    statementId: r.statement_id,
    version: r.statement_version,
    language: r.statement_language,
    eventType: r.event_type,
    purposes: (JSON.parse(r.purposes) as { id: string; status: string }[]).map(({ id, status }) => ({ id, status })),
  }));
}
