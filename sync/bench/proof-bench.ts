// The cost of the proof (issue #16) on this machine: per consent record, the kiosk's signature at
// commit, and the registry's verification and countersignature of a record sent alone (kiosks before
// signed batches); per item (two records, in batches of ten items), the kiosk's batch signature at
// send, and the registry's check of a signed batch: one verification and one countersignature a
// batch, each record's JWS put back and hashed.
import { performance } from 'node:perf_hooks';
import { generateSigningKey } from '../proof/ed25519.js';
import { toNumericDate, type KeySet } from '../proof/key-set.js';
import { countersign, signRecord, verifyRecord } from '../proof/signatures.js';
import { signedBatch } from '../proof/batch-signature.js';
import { countersignBatch, verifyBatch } from '../proof/batch-signature.js';
import { attach, headerOf } from '../proof/jws.js';
import { sha256Hex } from '../proof/ed25519.js';
import { canonicalWriter } from '../../registry/canonical.js';
import { makeEnrollment, makeWireItem } from '../test/fixtures/payloads.js';
import { testKioskKey } from '../test/fixtures/kiosk-keys.js';
import { ConsentRecord, type BatchRequest, type WireItem } from '../wire/schemas.js';

export interface ProofCost {
  signUs: number;
  verifyUs: number;
  countersignUs: number;
  /** The kiosk's signature over a batch, per item (records detached, their hashes listed). */
  batchSignPerItemUs: number;
  /** The registry's check of a signed batch, per item: the batch verified and countersigned once, each record's JWS put back and hashed. */
  batchCheckPerItemUs: number;
}

const ITEMS_PER_BATCH = 10;

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
  return { signUs, verifyUs, countersignUs, ...benchBatches(records / 2) };
}

function benchBatches(items: number): Pick<ProofCost, 'batchSignPerItemUs' | 'batchCheckPerItemUs'> {
  const key = testKioskKey('kiosk-1');
  const registry = generateSigningKey();
  const keys: KeySet = {
    keys: [{ ...key.publicJwk, kid: key.kid, alg: 'EdDSA', use: 'sig', nbf: toNumericDate('2000-01-01T00:00:00Z'), owner: 'kiosk' }],
  };
  const recordJson = canonicalWriter(ConsentRecord);
  const requests: BatchRequest[] = [];
  for (let b = 0; b < items / ITEMS_PER_BATCH; b++)
    requests.push({
      kioskId: 'kiosk-1',
      sentAt: '2025-03-01T10:00:00.000Z',
      items: Array.from({ length: ITEMS_PER_BATCH }, (_, i) => makeWireItem(b * ITEMS_PER_BATCH + i, { kioskId: 'kiosk-1' })),
    });
  const t0 = performance.now();
  const signed = requests.map((r) => signedBatch(r, key));
  const t1 = performance.now();
  // Each record's canonical JSON the registry writes for the item's idempotency hash anyway (registry/item-hash.ts): not counted.
  const texts = signed.map((body) =>
    (body.items as WireItem[]).map((item) => (item.kind === 'enrollment' ? item.payload.consents.map(recordJson) : [])),
  );
  const t2 = performance.now();
  signed.forEach((body, b) => {
    const check = verifyBatch(body.signature!, keys);
    if (!check.ok) throw new Error('bench: a batch signature does not verify');
    const listed = new Map(check.value.records.map((r) => [r.recordId, r.jwsSha256]));
    (body.items as WireItem[]).forEach((item, i) => {
      if (item.kind !== 'enrollment') return;
      item.payload.consents.forEach((c, k) => {
        const jws = item.payload.signatures![k]!;
        if (headerOf(jws)?.kid !== key.kid || sha256Hex(attach(jws, texts[b]![i]![k]!)) !== listed.get(c.recordId))
          throw new Error('bench: a record is not listed');
      });
    });
    countersignBatch(body.signature!, 'kiosk-1', '2025-03-01T10:00:01.000Z', registry);
  });
  const t3 = performance.now();
  return { batchSignPerItemUs: ((t1 - t0) * 1000) / items, batchCheckPerItemUs: ((t3 - t2) * 1000) / items };
}
