// The cost of the proof (issue #16) per consent record, on this machine: the kiosk's signature at
// commit, and the registry's verification and countersignature on arrival (its added CPU per item).
import { performance } from 'node:perf_hooks';
import { generateSigningKey } from '../proof/ed25519.js';
import { toNumericDate, type KeySet } from '../proof/key-set.js';
import { countersign, signRecord, verifyRecord } from '../proof/signatures.js';
import { makeEnrollment } from '../test/fixtures/payloads.js';

export interface ProofCost {
  signUs: number;
  verifyUs: number;
  countersignUs: number;
}

export function benchProof(records = 2_000): ProofCost {
  const kiosk = generateSigningKey();
  const registry = generateSigningKey();
  const keys: KeySet = {
    keys: [{ ...kiosk.publicJwk, kid: kiosk.kid, alg: 'EdDSA', use: 'sig', nbf: toNumericDate('2000-01-01T00:00:00Z'), owner: 'kiosk' }],
  };
  const consents = Array.from({ length: records }, (_, n) => makeEnrollment(n).consents[0]!);
  const timed = (fn: (i: number) => unknown): number => {
    const t0 = performance.now();
    for (let i = 0; i < records; i++) fn(i);
    return ((performance.now() - t0) * 1000) / records;
  };
  const signatures: string[] = [];
  const signUs = timed((i) => signatures.push(signRecord(consents[i]!, kiosk)));
  const verifyUs = timed((i) => verifyRecord(signatures[i]!, consents[i]!, keys));
  const countersignUs = timed((i) => countersign(consents[i]!.recordId, signatures[i]!, '2025-03-01T10:00:00.000Z', registry));
  return { signUs, verifyUs, countersignUs };
}
