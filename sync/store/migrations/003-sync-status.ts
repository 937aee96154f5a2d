// What the manager view shows about the link to the registry (last attempt, last success), and the
// indexes the outbox's hot queries use once a long offline spell has queued thousands of items.
import type { Migration } from './types.js';

export const migration003: Migration = {
  version: 3,
  name: 'sync-status',
  up(db) {
    db.exec(`
      CREATE TABLE sync_status (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_attempt_at TEXT NOT NULL,
        last_attempt_ok INTEGER NOT NULL,
        last_error TEXT,
        last_success_at TEXT
      ) STRICT;

      CREATE INDEX outbox_due ON outbox (state, next_attempt_at, sequence);
      CREATE INDEX consent_records_by_item ON consent_records (idempotency_key);
      CREATE INDEX consent_records_by_subject ON consent_records (subject_ref);
    `);
  },
};
