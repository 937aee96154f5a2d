// The idempotency hash of an item: its content, whatever form its record signatures travelled in
// (attached, detached in a signed batch, or none before issue #16), so an item re-sent in another
// form after a lost answer is a duplicate, not a conflict.
import { recordsOf, WireItem } from '../sync/wire/schemas.js';
import { attach, isDetached } from '../sync/proof/jws.js';
import { canonicalHasher, recordJson, Written } from './canonical.js';
import type { ConsentSignatureRow } from './storage/consent-signatures.js';

const hash = canonicalHasher(WireItem);

/**
 * The item without its signatures: the hash of an unsigned item before issue #16 too. `recordTexts`:
 * its records' canonical JSON, in order, already written for their signature check (not written again).
 */
export function payloadHash(item: WireItem, recordTexts?: readonly string[]): string {
  if (item.kind === 'enrollment') {
    const consents = recordTexts ? recordTexts.map((t) => new Written(t)) : item.payload.consents;
    return hash({ ...item, payload: { ...item.payload, consents, signatures: undefined } });
  }
  const consent = recordTexts?.[0] === undefined ? item.payload.consent : new Written(recordTexts[0]);
  return hash({ ...item, payload: { ...item.payload, consent, signature: undefined } });
}

/**
 * The hash keys claimed between issue #16 and signed batches hold: the item with each record's
 * attached JWS (as `signatures` keeps them). Worked out only when a replay's hash differs.
 */
export function attachedFormHash(item: WireItem, signatures: readonly ConsentSignatureRow[]): string {
  const records = recordsOf(item);
  // A signed batch's records keep their JWS detached: attached again over the record, as first sent.
  const jws = signatures.map((s, i) => (isDetached(s.kioskJws) && records[i] ? attach(s.kioskJws, recordJson(records[i])) : s.kioskJws));
  return hash(
    item.kind === 'enrollment'
      ? { ...item, payload: { ...item.payload, signatures: jws } }
      : { ...item, payload: { ...item.payload, signature: jws[0] } },
  );
}
