// The signatures over a batch (issue #16's cost aim): the kiosk signs each batch it sends, listing
// every record's commit-time JWS by its hash, so the registry verifies one Ed25519 signature a
// batch and not one a record; the registry countersigns each batch once. The records' own JWS are
// kept and stay checkable one by one (the audit does); the batch signature binds their exact bytes.
import { createHash } from 'node:crypto';
import { encodeBase64urlText } from './base64url.js';
import { nodeVerifyEd25519, sha256Hex } from './ed25519.js';
import { detach, parsePayload, signCompact, verifyCompact, type Signer, type Verified, type VerifyOptions } from './jws.js';
import type { KeySet } from './key-set.js';
import { BatchCountersignature, BatchSignature } from './payloads.js';
import { canonicalJson } from './signatures.js';
import type { BatchRequest, WireItem } from '../wire/schemas.js';

/** A record of the batch and its attached JWS (as committed). */
export interface SignedRecordRef {
  recordId: string;
  jws: string;
}

/**
 * SHA-256 (hex) of the attached JWS a detached one stands for over `payload`, as a batch lists it,
 * without building the attached text (the registry does this for every record it receives).
 */
export function attachedJwsSha256(detached: string, payload: string): string {
  const first = detached.indexOf('.');
  return createHash('sha256')
    .update(detached.slice(0, first + 1))
    .update(encodeBase64urlText(payload))
    .update(detached.slice(detached.indexOf('.', first + 1)))
    .digest('hex');
}

export function signBatch(kioskId: string, sentAt: string, records: readonly SignedRecordRef[], key: Signer): string {
  const payload: BatchSignature = { kioskId, sentAt, records: records.map((r) => ({ recordId: r.recordId, jwsSha256: sha256Hex(r.jws) })) };
  return signCompact('consent-batch+jws', canonicalJson(payload), key);
}

/** The batch's JWS checked against the key set (`options.accept`: the sending kiosk's keys only) and read. */
export function verifyBatch(jws: string, keys: KeySet, options: VerifyOptions = {}): Verified<BatchSignature> {
  const check = verifyCompact(jws, 'consent-batch+jws', keys, nodeVerifyEd25519, options);
  if (!check.ok) return check;
  const value = parsePayload(BatchSignature, check.payload);
  return value ? { ok: true, key: check.key, value } : { ok: false, failure: 'MALFORMED' };
}

export function countersignBatch(batchJws: string, kioskId: string, receivedAt: string, key: Signer): string {
  const payload: BatchCountersignature = { batchJwsSha256: sha256Hex(batchJws), kioskId, receivedAt, registryKid: key.kid };
  return signCompact('consent-batch-countersignature+jws', canonicalJson(payload), key);
}

/** The registry's countersignature, checked to be over this batch JWS of this kiosk. */
export function verifyBatchCountersignature(jws: string, batchJws: string, kioskId: string, keys: KeySet): Verified<BatchCountersignature> {
  const check = verifyCompact(jws, 'consent-batch-countersignature+jws', keys, nodeVerifyEd25519, {
    accept: (k) => k.owner === 'registry',
  });
  if (!check.ok) return check;
  const value = parsePayload(BatchCountersignature, check.payload);
  if (!value) return { ok: false, failure: 'MALFORMED' };
  if (value.batchJwsSha256 !== sha256Hex(batchJws) || value.kioskId !== kioskId || value.registryKid !== check.key.kid)
    return { ok: false, failure: 'PAYLOAD_MISMATCH' };
  return { ok: true, key: check.key, value };
}

/** The request with its records' JWS detached and the batch signed over them (the items the client claimed: WireItems). */
export function signedBatch(batch: BatchRequest, key: Signer): BatchRequest {
  const records: SignedRecordRef[] = [];
  const items = (batch.items as WireItem[]).map((item): WireItem => {
    if (item.kind === 'enrollment') {
      const { signatures } = item.payload;
      if (!signatures) return item;
      item.payload.consents.forEach((c, i) => {
        const jws = signatures[i];
        if (jws !== undefined) records.push({ recordId: c.recordId, jws });
      });
      return { ...item, payload: { ...item.payload, signatures: signatures.map(detach) } };
    }
    const { signature } = item.payload;
    if (!signature) return item;
    records.push({ recordId: item.payload.consent.recordId, jws: signature });
    return { ...item, payload: { ...item.payload, signature: detach(signature) } };
  });
  // A batch of unsigned records only (none today: the outbox signs what it hands out) goes unsigned, refused record by record.
  if (records.length === 0) return batch;
  return { ...batch, items, signature: signBatch(batch.kioskId, batch.sentAt, records, key) };
}
