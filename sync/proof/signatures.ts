// The three signatures of a consent, on Node: the kiosk's over each record (when committed, so a
// record is provable offline) and over the customer's receipt, and the registry's countersignature
// over what it received. Each signs canonical JSON (RFC 8785): the same value with its keys in any
// order signs and verifies the same.
import canonicalize from 'canonicalize';
import type { ConsentRecord } from '../wire/schemas.js';
import { nodeVerifyEd25519, sha256Hex } from './ed25519.js';
import { parsePayload, signCompact, verifyCompact, type Signer, type Verified, type VerifyOptions } from './jws.js';
import type { KeySet } from './key-set.js';
import { readReceipt, type CompactReceipt } from './compact-receipt.js';
import { Countersignature } from './payloads.js';

export const canonicalJson = (value: unknown): string => canonicalize(value)!;

/** The kiosk's compact JWS over the record exactly as sent (its canonical JSON). */
export function signRecord(record: ConsentRecord, key: Signer): string {
  return signCompact('consent-record+jws', canonicalJson(record), key);
}

/**
 * The record's JWS checked against the key set, and that it signs this very record (any changed
 * byte fails). The key's validity is not held against the record's time unless `options.at` asks:
 * the time is the kiosk's clock, which may have been set back, and an honest record must not be lost to it.
 */
export function verifyRecord(jws: string, record: ConsentRecord, keys: KeySet, options: VerifyOptions = {}): Verified<ConsentRecord> {
  const check = verifyCanonicalRecord(jws, canonicalJson(record), keys, options);
  return check.ok ? { ...check, value: record } : check;
}

/** verifyRecord over the record's canonical JSON written by the caller (the registry's own writer, byte-identical and faster). */
export function verifyCanonicalRecord(jws: string, canonical: string, keys: KeySet, options: VerifyOptions = {}): Verified<string> {
  const check = verifyCompact(jws, 'consent-record+jws', keys, nodeVerifyEd25519, options);
  if (!check.ok) return check;
  if (check.payload !== canonical) return { ok: false, failure: 'PAYLOAD_MISMATCH' };
  return { ok: true, key: check.key, value: canonical };
}

export function signReceipt(receipt: CompactReceipt, key: Signer): string {
  return signCompact('consent-receipt+jws', canonicalJson(receipt), key);
}

/** A receipt read back from its JWS alone (the QR code). */
export const verifyReceipt = (jws: string, keys: KeySet): Verified<CompactReceipt> => readReceipt(jws, keys, nodeVerifyEd25519);

export function countersign(recordId: string, kioskJws: string, receivedAt: string, key: Signer): string {
  const payload: Countersignature = { recordId, kioskJwsSha256: sha256Hex(kioskJws), receivedAt, registryKid: key.kid };
  return signCompact('consent-countersignature+jws', canonicalJson(payload), key);
}

/** The registry's countersignature, checked to be over this kiosk JWS of this record. */
export function verifyCountersignature(jws: string, recordId: string, kioskJws: string, keys: KeySet): Verified<Countersignature> {
  const check = verifyCompact(jws, 'consent-countersignature+jws', keys, nodeVerifyEd25519, { accept: (k) => k.owner === 'registry' });
  if (!check.ok) return check;
  const value = parsePayload(Countersignature, check.payload);
  if (!value) return { ok: false, failure: 'MALFORMED' };
  if (value.recordId !== recordId || value.kioskJwsSha256 !== sha256Hex(kioskJws) || value.registryKid !== check.key.kid)
    return { ok: false, failure: 'PAYLOAD_MISMATCH' };
  return { ok: true, key: check.key, value };
}
