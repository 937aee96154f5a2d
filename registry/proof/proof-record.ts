// A stored record read back for a proof: its kept JSON parsed against the wire schema. A row that
// no longer parses is not exported as if it did; the audit names it.
import { ConsentRecord } from '../../sync/wire/schemas.js';
import { ProofError } from './errors.js';
import type { StoredSignatures } from '../storage/consent-signatures.js';
import type { StoredProofRow } from '../storage/proof-records.js';

export type ReadRecord = { ok: true; record: ConsentRecord } | { ok: false; reason: string };

/** What an export writes of one stored record. */
export interface ProofEntry {
  record: ConsentRecord;
  /** The registry's clock when the record arrived. */
  receivedAt: string;
  /** The kiosk's JWS over the record and the registry's countersignature, when kept. */
  signatures: StoredSignatures | null;
}

/** The registry's countersignature that stands for a record: over its batch's signature, or over its own JWS (rows from before, the registry's own records). */
export function countersignatureOf(s: StoredSignatures): { kid: string; jws: string; signedAt: string } {
  if (s.batch) return { kid: s.batch.registryKid, jws: s.batch.registryJws, signedAt: s.batch.receivedAt };
  if (s.registryKid === null || s.registryJws === null)
    throw new ProofError('RECORD_UNREADABLE', `record ${s.recordId}: no countersignature kept`);
  return { kid: s.registryKid, jws: s.registryJws, signedAt: s.signedAt };
}

export function readRecord(row: StoredProofRow): ReadRecord {
  let json: unknown;
  try {
    json = JSON.parse(row.recordJson);
  } catch {
    return { ok: false, reason: 'the kept record is not JSON' };
  }
  const parsed = ConsentRecord.safeParse(json);
  if (!parsed.success)
    return { ok: false, reason: `the kept record is not a consent record (at ${parsed.error.issues[0]?.path.join('.')})` };
  return { ok: true, record: parsed.data };
}

/** The rows as exportable entries; one unreadable row stops the export, naming it. */
export function proofEntries(rows: readonly StoredProofRow[]): ProofEntry[] {
  return rows.map((row) => {
    const read = readRecord(row);
    if (!read.ok) throw new ProofError('RECORD_UNREADABLE', `record ${row.recordId} (seq ${row.seq}): ${read.reason}`);
    return { record: read.record, receivedAt: row.receivedAt, signatures: row.signatures };
  });
}

/** The RFC 6920 name of content by its SHA-256 (`ni:///sha-256;` base64url): the statement text exactly as shown. */
export const niSha256 = (hex: string): string => `ni:///sha-256;${Buffer.from(hex, 'hex').toString('base64url')}`;
