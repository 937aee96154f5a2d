// Receipts: the small row that stays once an item is acknowledged or discarded (sync.md: the kiosk is
// not an archive). Items acknowledged under version 1 get their receipt from their consent records.
import type { Migration } from './types.js';

export const migration002: Migration = {
  version: 2,
  name: 'receipts',
  up(db) {
    db.exec(`
      CREATE TABLE receipts (
        idempotency_key TEXT PRIMARY KEY,
        sequence INTEGER NOT NULL,
        kind TEXT NOT NULL,
        subject_ref TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'discarded')),
        notices TEXT NOT NULL,
        created_at TEXT NOT NULL,
        closed_at TEXT NOT NULL,
        registry_receipt_id TEXT,
        registry_received_at TEXT,
        reason TEXT
      ) STRICT;

      INSERT INTO receipts (idempotency_key, sequence, kind, subject_ref, outcome, notices, created_at, closed_at,
                            registry_receipt_id, registry_received_at)
      SELECT o.idempotency_key, o.sequence, o.kind, o.subject_ref, 'accepted',
             (SELECT json_group_array(json_object('party', c.party, 'statementId', c.statement_id,
                       'version', c.statement_version, 'language', c.statement_language, 'eventType', c.event_type,
                       'purposes', (SELECT json_group_array(json_object('id', p.value ->> '$.id', 'status', p.value ->> '$.status'))
                                      FROM json_each(c.purposes) p))
                       ORDER BY c.party, c.record_id)
                FROM consent_records c WHERE c.idempotency_key = o.idempotency_key),
             o.created_at,
             COALESCE((SELECT max(c.acknowledged_at) FROM consent_records c WHERE c.idempotency_key = o.idempotency_key), o.created_at),
             (SELECT max(c.registry_receipt_id) FROM consent_records c WHERE c.idempotency_key = o.idempotency_key),
             (SELECT max(c.registry_received_at) FROM consent_records c WHERE c.idempotency_key = o.idempotency_key)
        FROM outbox o WHERE o.state = 'acknowledged';
    `);
  },
};
