// One table for the journal of decisions, one row per commit: the outbox row IS the record. Until
// version 4 a commit touched four tables and their indexes (sequence counter, enrollment, two consent
// records under a random key, outbox), about 14 WAL pages to fsync; now it appends one row (rowid =
// the per-kiosk sequence, on the rightmost leaf) and two index entries (the idempotency key, a
// time-ordered UUID, and the due index).
// - rows are never deleted: the sequence is max(rowid) + 1 and never reused; a discarded item keeps
//   its row, state 'discarded', personal data purged;
// - the consent records are a JSON array in the row (no personal data; triggers keep it append-only),
//   and `consent_records`, `receipts` and `enrollments` are views over it, so every query keeps its shape;
// - the receipt is the row's outcome, receipt and close fields, filled once when the item leaves.
// Every version-4 row moves in with its sequence, state and sealed payload (the AAD names the
// idempotency key, which does not change), discarded items from their receipts.
import { StoreError } from '../errors.js';
import type { Migration } from './types.js';

const RECEIPT_COLUMNS = 'closed_at, outcome, registry_receipt_id, registry_received_at';
/** The version-4 consent_records columns and where each sits in a record. */
const RECORD_FIELDS: readonly (readonly [column: string, path: string])[] = [
  ['record_id', '$.recordId'],
  ['subject_ref', '$.subjectRef'],
  ['party', '$.party'],
  ['controller_id', '$.controller.id'],
  ['statement_id', '$.notice.statementId'],
  ['statement_version', '$.notice.version'],
  ['statement_language', '$.notice.language'],
  ['text_sha256', '$.notice.textSha256'],
  ['event_type', '$.event.type'],
  ['event_at', '$.event.at'],
  ['method', '$.event.method'],
  ['store_id', '$.event.storeId'],
  ['kiosk_id', '$.event.kioskId'],
];
const SYNC_FIELDS_CHANGED = ['acknowledged_at', 'registry_receipt_id', 'registry_received_at']
  .map((c) => `NEW.${c} IS NOT OLD.${c}`)
  .join(' OR ');

