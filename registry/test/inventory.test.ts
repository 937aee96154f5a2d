// Issue 14: every column the registry keeps that holds personal data is in the inventory of the
// current statement of the party it is kept for. The columns come from the migrated schema itself,
// so a new column fails here until it is mapped (to what it keeps, or as not personal, and why).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { currentStatement } from '../../sync/consent/statements.js';
import { notInInventory, type Inventories, type Kept } from '../../sync/test/fixtures/inventory.js';
import { MIGRATIONS, migrationSql } from '../storage/migrations.js';

const chain = (category: Kept['category'], keptAs: Kept['keptAs'] = 'plain'): Kept => ({
  party: 'chain',
  category,
  keptAs,
  viaRegistry: true,
});
const registry = (category: Kept['category'], keptAs: Kept['keptAs'] = 'plain'): Kept => ({ party: 'registry', category, keptAs });
/** A profile field: the chain's customer file, and under a registry consent the registry's profile. */
const profileField = (category: Kept['category']): Kept[] => [chain(category), registry(category)];
const visit = [chain('visits')];
const link = [registry('profileLink')];
const proof = [chain('consentProof'), registry('consentProof')];
const notPersonal = (why: string): string => why;
// Filled only from the person as the chain's policy keeps it: Demo Retail's drops it, and
// sync/consent/inventory.test.ts holds the payload (so what can reach this column) to its statement.
const droppedByPolicy = 'empty: the chain policy drops it before it leaves the kiosk';

