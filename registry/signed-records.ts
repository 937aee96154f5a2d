// The kiosk's signatures checked on arrival (issue #16). A kiosk signs each batch it sends
// (`consent-batch+jws`) over the SHA-256 of each record's commit-time JWS, which travels detached:
// the batch signature is verified once, by a registered key of the sending kiosk, and each record's
// JWS is rebuilt from the record as received and must hash to the batch's entry for it, its kid a
// key of that kiosk. The record's own signature is kept, not verified here: the batch signature, by
// the same kiosk's key, binds its exact bytes (the audit verifies both). The registry countersigns
// the batch once. A batch without a signature (a kiosk from before) has each record's attached JWS
// verified and countersigned on its own, as do the records the registry writes itself (withdrawals:
// event.recordedBy 'registry'), signed by its own key.
import { attachedJwsSha256, countersignBatch, verifyBatch } from '../sync/proof/batch-signature.js';
import { detach, headerOf } from '../sync/proof/jws.js';
import { countersign, signRecord, verifyCanonicalRecord } from '../sync/proof/signatures.js';
import { sha256Hex, type SigningKey } from '../sync/proof/ed25519.js';
import type { KeySet } from '../sync/proof/key-set.js';
import { recordsOf, type BatchRequest, type ConsentRecord, type WireItem } from '../sync/wire/schemas.js';
import { recordJson } from './canonical.js';
import { ItemRejection } from './errors.js';
import { KIOSK_CACHE_MS } from './kiosk-cache.js';
import type { KioskIdentity, RegistryStore } from './store.js';
import type { ConsentSignatureRow, SignedBatchRow } from './storage/consent-signatures.js';
import { publishedKioskKey, type RegistrySigningKeys } from './signing-keys.js';

/** What one batch's items are checked and countersigned with, read once per batch. */
export interface BatchProof {
  kioskKeys: KeySet;
  registryKey: SigningKey;
  receivedAt: string;
}

/**
 * Each batch's keys: the sending kiosk's registered keys and the registry's current key. The kiosk's
 * are kept KIOSK_CACHE_MS (read for every batch they were one more round trip before its turn); a
 * batch signed by a kid the kept keys do not hold (a key registered since, perhaps through another
 * registry process) reads them afresh, so a new key is never refused.
 */
export class BatchProofs {
  readonly #kiosks = new Map<string, { keys: KeySet; until: number }>();

  constructor(
    private readonly store: RegistryStore,
    private readonly signing: RegistrySigningKeys,
    private readonly clock: () => number = Date.now,
  ) {}

  async for(kiosk: KioskIdentity, body: BatchRequest, now: Date): Promise<BatchProof> {
    const at = this.clock();
    const kept = this.#kiosks.get(kiosk.kioskId);
    const kids = kidsOf(body);
    const keys =
      kept && kept.until > at && [...kids].every((kid) => kept.keys.keys.some((k) => k.kid === kid))
        ? kept.keys
        : await this.#readKiosk(kiosk.kioskId, at);
    // Read each time: a rotation by the command line beside a running registry signs from the next batch on.
    const registryKey = await this.signing.current(now);
    return { kioskKeys: keys, registryKey, receivedAt: now.toISOString() };
  }

  async #readKiosk(kioskId: string, at: number): Promise<KeySet> {
    const keys = { keys: (await this.store.kioskKeys(kioskId)).map(publishedKioskKey) };
    if (this.#kiosks.size >= MAX_KEPT_KIOSKS) this.#kiosks.clear();
    this.#kiosks.set(kioskId, { keys, until: at + KIOSK_CACHE_MS });
    return keys;
  }
}

/** Far above a chain's fleet; past it the kept keys start over rather than grow. */
const MAX_KEPT_KIOSKS = 20_000;

/** The kids named by the batch's signature and its records' (their protected headers), malformed ones skipped: they fail their check. */
function kidsOf(body: BatchRequest): Set<string> {
  const kids = new Set<string>();
  const add = (jws: unknown): void => {
    const kid = typeof jws === 'string' ? headerOf(jws)?.kid : undefined;
    if (kid !== undefined) kids.add(kid);
  };
  add(body.signature);
  for (const item of body.items) {
    const payload = (item as { payload?: { signatures?: unknown; signature?: unknown } } | null)?.payload;
    (Array.isArray(payload?.signatures) ? payload.signatures : [payload?.signature]).forEach(add);
  }
  return kids;
}

