// Fewer pages per commit (each page a commit touches is 4 KB more to fsync in the WAL):
// - personal data stored once: until version 3 a commit sealed the person column by column in
//   enrollments and again inside the outbox payload. An item loses both together (acknowledgement or
//   discard), so every enrollment whose columns still hold data has its payload, and the copy in the
//   columns goes without losing anything. The columns stay, always NULL (a CHECK says so), because
//   the sync tests' fixture still reads them;
// - enrollments keyed by their id alone (WITHOUT ROWID: one b-tree, not a table and an index);
// - the outbox sequence is the rowid, so its uniqueness costs no separate index;
// - the index of consent records by subject served no query.
// Each table is rebuilt from its own CREATE TABLE text with the few edits named here. Renaming the old
// tables first rewrites the foreign key to follow them, so the copies never break it.
import type { Database } from 'better-sqlite3';
import { StoreError } from '../errors.js';
import type { Migration } from './types.js';

type Edit = readonly [from: string, to: string];

/** Enrollments keyed by id alone, and the old person columns held NULL for good. */
const ENROLLMENTS_EDITS: readonly Edit[] = [
  [
    'purged_at TEXT\n      ) STRICT',
    'purged_at TEXT,\n        CHECK (COALESCE(surname, first_names, language, address, birth_date, sex, email, mobile) IS NULL)\n      ) STRICT, WITHOUT ROWID',
  ],
];
/** The outbox sequence as row id. */
const OUTBOX_EDITS: readonly Edit[] = [
  ['idempotency_key TEXT PRIMARY KEY,', 'idempotency_key TEXT NOT NULL UNIQUE,'],
  ['sequence INTEGER NOT NULL UNIQUE,', 'sequence INTEGER PRIMARY KEY,'],
];

/** The table as version 1 created it (its CREATE TABLE text in sqlite_schema) with `edits` made. */
function rebuiltTable(db: Database, table: string, edits: readonly Edit[]): string {
  const { sql } = db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(table) as { sql: string };
  return edits.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new StoreError('MIGRATION_FAILED', `${table} schema lacks '${from}'`);
    return text.replace(from, to);
  }, sql);
}

const ENROLLMENT_COLUMNS = `id, chain_id, store_id, kiosk_id, source, enrolled_at, utc_offset_minutes, eid_identity_ok,
  eid_address_ok, eid_photo_ok, eid_chain_ok, eid_card_valid_until, committed_at, purged_at`;
const OUTBOX_COLUMNS = `idempotency_key, sequence, kind, subject_ref, enrollment_id, created_at, state, attempts,
  next_attempt_at, last_error, reason_code, payload`;

export const migration004: Migration = {
  version: 4,
  name: 'fewer-pages-per-commit',
  up(db) {
    const enrollmentsSql = rebuiltTable(db, 'enrollments', ENROLLMENTS_EDITS);
    const outboxSql = rebuiltTable(db, 'outbox', OUTBOX_EDITS);
    db.exec(`
      ALTER TABLE outbox RENAME TO outbox_v3;
      ALTER TABLE enrollments RENAME TO enrollments_v3;
      DROP INDEX outbox_due;

      ${enrollmentsSql};
      INSERT INTO enrollments (${ENROLLMENT_COLUMNS}) SELECT ${ENROLLMENT_COLUMNS} FROM enrollments_v3;

      ${outboxSql};
      INSERT INTO outbox (${OUTBOX_COLUMNS}) SELECT ${OUTBOX_COLUMNS} FROM outbox_v3;
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at, sequence);

      DROP TABLE outbox_v3;
      DROP TABLE enrollments_v3;
      DROP INDEX consent_records_by_subject;
    `);
  },
};
