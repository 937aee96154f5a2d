// `registry proof`: a chain's records (or one person's) in a standard form, as one JSON document:
// ISO/IEC TS 27560 in DPV JSON-LD, or an array of Kantara Consent Receipts v1.1.
import type { PublishedStatements } from '../published-notices.js';
import type { StoredProofRow } from '../storage/proof-records.js';
import { dpvDocument } from './dpv-export.js';
import { kantaraReceipts } from './kantara-export.js';
import { proofEntries } from './proof-record.js';

export const PROOF_FORMATS = ['27560', 'kantara'] as const;
export type ProofFormat = (typeof PROOF_FORMATS)[number];

export function proofDocument(format: ProofFormat, rows: readonly StoredProofRow[], statements: PublishedStatements): string {
  const entries = proofEntries(rows);
  const document = format === '27560' ? dpvDocument(entries, statements) : kantaraReceipts(entries, statements);
  return `${JSON.stringify(document, null, 2)}\n`;
}
