// The kiosk's signatures checked on arrival (issue #16): every consent record of an item must carry
// the sending kiosk's JWS over that very record, made with one of that kiosk's registered keys; the
// registry countersigns each, and both are kept with the record. The records the registry writes
// itself (withdrawals: event.recordedBy 'registry') it signs with its own key, then countersigns
// the same way, so every stored record has the same two signatures.
import { countersign, signRecord, verifyCanonicalRecord } from '../sync/proof/signatures.js';
import type { SigningKey } from '../sync/proof/ed25519.js';
import type { KeySet } from '../sync/proof/key-set.js';
import { ConsentRecord, type BatchRequest, type WireItem } from '../sync/wire/schemas.js';
import { canonicalWriter } from './canonical.js';
import { ItemRejection } from './errors.js';
import { KIOSK_CACHE_MS } from './kiosk-cache.js';
import type { KioskIdentity, RegistryStore } from './store.js';
import type { ConsentSignatureRow } from './storage/consent-signatures.js';
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
    const keys =
      kept && kept.until > at && [...kidsOf(body)].every((kid) => kept.keys.keys.some((k) => k.kid === kid))
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

/** The kids named by the batch's record signatures (their protected headers), malformed ones skipped: they fail their item's check. */
function kidsOf(body: BatchRequest): Set<string> {
  const kids = new Set<string>();
  for (const item of body.items) {
    const payload = (item as { payload?: { signatures?: unknown; signature?: unknown } } | null)?.payload;
    const all = Array.isArray(payload?.signatures) ? payload.signatures : [payload?.signature];
    for (const jws of all) {
      if (typeof jws !== 'string') continue;
      try {
        const kid = (JSON.parse(Buffer.from(jws.slice(0, jws.indexOf('.')), 'base64url').toString('utf8')) as { kid?: unknown }).kid;
        if (typeof kid === 'string') kids.add(kid);
      } catch {
        // not a JWS: its item is refused by the check itself
      }
    }
  }
  return kids;
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