export const migration005: Migration = {
  version: 5,
  name: 'one-journal',
  up(db) {
    const { counter, top } = db
      .prepare(
        `SELECT (SELECT value FROM kiosk_sequence) AS counter,
      (SELECT max(n) FROM (SELECT max(sequence) AS n FROM outbox UNION ALL SELECT max(sequence) FROM receipts)) AS top`,
      )
      .get() as {
      counter: number;
      top: number | null;
    };
    // max(rowid) + 1 continues the sequence only if no number above the last row was ever handed out.
    if (counter > (top ?? 0)) throw new StoreError('MIGRATION_FAILED', `sequence counter ${counter} is past the last item ${top ?? 0}`);
    db.exec(`
      ALTER TABLE outbox RENAME TO outbox_v4;
      DROP INDEX outbox_due;

      CREATE TABLE outbox (
        sequence INTEGER PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('enrollment', 'consent-event')),
        subject_ref TEXT NOT NULL,
        chain_id TEXT,
        store_id TEXT,
        kiosk_id TEXT,
        source TEXT CHECK (source IN ('eid', 'manual', 'paper')),
        enrolled_at TEXT,
        utc_offset_minutes INTEGER,
        created_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'sending', 'acknowledged', 'dead-letter', 'discarded')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        reason_code TEXT,
        payload BLOB,
        eid_identity_ok INTEGER,
        eid_address_ok INTEGER,
        eid_photo_ok INTEGER,
        eid_chain_ok INTEGER,
        eid_card_valid_until TEXT,
        consents TEXT NOT NULL,
        closed_at TEXT,
        outcome TEXT CHECK (outcome IN ('accepted', 'duplicate', 'discarded')),
        registry_receipt_id TEXT,
        registry_received_at TEXT,
        CHECK ((outcome IS NULL) = (state NOT IN ('acknowledged', 'discarded'))),
        CHECK (payload IS NOT NULL OR kind = 'consent-event' OR outcome IS NOT NULL)
      ) STRICT;

      INSERT INTO outbox (sequence, idempotency_key, kind, subject_ref, chain_id, store_id, kiosk_id, source, enrolled_at,
                          utc_offset_minutes, created_at, state, attempts, next_attempt_at, last_error, reason_code, payload,
                          eid_identity_ok, eid_address_ok, eid_photo_ok, eid_chain_ok, eid_card_valid_until, consents,
                          ${RECEIPT_COLUMNS})
      SELECT i.sequence, i.idempotency_key, i.kind, i.subject_ref, e.chain_id, e.store_id, e.kiosk_id, e.source, e.enrolled_at,
             e.utc_offset_minutes, i.created_at, i.state, i.attempts, i.next_attempt_at, i.last_error, i.reason_code, i.payload,
             e.eid_identity_ok, e.eid_address_ok, e.eid_photo_ok, e.eid_chain_ok, e.eid_card_valid_until,
             (SELECT json_group_array(json(c.record) ORDER BY c.rowid) FROM consent_records c WHERE c.idempotency_key = i.idempotency_key),
             r.closed_at, r.outcome, r.registry_receipt_id, r.registry_received_at
        FROM (SELECT idempotency_key, sequence, kind, subject_ref, enrollment_id, created_at, state, attempts, next_attempt_at,
                     last_error, reason_code, payload
                FROM outbox_v4
              UNION ALL
              SELECT idempotency_key, sequence, kind, subject_ref, CASE kind WHEN 'enrollment' THEN subject_ref END, created_at,
                     'discarded', 0, created_at, NULL, reason, NULL
                FROM receipts WHERE idempotency_key NOT IN (SELECT idempotency_key FROM outbox_v4)) i
        LEFT JOIN enrollments e ON e.id = i.enrollment_id
        LEFT JOIN receipts r ON r.idempotency_key = i.idempotency_key
       ORDER BY i.sequence;

      DROP TABLE outbox_v4;
      DROP TABLE receipts;
      DROP TABLE consent_records;
      DROP TABLE enrollments;
      DROP TABLE kiosk_sequence;

      -- The claim, the next due time and the per-state counts; the sequence rides along as the rowid.
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

      CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox
      BEGIN SELECT RAISE(ABORT, 'the journal is append-only: rows are never deleted'); END;
      CREATE TRIGGER outbox_record_immutable
      BEFORE UPDATE OF sequence, idempotency_key, kind, subject_ref, created_at, consents ON outbox
      BEGIN SELECT RAISE(ABORT, 'the journal is append-only: a row keeps its identity and its consent records'); END;
      CREATE TRIGGER outbox_receipt_once BEFORE UPDATE OF ${RECEIPT_COLUMNS} ON outbox
      WHEN OLD.outcome IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'receipt fields are set once'); END;

      CREATE VIEW consent_records AS
      SELECT ${RECORD_FIELDS.map(([column, path]) => `c.value ->> '${path}' AS ${column}`).join(', ')},
             c.value -> '$.purposes' AS purposes,
             c.value -> '$.evidence' AS evidence,
             c.value AS record,
             o.idempotency_key,
             o.sequence,
             o.state AS sync_state,
             o.created_at AS queued_at,
             CASE WHEN o.outcome IN ('accepted', 'duplicate') THEN o.closed_at END AS acknowledged_at,
             o.registry_receipt_id,
             o.registry_received_at
        FROM outbox o, json_each(o.consents) c;

      -- Nothing is written through the view; the two messages say which rule an update broke.
      CREATE TRIGGER consent_records_sync_once INSTEAD OF UPDATE ON consent_records WHEN ${SYNC_FIELDS_CHANGED}
      BEGIN SELECT RAISE(ABORT, 'consent record sync fields are set once, by the acknowledgement'); END;
      CREATE TRIGGER consent_records_immutable INSTEAD OF UPDATE ON consent_records WHEN NOT (${SYNC_FIELDS_CHANGED})
      BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;
      CREATE TRIGGER consent_records_no_delete INSTEAD OF DELETE ON consent_records
      BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;

      -- What a receipt keeps of an item's records: statement versions and per-purpose statuses.
      CREATE VIEW receipts AS
      SELECT o.idempotency_key, o.sequence, o.kind, o.subject_ref, o.outcome,
             (SELECT json_group_array(json_object(
                       'party', c.value ->> '$.party', 'statementId', c.value ->> '$.notice.statementId',
                       'version', c.value ->> '$.notice.version', 'language', c.value ->> '$.notice.language',
                       'eventType', c.value ->> '$.event.type',
                       'purposes', json((SELECT json_group_array(json_object('id', p.value ->> '$.id', 'status', p.value ->> '$.status'))
                                           FROM json_each(c.value, '$.purposes') p))
                     ) ORDER BY c.value ->> '$.party', c.value ->> '$.recordId')
                FROM json_each(o.consents) c) AS notices,
             o.created_at, o.closed_at, o.registry_receipt_id, o.registry_received_at,
             CASE WHEN o.outcome = 'discarded' THEN o.reason_code END AS reason
        FROM outbox o WHERE o.outcome IS NOT NULL;

      CREATE VIEW enrollments AS
      SELECT subject_ref AS id, chain_id, store_id, kiosk_id, source, enrolled_at, utc_offset_minutes, eid_identity_ok,
             eid_address_ok, eid_photo_ok, eid_chain_ok, eid_card_valid_until, created_at AS committed_at, closed_at AS purged_at
        FROM outbox WHERE kind = 'enrollment';
    `);
  },
};