/** Every column, with what it keeps, or why it holds no personal data. */
const COLUMNS: Record<string, Kept[] | string> = {
  'kiosks.kiosk_id': notPersonal('a device'),
  'kiosks.chain_id': notPersonal('a device'),
  'kiosks.store_id': notPersonal('a device'),
  'kiosks.token_hash': notPersonal('a device credential'),
  'kiosks.provisioned_at': notPersonal('a device'),
  'kiosks.revoked_at': notPersonal('a device'),
  'kiosk_heartbeats.kiosk_id': notPersonal('a device'),
  'kiosk_heartbeats.received_at': notPersonal('a device'),
  'kiosk_heartbeats.heartbeat_json': notPersonal("a device's health: version, queue counts, reader, disk; nothing about a customer"),
  'back_office_tokens.token_hash': notPersonal("a chain back office's credential"),
  'back_office_tokens.chain_id': notPersonal("a chain back office's credential"),
  'back_office_tokens.issued_at': notPersonal("a chain back office's credential"),
  'back_office_tokens.revoked_at': notPersonal("a chain back office's credential"),
  'profiles.profile_id': link,
  'profiles.match_key': [chain('surname'), chain('firstNames'), registry('surname'), registry('firstNames')],
  'profiles.birth_date': droppedByPolicy,
  'profiles.surname': profileField('surname'),
  'profiles.first_names': profileField('firstNames'),
  'profiles.language': profileField('language'),
  'profiles.sex': droppedByPolicy,
  'profiles.address_json': profileField('address'),
  'profiles.email': profileField('email'),
  'profiles.mobile': profileField('mobile'),
  'profiles.created_at': visit,
  'profiles.updated_at': visit,
  'profiles.verified': [chain('eidChecks')],
  'profiles.erased_at': notPersonal('when the profile was erased: its fields are gone'),
  'profiles.chain_id': visit,
  'profile_keys.digest': [registry('birthDate', 'keyed-digest'), registry('email', 'keyed-digest'), registry('mobile', 'keyed-digest')],
  'profile_keys.profile_id': link,
  'profile_keys.kind': notPersonal('which kind of key the digest is'),
  'chain_keys.digest': [
    chain('birthDate', 'keyed-digest'),
    chain('email', 'keyed-digest'),
    chain('mobile', 'keyed-digest'),
    chain('withdrawalCode', 'keyed-digest'),
  ],
  'chain_keys.profile_id': visit,
  'chain_keys.chain_id': visit,
  'chain_keys.kind': notPersonal('which kind of key the digest is'),
  'enrollments.enrollment_id': visit,
  'enrollments.profile_id': link,
  'enrollments.chain_id': visit,
  'enrollments.store_id': visit,
  'enrollments.kiosk_id': visit,
  'enrollments.source': visit,
  'enrollments.enrolled_at': visit,
  'enrollments.utc_offset_minutes': visit,
  'enrollments.sent_at': visit,
  'enrollments.received_at': visit,
  'enrollments.receipt_id': visit,
  'enrollments.eid_verification_json': [chain('eidChecks')],
  'enrollments.person_fields': visit,
  'consent_records.seq': notPersonal('a sequence number'),
  'consent_records.record_id': proof,
  'consent_records.profile_id': link,
  'consent_records.subject_ref': proof,
  'consent_records.chain_id': proof,
  'consent_records.party': proof,
  'consent_records.event_type': proof,
  'consent_records.event_at': proof,
  'consent_records.kiosk_id': proof,
  'consent_records.sent_at': proof,
  'consent_records.received_at': proof,
  'consent_records.record_json': proof,
  'idempotency_keys.kiosk_id': notPersonal('a device'),
  'idempotency_keys.idempotency_key': notPersonal('a random key of one sync item'),
  'idempotency_keys.kind': notPersonal('the item kind'),
  'idempotency_keys.kiosk_sequence': notPersonal('a device counter'),
  'idempotency_keys.payload_hash': notPersonal('an unkeyed hash of a whole item with its random ids: not a key to anyone'),
  'idempotency_keys.receipt_id': notPersonal('a random receipt id'),
  'idempotency_keys.received_at': notPersonal('when the item came'),
  'change_events.seq': notPersonal('the feed cursor'),
  'change_events.chain_id': link,
  'change_events.profile_id': link,
  'change_events.kind': link,
  'change_events.subject_refs_json': link,
  'change_events.recorded_at': link,
  // A co-update passes the registry's profile changes on; a withdrawal event is the chain's proof.
  'change_events.data_json': [registry('address'), registry('email'), registry('mobile'), chain('consentProof')],
  // Proof of control on the typed path and the mail a customer asked for: sent for the chain by the
  // registry as its processor, and by the registry for itself before a registry withdrawal or an
  // erasure; gone once sent or used, and by either party's 'transient-messages' rule at the latest.
  'one_time_codes.profile_id': link,
  'one_time_codes.code_digest': [chain('oneTimeCode', 'keyed-digest'), registry('oneTimeCode', 'keyed-digest')],
  'one_time_codes.expires_at': notPersonal('when the code stops working'),
  'one_time_codes.tries_left': notPersonal('a counter'),
  'mail_outbox.seq': notPersonal('a queue position'),
  'mail_outbox.channel': notPersonal('e-mail or SMS'),
  'mail_outbox.recipient': [chain('email'), chain('mobile'), registry('email'), registry('mobile')],
  // The code in clear inside its message until sent: the message is wiped then.
  'mail_outbox.message_json': [chain('oneTimeCode'), chain('consentProof'), registry('oneTimeCode')],
  'mail_outbox.created_at': notPersonal('when'),
  'mail_outbox.discard_after': notPersonal('when a code message is no use any more'),
  'mail_outbox.attempts': notPersonal('a counter'),
  'mail_outbox.next_attempt_at': notPersonal('when'),
  'mail_outbox.sent_at': notPersonal('when'),
  'enroll_codes.code_hash': notPersonal("a kiosk's one-time set-up code, hashed"),
  'enroll_codes.kiosk_id': notPersonal('a device'),
  'enroll_codes.chain_id': notPersonal('a device'),
  'enroll_codes.store_id': notPersonal('a device'),
  'enroll_codes.created_at': notPersonal('a device'),
  'enroll_codes.expires_at': notPersonal('a device'),
  'enroll_codes.used_at': notPersonal('a device'),
  'enroll_codes.update_url': notPersonal("the chain's update server"),
  'enroll_codes.update_public_key': notPersonal("the chain's update key"),
  'erasures.profile_id': notPersonal('the id of an erased profile, whose fields are gone'),
  'erasures.erased_at': notPersonal('when'),
  'erasures.reason': notPersonal('why: retention or a request'),
  'erasures.kiosk_id': notPersonal('a device'),
  // The proof's signatures (issue #16): the kiosk's JWS holds the very record of record_json, the
  // registry's its id, a hash of that JWS and the receive time; deleted with the record.
  'consent_signatures.record_id': proof,
  'consent_signatures.kiosk_kid': notPersonal("which kiosk key signed: a device's"),
  'consent_signatures.kiosk_jws': proof,
  'consent_signatures.registry_kid': notPersonal('which registry key countersigned'),
  'consent_signatures.registry_jws': proof,
  'consent_signatures.signed_at': proof,
  'consent_signatures.batch_id': notPersonal("a hash of the kiosk's batch signature"),
  // A signed batch (migration 10): its JWS lists the batch's record ids and a hash of each record's
  // JWS, no record content; the countersignature a hash of that JWS. Kept while a record names it.
  'signed_batches.batch_id': notPersonal("a hash of the kiosk's batch signature"),
  'signed_batches.kiosk_id': notPersonal('a device'),
  'signed_batches.kiosk_kid': notPersonal("which kiosk key signed: a device's"),
  'signed_batches.kiosk_jws': proof,
  'signed_batches.registry_kid': notPersonal('which registry key countersigned'),
  'signed_batches.registry_jws': proof,
  'signed_batches.received_at': notPersonal('when a device sent a batch'),
  'kiosk_keys.kid': notPersonal("a device's public key"),
  'kiosk_keys.chain_id': notPersonal('a device'),
  'kiosk_keys.kiosk_id': notPersonal('a device'),
  'kiosk_keys.public_jwk': notPersonal("a device's public key"),
  'kiosk_keys.not_before': notPersonal("a device key's validity"),
  'kiosk_keys.not_after': notPersonal("a device key's validity"),
  'registry_keys.kid': notPersonal("the registry's public key"),
  'registry_keys.public_jwk': notPersonal("the registry's public key"),
  'registry_keys.private_jwk_sealed': notPersonal("the registry's signing key, sealed"),
  'registry_keys.not_before': notPersonal("a registry key's validity"),
  'registry_keys.not_after': notPersonal("a registry key's validity"),
};

