// Every exported receipt is valid against the Kantara Consent Receipt v1.1 schema itself
// (fixtures/README.md: the published file, unmodified), refusals and withdrawals included.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { default as formats } from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { bundledStatements } from '../../sync/consent/statements.js';
import { verifyCountersignature, verifyRecord } from '../../sync/proof/signatures.js';
import { PublishedStatements } from '../published-notices.js';
import { batchSignatureRows, signatureRow, statementRecord, testKeys } from './fixtures/records.js';
import { verifyBatch, verifyBatchCountersignature } from '../../sync/proof/batch-signature.js';
import { sha256Hex } from '../../sync/proof/ed25519.js';
import { kantaraReceipts } from './kantara-export.js';

const KIOSK = { kioskId: 'kiosk-a', chainId: 'chain-a', storeId: 'store-1' };
const statements = new PublishedStatements(bundledStatements().all());

/** The schema as published opens with `//` comment lines (not JSON): those lines go, nothing else. */
function kantaraSchema(): object {
  const text = readFileSync(new URL('./fixtures/kantara-consent-receipt-v1_1-schema.json', import.meta.url), 'utf8');
  return JSON.parse(
    text
      .split('\n')
      .filter((line) => !line.trim().startsWith('//'))
      .join('\n'),
  ) as object;
}

// The schema declares draft-04, which ajv 8 reads with the same meaning for every keyword it uses
// (type, properties, items, required, oneOf, enum, minimum); ajv has no draft-04 meta-schema to check
// the schema itself against, and strict mode would only object to the schema's own style.
const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
// ajv-formats is CommonJS: under ESM its function is the module's `default`.
formats.default(ajv);
const validate = ajv.compile(kantaraSchema());

const subjectRef = '0194f0c2-5a1e-7b3c-8d4e-1f2a3b4c5d6e';
// Per party: a give, a refusal, a withdrawal naming the give, a renewal.
const records = (['chain', 'registry'] as const).flatMap((party) => {
  const given = statementRecord({ party, type: 'given', kiosk: KIOSK, subjectRef, at: '2025-03-01T09:00:00.000Z' });
  return [
    given,
    ...(['refused', 'withdrawn', 'renewed'] as const).map((type) =>
      statementRecord({
        party,
        type,
        kiosk: KIOSK,
        subjectRef,
        at: '2025-03-01T09:00:00.000Z',
        ...(type === 'withdrawn' ? { withdraws: [given.recordId] } : {}),
      }),
    ),
  ];
});
const keys = testKeys(KIOSK);
const RECEIVED = '2025-03-01T09:00:05.000Z';
// The chain's records countersigned one by one, the registry's came in one signed batch, the last
// record as one kept before signatures: a receipt without them is valid too.
const batched = batchSignatureRows(records.slice(4, -1), RECEIVED, keys);
const entries = records.map((record, i) => ({
  record,
  receivedAt: RECEIVED,
  signatures: i === records.length - 1 ? null : i < 4 ? signatureRow(record, RECEIVED, keys) : batched[i - 4]!,
}));

describe('Kantara Consent Receipt v1.1 export', () => {
  it('writes one receipt per record, each valid against the Kantara schema', () => {
    const receipts = kantaraReceipts(entries, statements);
    expect(receipts).toHaveLength(records.length);
    for (const receipt of receipts) {
      const valid = validate(receipt);
      expect(validate.errors ?? [], receipt.consentReceiptID).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('keeps refusals and withdrawals, with each purpose’s own status and the exact notice', () => {
    const receipts = kantaraReceipts(entries, statements);
    expect(receipts.map((r) => r.consentEvent.type)).toEqual(records.map((r) => r.event.type));
    const withdrawal = receipts.find((r) => r.consentEvent.type === 'withdrawn' && r.notice.statementId === 'demo-retail-loyalty')!;
    expect(withdrawal.services[0]?.purposes.map((p) => [p.purposeCategory[0], p.consentStatus])).toEqual([['loyalty', 'withdrawn']]);
    const refusal = receipts.find((r) => r.consentEvent.type === 'refused')!;
    expect(refusal.services[0]?.purposes.every((p) => p.consentStatus === 'refused')).toBe(true);
    expect(refusal).toMatchObject({
      version: 'KI-CR-v1.1.0',
      jurisdiction: 'BE',
      consentTimestamp: Date.parse('2025-03-01T09:00:00.000Z') / 1000,
      piiPrincipalId: subjectRef,
      language: 'nl',
    });
    expect(refusal.policyUrl).toBe(`ni:///sha-256;${Buffer.from(refusal.notice.textSha256, 'hex').toString('base64url')}`);
  });

  it('names in a withdrawal’s consent event the receipts it reverses, by their receipt ids', () => {
    const receipts = kantaraReceipts(entries, statements);
    for (const party of [0, 4]) {
      const [given, , withdrawal] = receipts.slice(party, party + 3);
      expect(withdrawal?.consentEvent).toMatchObject({ type: 'withdrawn', withdraws: [given?.consentReceiptID] });
      expect(validate(withdrawal)).toBe(true);
    }
    expect(receipts.filter((r) => r.consentEvent.type !== 'withdrawn').every((r) => r.consentEvent.withdraws === undefined)).toBe(true);
  });

  it("carries each record's signatures: the kiosk's JWS over the record, the registry's countersignature", () => {
    const [receipt] = kantaraReceipts(entries, statements);
    const record = records[0]!;
    expect(verifyRecord(receipt!.signatures!.kiosk.jws, record, keys.keySet)).toMatchObject({ ok: true, key: { kid: keys.kiosk.kid } });
    expect(
      verifyCountersignature(receipt!.signatures!.registry.jws, record.recordId, receipt!.signatures!.kiosk.jws, keys.keySet),
    ).toMatchObject({
      ok: true,
      value: { receivedAt: RECEIVED },
    });
    expect(kantaraReceipts(entries, statements).at(-1)).not.toHaveProperty('signatures');
  });

  it("carries a batched record's batch JWS, which lists the record's JWS, and the countersignature over that batch", () => {
    const receipt = kantaraReceipts(entries, statements)[4]!;
    const s = receipt.signatures!;
    expect(verifyRecord(s.kiosk.jws, records[4]!, keys.keySet).ok).toBe(true);
    const batch = verifyBatch(s.batch!.jws, keys.keySet);
    expect(batch.ok && batch.value.records.find((r) => r.recordId === records[4]!.recordId)?.jwsSha256).toBe(sha256Hex(s.kiosk.jws));
    expect(verifyBatchCountersignature(s.registry.jws, s.batch!.jws, KIOSK.kioskId, keys.keySet)).toMatchObject({ ok: true });
  });

  it('the schema itself refuses a receipt without its required members (the check is not vacuous)', () => {
    const [receipt] = kantaraReceipts(entries, statements);
    const { piiPrincipalId: _dropped, ...incomplete } = receipt!;
    expect(validate(incomplete)).toBe(false);
    expect(validate({ ...receipt, consentTimestamp: '2025-03-01' })).toBe(false);
  });
});
