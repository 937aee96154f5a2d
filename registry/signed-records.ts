// The kiosk's signatures checked on arrival (issue #16): every consent record of an item must carry
// the sending kiosk's JWS over that very record, made with one of that kiosk's registered keys; the
// registry countersigns each, and both are kept with the record. The records the registry writes
// itself (withdrawals: event.recordedBy 'registry') it signs with its own key, then countersigns
// the same way, so every stored record has the same two signatures.
import { countersign, signRecord, verifyCanonicalRecord } from '../sync/proof/signatures.js';
import type { SigningKey } from '../sync/proof/ed25519.js';
import type { KeySet } from '../sync/proof/key-set.js';
import { ConsentRecord, type WireItem } from '../sync/wire/schemas.js';
import { canonicalWriter } from './canonical.js';
import { ItemRejection } from './errors.js';
import type { KioskIdentity, RegistryStore } from './store.js';
import type { ConsentSignatureRow } from './storage/consent-signatures.js';
import { publishedKioskKey, type RegistrySigningKeys } from './signing-keys.js';

/** What one batch's items are checked and countersigned with, read once per batch. */
export interface BatchProof {
  kioskKeys: KeySet;
  registryKey: SigningKey;
  receivedAt: string;
}

export async function batchProof(store: RegistryStore, signing: RegistrySigningKeys, kiosk: KioskIdentity, now: Date): Promise<BatchProof> {
  const [rows, registryKey] = await Promise.all([store.kioskKeys(kiosk.kioskId), signing.current(now)]);
  return { kioskKeys: { keys: rows.map(publishedKioskKey) }, registryKey, receivedAt: now.toISOString() };
}

// The records passed the wire schema: written by its shape, as the idempotency hash is (a quarter of the general form's cost).
const recordJson = canonicalWriter(ConsentRecord);

/** Each record's kiosk JWS verified and countersigned; throws the item's rejection otherwise. */
export function signedRecords(item: WireItem, proof: BatchProof): ConsentSignatureRow[] {
  const pairs: Array<[ConsentRecord, string | undefined]> =
    item.kind === 'enrollment'
      ? item.payload.consents.map((c, i) => [c, item.payload.signatures?.[i]])
      : [[item.payload.consent, item.payload.signature]];
  if (item.kind === 'enrollment' && (item.payload.signatures?.length ?? 0) > item.payload.consents.length)
    throw new ItemRejection('INVALID_ITEM', 'more signatures than consent records');
  return pairs.map(([record, jws]) => {
    if (jws === undefined) throw new ItemRejection('RECORD_UNSIGNED', `record ${record.recordId}`);
    const check = verifyCanonicalRecord(jws, recordJson(record), proof.kioskKeys);
    if (!check.ok) throw new ItemRejection('RECORD_SIGNATURE_INVALID', `record ${record.recordId}: ${check.failure}`);
    return countersigned(record.recordId, check.key.kid, jws, proof.registryKey, proof.receivedAt);
  });
}

/**
 * A record the registry writes itself: its JWS by the registry's key (`consent-record+jws`, in the
 * columns that hold a kiosk's for a kiosk's record), then the countersignature as for any record.
 */
export function registrySigned(record: ConsentRecord, registryKey: SigningKey, at: string): ConsentSignatureRow {
  if (record.event.recordedBy !== 'registry') throw new Error(`record ${record.recordId} is not the registry's own`);
  return countersigned(record.recordId, registryKey.kid, signRecord(record, registryKey), registryKey, at);
}

const countersigned = (
  recordId: string,
  recordKid: string,
  recordJws: string,
  registryKey: SigningKey,
  at: string,
): ConsentSignatureRow => ({
  recordId,
  kioskKid: recordKid,
  kioskJws: recordJws,
  registryKid: registryKey.kid,
  registryJws: countersign(recordId, recordJws, at, registryKey),
  signedAt: at,
});