/** Every column of the registry's schema after all migrations, as `table.column`. */
function registryColumns(): string[] {
  const db = new Database(':memory:');
  try {
    for (const m of MIGRATIONS) db.exec(migrationSql(m, 'sqlite'));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    return tables.flatMap((t) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]).map((c) => `${t}.${c}`));
  } finally {
    db.close();
  }
}

const currentInventories = (): Inventories => ({
  chain: currentStatement('chain', 'en').inventory,
  registry: currentStatement('registry', 'en').inventory,
});

const kept = (columns: Record<string, Kept[] | string>) =>
  Object.entries(columns).flatMap(([column, items]) => (typeof items === 'string' ? [] : [[column, items] as const]));

describe('the registry columns and the inventories of the current statements', () => {
  it('maps every column of the migrated schema, and no column that is not there', () => {
    expect(registryColumns().sort()).toEqual(Object.keys(COLUMNS).sort());
  });

  it('finds what every column keeps in the inventory of the party it is kept for', () => {
    expect(notInInventory(kept(COLUMNS), currentInventories())).toEqual([]);
  });

  it('reports a column whose category an inventory lacks', () => {
    const { chain: c, registry: r } = currentInventories();
    const noLink = { chain: c, registry: r.filter((e) => e.category !== 'profileLink') };
    const missing = notInInventory(kept(COLUMNS), noLink);
    expect(missing).toContain('profiles.profile_id: registry profileLink plain');
    expect(missing).toContain('enrollments.profile_id: registry profileLink plain');
    const withSex = { ...COLUMNS, 'profiles.sex': [chain('sex')] };
    expect(notInInventory(kept(withSex), currentInventories())).toEqual(['profiles.sex: chain sex plain via the registry as processor']);
  });
});
