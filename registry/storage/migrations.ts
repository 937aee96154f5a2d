// Numbered, forward-only migrations, written once for both engines: `{{SEQ}}` is the only type
// that differs (a sequence assigned by the database). Times are ISO 8601 UTC text in both. The
// runner is the project's one (../../db/migrate.ts); SQLite records the version in user_version,
// PostgreSQL in the one row of `registry_schema`.
import type { Migration as NumberedMigration, MigrationErrors } from '../../sync/db/migrate.js';
import { RegistryError } from '../errors.js';

export interface Migration extends NumberedMigration {
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE kiosks (
  kiosk_id TEXT PRIMARY KEY,
  chain_id TEXT,
  store_id TEXT,
  token_hash TEXT NOT NULL UNIQUE,
  provisioned_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE profiles (
  profile_id TEXT PRIMARY KEY,
  match_key TEXT NOT NULL,
  birth_date TEXT,
  surname TEXT NOT NULL,
  first_names TEXT NOT NULL,
  language TEXT NOT NULL,
  sex TEXT,
  address_json TEXT,
  email TEXT,
  mobile TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX profiles_by_match_key ON profiles (match_key);
CREATE TABLE enrollments (
  enrollment_id TEXT PRIMARY KEY,
  profile_id TEXT NOT NULL REFERENCES profiles (profile_id),
  chain_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  kiosk_id TEXT NOT NULL,
  source TEXT NOT NULL,
  enrolled_at TEXT NOT NULL,
  utc_offset_minutes INTEGER NOT NULL,
  sent_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  receipt_id TEXT NOT NULL,
  eid_verification_json TEXT
);
CREATE INDEX enrollments_by_profile ON enrollments (profile_id, chain_id);
CREATE TABLE consent_records (
  seq {{SEQ}},
  record_id TEXT NOT NULL UNIQUE,
  profile_id TEXT NOT NULL REFERENCES profiles (profile_id),
  subject_ref TEXT NOT NULL,
  chain_id TEXT NOT NULL,
  party TEXT NOT NULL,
  event_type TEXT NOT NULL,
  event_at TEXT NOT NULL,
  kiosk_id TEXT NOT NULL,
  sent_at TEXT,
  received_at TEXT NOT NULL,
  record_json TEXT NOT NULL
);
CREATE INDEX consent_records_by_profile ON consent_records (profile_id);
CREATE TABLE idempotency_keys (
  idempotency_key TEXT PRIMARY KEY,
  kiosk_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  kiosk_sequence BIGINT NOT NULL,
  payload_hash TEXT NOT NULL,
  receipt_id TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE TABLE change_events (
  seq {{SEQ}},
  chain_id TEXT NOT NULL,
  profile_id TEXT NOT NULL REFERENCES profiles (profile_id),
  kind TEXT NOT NULL,
  subject_refs_json TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  data_json TEXT NOT NULL
);
CREATE INDEX change_events_by_chain ON change_events (chain_id, seq);
`,
  },
  {
    // Identity resolution on strong keys only (registry/matching.ts): the keys as keyed digests,
    // which profiles an eID-verified read confirmed, erasure, and which person fields each
    // enrollment carried (what its chain's policy keeps, for access requests). Profiles of version 1
    // gain keys only from their next enrollments: they were matched on names and may be merges.
    version: 2,
    name: 'strong-keys',
    sql: `
CREATE TABLE profile_keys (
  digest TEXT NOT NULL,
  profile_id TEXT NOT NULL REFERENCES profiles (profile_id),
  kind TEXT NOT NULL,
  PRIMARY KEY (digest, profile_id)
);
CREATE INDEX profile_keys_by_profile ON profile_keys (profile_id);
ALTER TABLE profiles ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE profiles ADD COLUMN erased_at TEXT;
CREATE INDEX profiles_by_activity ON profiles (updated_at);
ALTER TABLE enrollments ADD COLUMN person_fields TEXT NOT NULL DEFAULT '';
CREATE TABLE erasures (
  profile_id TEXT PRIMARY KEY,
  erased_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  kiosk_id TEXT
);
`,
  },
  {
    // Idempotency keys are scoped per kiosk: a key is the kiosk's own (sync.md), and one kiosk
    // reusing another's must neither be blocked by it nor be answered with its receipt.
    version: 3,
    name: 'idempotency-per-kiosk',
    sql: `
CREATE TABLE idempotency_keys_v3 (
  kiosk_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  kiosk_sequence BIGINT NOT NULL,
  payload_hash TEXT NOT NULL,
  receipt_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (kiosk_id, idempotency_key)
);
INSERT INTO idempotency_keys_v3 (kiosk_id, idempotency_key, kind, kiosk_sequence, payload_hash, receipt_id, received_at)
  SELECT kiosk_id, idempotency_key, kind, kiosk_sequence, payload_hash, receipt_id, received_at FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_v3 RENAME TO idempotency_keys;
`,
  },
  {
    // Matching moved to profile_keys in version 2; nothing has looked profiles up by name since,
    // and the index cost every new profile a write on a page of its own.
    version: 4,
    name: 'drop-unused-name-index',
    sql: `
DROP INDEX profiles_by_match_key;
`,
  },
  {
    // A "no" to the registry (sync.md, "What a no forbids"): such an enrollment is held for its chain
    // only, as the chain's processor, in a profile naming that chain, with no registry key. Chain keys
    // are one chain's digests, found only by that chain's lookups, whatever the registry answer was.
    // Profiles of earlier versions stay the registry's (chain_id NULL) and gain no chain key.
    version: 5,
    name: 'chain-only-profiles',
    sql: `
ALTER TABLE profiles ADD COLUMN chain_id TEXT;
CREATE TABLE chain_keys (
  digest TEXT NOT NULL,
  profile_id TEXT NOT NULL REFERENCES profiles (profile_id),
  chain_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  PRIMARY KEY (digest, profile_id)
);
CREATE INDEX chain_keys_by_profile ON chain_keys (profile_id);
`,
  },
  {
    // Proof of control on the typed path (subject-proof.ts): one live one-time code per profile, as a
    // keyed digest only. And the outbox of e-mail and SMS (mail/outbox.ts): a message's address and
    // content stay only until it is sent (or its code expired); the row stays so it is sent once.
    version: 6,
    name: 'one-time-codes-and-mail-outbox',
    sql: `
CREATE TABLE one_time_codes (
  profile_id TEXT PRIMARY KEY,
  code_digest TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  tries_left INTEGER NOT NULL
);
CREATE TABLE mail_outbox (
  seq {{SEQ}},
  channel TEXT NOT NULL,
  recipient TEXT,
  message_json TEXT,
  created_at TEXT NOT NULL,
  discard_after TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);
`,
  },
  {
    // The fleet (operations.md, "Watch"): each kiosk's latest heartbeat, one row replaced each
    // minute (no history: the back office asks "how is it now"), and the back office's own
    // credential, a chain's, stored hashed like a kiosk's and never usable as one.
    version: 7,
    name: 'fleet',
    sql: `
CREATE TABLE kiosk_heartbeats (
  kiosk_id TEXT PRIMARY KEY REFERENCES kiosks (kiosk_id),
  received_at TEXT NOT NULL,
  heartbeat_json TEXT NOT NULL
);
CREATE TABLE back_office_tokens (
  token_hash TEXT PRIMARY KEY,
  chain_id TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX back_office_tokens_by_chain ON back_office_tokens (chain_id);
`,
  },
  {
    // Provisioning by a one-time code (operations.md, "Provision"): the back office's code for one
    // kiosk, kept only as its hash, with its expiry and what the kiosk will be; used_at marks the
    // one exchange it allows (kept, so a second try is told apart from nothing in the audit).
    version: 8,
    name: 'enroll-codes',
    sql: `
CREATE TABLE enroll_codes (
  code_hash TEXT PRIMARY KEY,
  kiosk_id TEXT NOT NULL,
  chain_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  update_url TEXT,
  update_public_key TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
`,
  },
  {
    // Proof anyone can check (issue #16): each kiosk's Ed25519 public keys (a kiosk's old key stays
    // for verifying what it signed: not_after marks when it stopped signing), the registry's own
    // signing keys (the private half sealed under a key kept out of the database), and for each
    // consent record the kiosk's JWS as received and the registry's countersignature.
    version: 9,
    name: 'signatures',
    sql: `
CREATE TABLE kiosk_keys (
  kid TEXT PRIMARY KEY,
  chain_id TEXT,
  kiosk_id TEXT NOT NULL REFERENCES kiosks (kiosk_id),
  public_jwk TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT
);
CREATE INDEX kiosk_keys_by_kiosk ON kiosk_keys (kiosk_id);
CREATE TABLE registry_keys (
  kid TEXT PRIMARY KEY,
  public_jwk TEXT NOT NULL,
  private_jwk_sealed TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT
);
CREATE TABLE consent_signatures (
  record_id TEXT PRIMARY KEY REFERENCES consent_records (record_id),
  kiosk_kid TEXT NOT NULL,
  kiosk_jws TEXT NOT NULL,
  registry_kid TEXT NOT NULL,
  registry_jws TEXT NOT NULL,
  signed_at TEXT NOT NULL
);
`,
  },
  {
    // Signed batches (issue #16's cost aim): the kiosk signs each batch it sends over its records'
    // JWS, and the registry verifies and countersigns the batch once instead of each record. Each
    // batch is kept once; a record's row names its batch and holds no countersignature of its own.
    // Rows from before keep theirs (as do the records the registry writes itself): the table is
    // rebuilt, since SQLite cannot drop a NOT NULL, and exactly one of the two must be there.
    version: 10,
    name: 'signed-batches',
    sql: `
CREATE TABLE signed_batches (
  batch_id TEXT PRIMARY KEY,
  kiosk_id TEXT NOT NULL,
  kiosk_kid TEXT NOT NULL,
  kiosk_jws TEXT NOT NULL,
  registry_kid TEXT NOT NULL,
  registry_jws TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE TABLE consent_signatures_10 (
  record_id TEXT PRIMARY KEY REFERENCES consent_records (record_id),
  kiosk_kid TEXT NOT NULL,
  kiosk_jws TEXT NOT NULL,
  registry_kid TEXT,
  registry_jws TEXT,
  batch_id TEXT REFERENCES signed_batches (batch_id),
  signed_at TEXT NOT NULL,
  CHECK ((registry_jws IS NULL) = (batch_id IS NOT NULL) AND (registry_kid IS NULL) = (registry_jws IS NULL))
);
INSERT INTO consent_signatures_10 (record_id, kiosk_kid, kiosk_jws, registry_kid, registry_jws, signed_at)
  SELECT record_id, kiosk_kid, kiosk_jws, registry_kid, registry_jws, signed_at FROM consent_signatures;
DROP TABLE consent_signatures;
ALTER TABLE consent_signatures_10 RENAME TO consent_signatures;
CREATE INDEX consent_signatures_by_batch ON consent_signatures (batch_id);
`,
  },
];

const SEQ = { sqlite: 'INTEGER PRIMARY KEY AUTOINCREMENT', postgres: 'BIGSERIAL PRIMARY KEY' } as const;

export function migrationSql(m: Migration, engine: keyof typeof SEQ): string {
  return m.sql.replaceAll('{{SEQ}}', SEQ[engine]);
}

export const LATEST_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

export const MIGRATION_ERRORS: MigrationErrors = {
  newer: (database, code) => new RegistryError('SCHEMA_TOO_NEW', `database schema ${database} is newer than this registry (${code})`),
  badList: (detail) => new RegistryError('BAD_MIGRATIONS', `the registry's migrations are not numbered 1, 2, 3...: ${detail}`),
  failed: (cause, m) =>
    cause instanceof RegistryError || !m
      ? cause
      : new RegistryError('MIGRATION_FAILED', `migration ${m.version}-${m.name} failed and was rolled back`, { cause }),
};