/** A batch's signature verified once: the kiosk's record JWS hashes it lists, and its row with the registry's countersignature. */
export interface SignedBatch {
  row: SignedBatchRow;
  jwsSha256: ReadonlyMap<string, string>;
}

/**
 * The request's batch signature, verified by a registered key of the kiosk the token names, over
 * this request (its kiosk and sentAt), and countersigned; throws BATCH_SIGNATURE_INVALID for every
 * item otherwise (the kiosk registers its key again and re-sends, signed again: batch-signing.ts).
 */
export function checkedBatch(batchJws: string, body: BatchRequest, kiosk: KioskIdentity, proof: BatchProof): SignedBatch {
  const check = verifyBatch(batchJws, proof.kioskKeys);
  if (!check.ok) throw new ItemRejection('BATCH_SIGNATURE_INVALID', check.failure);
  if (check.value.kioskId !== kiosk.kioskId || check.value.sentAt !== body.sentAt)
    throw new ItemRejection('BATCH_SIGNATURE_INVALID', 'it signs another request');
  return {
    row: {
      batchId: sha256Hex(batchJws),
      kioskId: kiosk.kioskId,
      kioskKid: check.key.kid,
      kioskJws: batchJws,
      registryKid: proof.registryKey.kid,
      registryJws: countersignBatch(batchJws, kiosk.kioskId, proof.receivedAt, proof.registryKey),
      receivedAt: proof.receivedAt,
    },
    jwsSha256: new Map(check.value.records.map((r) => [r.recordId, r.jwsSha256])),
  };
}

/**
 * Each record's kiosk JWS checked, by its batch's signature when the request has one, else verified
 * and countersigned on its own; throws the item's rejection otherwise. A record of a signed batch
 * keeps its JWS detached (its payload is the record kept beside it), one sent alone attached, as received.
 */
export function signedRecords(
  item: WireItem,
  proof: BatchProof,
  batch?: SignedBatch,
  recordTexts?: readonly string[],
): ConsentSignatureRow[] {
  const records = recordsOf(item);
  // The kiosk's JWS beside its records, in their order.
  const signatures = item.kind === 'enrollment' ? (item.payload.signatures ?? []) : [item.payload.signature];
  if (signatures.length > records.length) throw new ItemRejection('INVALID_ITEM', 'more signatures than consent records');
  return records.map((record, i) => {
    const jws = signatures[i];
    if (jws === undefined) throw new ItemRejection('RECORD_UNSIGNED', `record ${record.recordId}`);
    const text = recordTexts?.[i] ?? recordJson(record);
    if (batch) return inBatch(record, text, jws, batch, proof);
    const check = verifyCanonicalRecord(jws, text, proof.kioskKeys);
    if (!check.ok) throw new ItemRejection('RECORD_SIGNATURE_INVALID', `record ${record.recordId}: ${check.failure}`);
    return countersigned(record.recordId, check.key.kid, jws, proof.registryKey, proof.receivedAt);
  });
}

/** The record's JWS, attached again over the record as received, must be the one its batch lists, by a key of this kiosk. */
function inBatch(record: ConsentRecord, text: string, jws: string, batch: SignedBatch, proof: BatchProof): ConsentSignatureRow {
  const refuse = (why: string) => new ItemRejection('RECORD_SIGNATURE_INVALID', `record ${record.recordId}: ${why}`);
  const header = headerOf(jws);
  if (!header) throw refuse('MALFORMED');
  if (header.typ !== 'consent-record+jws') throw refuse('WRONG_TYPE');
  if (!proof.kioskKeys.keys.some((k) => k.kid === header.kid)) throw refuse('UNKNOWN_KEY');
  const listed = batch.jwsSha256.get(record.recordId);
  if (listed === undefined) throw refuse('not in the signed batch');
  if (attachedJwsSha256(jws, text) !== listed) throw refuse('PAYLOAD_MISMATCH');
  // Kept detached: the kept record is its payload (storage/proof-records.ts puts it back when read).
  return {
    recordId: record.recordId,
    kioskKid: header.kid,
    kioskJws: detach(jws),
    registryKid: null,
    registryJws: null,
    batchId: batch.row.batchId,
    signedAt: proof.receivedAt,
  };
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
  batchId: null,
  signedAt: at,
});
