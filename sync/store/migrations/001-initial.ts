// The first schema: enrollments (personal fields encrypted), append-only consent records, the outbox.
// No national register number, photo, card or chip number column exists, by design.
import type { Migration } from './types.js';

const IMMUTABLE_CONSENT_COLUMNS = [
  'record_id',
  'subject_ref',
  'party',
  'controller_id',
  'statement_id',
  'statement_version',
  'statement_language',
  'text_sha256',
  'event_type',
  'event_at',
  'method',
  'store_id',
  'kiosk_id',
  'purposes',
  'evidence',
  'record',
  'idempotency_key',
  'queued_at',
].join(', ');

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE store_meta (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) STRICT;

      -- The kiosk's monotonic outbox sequence; a counter, so purged or deleted rows never free a number.
      CREATE TABLE kiosk_sequence (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        value INTEGER NOT NULL
      ) STRICT;
      INSERT INTO kiosk_sequence (id, value) VALUES (1, 0);

      -- Personal columns hold AES-256-GCM ciphertexts bound to (table, id, column), and become NULL
      -- once the registry acknowledged the enrollment (purged_at set).
      CREATE TABLE enrollments (
        id TEXT PRIMARY KEY,
        chain_id TEXT NOT NULL,
        store_id TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('eid', 'manual', 'paper')),
        enrolled_at TEXT NOT NULL,
        utc_offset_minutes INTEGER NOT NULL,
        surname BLOB,
        first_names BLOB,
        language BLOB,
        address BLOB,
        birth_date BLOB,
        sex BLOB,
        email BLOB,
        mobile BLOB,
        eid_identity_ok INTEGER,
        eid_address_ok INTEGER,
        eid_photo_ok INTEGER,
        eid_chain_ok INTEGER,
        eid_card_valid_until TEXT,
        committed_at TEXT NOT NULL,
        purged_at TEXT
      ) STRICT;

      -- One row per party per decision. No personal data: the subject is the enrollment's uuid.
      CREATE TABLE consent_records (
        record_id TEXT PRIMARY KEY,
        subject_ref TEXT NOT NULL,
        party TEXT NOT NULL CHECK (party IN ('chain', 'registry')),
        controller_id TEXT NOT NULL,
        statement_id TEXT NOT NULL,
        statement_version TEXT NOT NULL,
        statement_language TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        event_type TEXT NOT NULL CHECK (event_type IN ('given', 'refused', 'withdrawn', 'renewed')),
        event_at TEXT NOT NULL,
        method TEXT NOT NULL,
        store_id TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        purposes TEXT NOT NULL,
        evidence TEXT NOT NULL,
        record TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        queued_at TEXT NOT NULL,
        acknowledged_at TEXT,
        registry_receipt_id TEXT,
        registry_received_at TEXT
      ) STRICT;

      -- Append-only: a withdrawal is a new record. Only the sync fields may be filled in, once.
      CREATE TRIGGER consent_records_immutable BEFORE UPDATE OF ${IMMUTABLE_CONSENT_COLUMNS} ON consent_records
      BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;
      CREATE TRIGGER consent_records_sync_once
      BEFORE UPDATE OF acknowledged_at, registry_receipt_id, registry_received_at ON consent_records
      WHEN OLD.acknowledged_at IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'consent record sync fields are set once'); END;
      CREATE TRIGGER consent_records_no_delete BEFORE DELETE ON consent_records
      BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;

      -- The payload is the WireItem JSON, encrypted; NULL once acknowledged.
      CREATE TABLE outbox (
        idempotency_key TEXT PRIMARY KEY,
        sequence INTEGER NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('enrollment', 'consent-event')),
        subject_ref TEXT NOT NULL,
        enrollment_id TEXT REFERENCES enrollments (id),
        created_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'acknowledged', 'dead-letter')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        reason_code TEXT,
        payload BLOB,
        CHECK (payload IS NOT NULL OR state = 'acknowledged')
      ) STRICT;
    `);
  },
};
