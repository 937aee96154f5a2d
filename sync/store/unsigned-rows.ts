// Rows from before the kiosk signed (issue #16): a kiosk upgraded with unsent items holds records
// without a JWS, which the registry refuses (RECORD_UNSIGNED).
import { signRecord } from '../proof/signatures.js';
import type { Signer } from '../proof/jws.js';
import type { WireItem } from '../wire/schemas.js';

/**
 * A row committed before the kiosk signed (a kiosk upgraded with unsent items) is signed as it is
 * sent, by the kiosk that made it and holds its key: the registry refuses unsigned records. The
 * record keeps its own time; the signature is as late as the send, which the audit reads as such
 * (the key was valid when the registry received it). Ed25519 is deterministic, so every resend
 * carries the same signatures and the same idempotency payload. The row itself is not changed: its
 * records stay as committed until the acknowledgement reduces them.
 */
export function signedForSending(item: WireItem, key: Signer): WireItem {
  if (item.kind === 'enrollment')
    return item.payload.signatures
      ? item
      : { ...item, payload: { ...item.payload, signatures: item.payload.consents.map((c) => signRecord(c, key)) } };
  return item.payload.signature ? item : { ...item, payload: { ...item.payload, signature: signRecord(item.payload.consent, key) } };
}
