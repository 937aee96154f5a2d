// The ISO/IEC TS 27560 export's JSON-LD shape: an @context naming DPV, every record with the
// properties the DPV guide requires of a consent record, and no term that is not DPV's own
// (the list of terms used, dpv-terms.ts, checked against DPV 2.2's vocabulary in fixtures/).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledStatements } from '../../sync/consent/statements.js';
import { verifyCountersignature, verifyRecord } from '../../sync/proof/signatures.js';
import { PublishedStatements } from '../published-notices.js';
import { dpvDocument } from './dpv-export.js';
import { DCT_TERMS, DPV_CONTEXT, DPV_TERMS } from './dpv-terms.js';
import { batchSignatureRows, signatureRow, statementRecord, testKeys } from './fixtures/records.js';
import { verifyBatch, verifyBatchCountersignature } from '../../sync/proof/batch-signature.js';
import { sha256Hex } from '../../sync/proof/ed25519.js';

const KIOSK = { kioskId: 'kiosk-a', chainId: 'chain-a', storeId: 'store-1' };
const statements = new PublishedStatements(bundledStatements().all());
// Per party: a give, a refusal, a withdrawal naming the give, a renewal.
const records = (['chain', 'registry'] as const).flatMap((party) => {
  const given = statementRecord({ party, type: 'given', kiosk: KIOSK });
  return [
    given,
    ...(['refused', 'withdrawn', 'renewed'] as const).map((type) =>
      statementRecord({ party, type, kiosk: KIOSK, ...(type === 'withdrawn' ? { withdraws: [given.recordId] } : {}) }),
    ),
  ];
});
const keys = testKeys(KIOSK);
const RECEIVED = '2025-03-01T09:00:05.000Z';
// The chain's records countersigned one by one, the registry's came in one signed batch.
const batched = batchSignatureRows(records.slice(4), RECEIVED, keys);
const doc = dpvDocument(
  records.map((record, i) => ({
    record,
    receivedAt: RECEIVED,
    signatures: i < 4 ? signatureRow(record, RECEIVED, keys) : batched[i - 4]!,
  })),
  statements,
);

const dpvVocabulary = new Set(
  readFileSync(new URL('./fixtures/dpv-2.2-terms.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#')),
);
const known = new Set<string>([...DPV_TERMS, ...DCT_TERMS]);

/** Every key, @type and compact IRI anywhere below `node`. */
function walk(node: unknown, found: { keys: Set<string>; types: Set<string>; iris: Set<string> }): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, found));
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '@type') [value].flat().forEach((t) => found.types.add(String(t)));
    else if (key === '@id') found.iris.add(String(value));
    else if (!key.startsWith('@')) found.keys.add(key);
    walk(value, found);
  }
}

describe('ISO/IEC TS 27560 export in DPV JSON-LD', () => {
  it('has an @context mapping the prefixes it uses, DPV among them', () => {
    expect(doc['@context'].dpv).toBe('https://w3id.org/dpv#');
    const found = { keys: new Set<string>(), types: new Set<string>(), iris: new Set<string>() };
    walk(doc['@graph'], found);
    const prefixes = new Set(
      [...found.keys, ...found.types, ...found.iris]
        .filter((t) => /^[a-z-]+:[^/]/.test(t) && !/^(urn|ni):/.test(t))
        .map((t) => t.split(':')[0]),
    );
    expect([...prefixes].filter((p) => !(p! in DPV_CONTEXT))).toEqual([]);
  });

  it('uses only the listed terms, and each listed DPV term is one of DPV 2.2', () => {
    const found = { keys: new Set<string>(), types: new Set<string>(), iris: new Set<string>() };
    walk(doc['@graph'], found);
    expect([...found.keys].filter((k) => !known.has(k))).toEqual([]);
    expect([...found.types].filter((t) => !known.has(t) && t !== 'xsd:dateTime')).toEqual([]);
    expect([...found.iris].filter((i) => i.startsWith('dpv:') && !known.has(i))).toEqual([]);
    expect(DPV_TERMS.filter((t) => !dpvVocabulary.has(t.slice('dpv:'.length)))).toEqual([]);
    expect(dpvVocabulary.has('NotADpvTerm')).toBe(false);
  });

  it('gives every record the properties the guide requires, refusals and withdrawals included', () => {
    expect(doc['@graph'].filter((n) => n['@type'] === 'dpv:ConsentRecord')).toHaveLength(records.length);
    for (const [i, node] of doc['@graph'].slice(0, records.length).entries()) {
      const r = records[i]!;
      expect(node).toMatchObject({
        '@type': 'dpv:ConsentRecord',
        'dct:identifier': r.recordId,
        'dct:conformsTo': { '@id': 'https://w3id.org/dpv/schema/dpv-27560#record' },
        'dpv:hasDataSubject': { '@type': 'dpv:DataSubject', 'dct:identifier': r.subjectRef },
        'dpv:hasDataController': { '@type': 'dpv:DataController', 'dpv:hasName': r.controller.name },
        'dpv:hasJurisdiction': { '@id': 'loc:BE' },
        'dpv:hasNotice': {
          '@type': 'dpv:ConsentNotice',
          'dct:identifier': r.notice.statementId,
          'dct:hasVersion': r.notice.version,
          'dct:language': r.notice.language,
        },
        'dpv:hasConsentControl': { '@type': 'dpv:WithdrawConsent' },
        'dpv:hasConsentStatus': {
          '@type': {
            given: 'dpv:ConsentGiven',
            refused: 'dpv:ConsentRefused',
            withdrawn: 'dpv:ConsentWithdrawn',
            renewed: 'dpv:RenewedConsentGiven',
          }[r.event.type],
          'dpv:isIndicatedAtTime': { '@value': r.event.at, '@type': 'xsd:dateTime' },
          'dpv:isIndicatedBy': { '@id': 'dpv:DataSubject' },
        },
      });
      const processes = node['dpv:hasProcess'] as Array<Record<string, { '@type'?: string; 'dct:identifier'?: string }>>;
      expect(processes.map((p) => [p['dpv:hasPurpose']?.['dct:identifier'], p['dpv:hasConsentStatus']?.['@type']])).toEqual(
        r.purposes.map((p) => [p.id, `dpv:Consent${p.status[0]!.toUpperCase()}${p.status.slice(1)}`]),
      );
      for (const p of processes)
        expect(Object.keys(p)).toEqual(expect.arrayContaining(['dpv:hasLegalBasis', 'dpv:hasPersonalData', 'dpv:hasStorageCondition']));
    }
  });

  it('links a withdrawal to the records it reverses as their new version (dct:isVersionOf, as the DPV guide suggests)', () => {
    const graph = doc['@graph'];
    for (const party of [0, 4]) {
      const [given, , withdrawal] = graph.slice(party, party + 3);
      expect(withdrawal?.['dct:isVersionOf']).toEqual([{ '@id': given?.['@id'] }]);
    }
    expect(graph.filter((n) => n['dct:isVersionOf'] !== undefined)).toHaveLength(2);
  });

  it("carries the kiosk's JWS over the record and the registry's countersignature as digital signatures", () => {
    const r = records[0]!;
    const [kiosk, registry] = doc['@graph'][0]?.['dpv:hasTechnicalMeasure'] as Array<Record<string, unknown>>;
    expect(kiosk).toMatchObject({ '@type': 'dpv:DigitalSignatures', 'dct:creator': keys.kiosk.kid, 'dct:format': 'application/jose' });
    expect(verifyRecord(kiosk!['rdf:value'] as string, r, keys.keySet).ok).toBe(true);
    expect(registry).toMatchObject({ '@type': 'dpv:DigitalSignatures', 'dct:creator': keys.registry.kid });
    expect(verifyCountersignature(registry!['rdf:value'] as string, r.recordId, kiosk!['rdf:value'] as string, keys.keySet).ok).toBe(true);
  });

  it("carries a batched record's JWS, and names its batch's JWS that lists it and the countersignature over that batch, each once in the document", () => {
    const r = records[4]!;
    const byId = new Map(doc['@graph'].flatMap((n) => (n['@id'] === undefined ? [] : [[n['@id'], n] as const])));
    const [kiosk, ...named] = doc['@graph'][4]?.['dpv:hasTechnicalMeasure'] as Array<Record<string, unknown>>;
    const [batch, registry] = named.map((ref) => {
      expect(Object.keys(ref)).toEqual(['@id']);
      return byId.get(ref['@id'] as string) as Record<string, unknown> | undefined;
    });
    // The four batched records name the same two nodes, which the graph holds once, after the records.
    expect(doc['@graph']).toHaveLength(records.length + 2);
    for (const node of doc['@graph'].slice(5, records.length))
      expect((node['dpv:hasTechnicalMeasure'] as unknown[]).slice(1)).toEqual(named);
    expect(verifyRecord(kiosk!['rdf:value'] as string, r, keys.keySet).ok).toBe(true);
    expect(batch).toMatchObject({ '@type': 'dpv:DigitalSignatures', 'dct:creator': keys.kiosk.kid, 'dct:format': 'application/jose' });
    const listed = verifyBatch(batch!['rdf:value'] as string, keys.keySet);
    expect(listed.ok && listed.value.records.some((x) => x.jwsSha256 === sha256Hex(kiosk!['rdf:value'] as string))).toBe(true);
    expect(registry).toMatchObject({ '@type': 'dpv:DigitalSignatures', 'dct:creator': keys.registry.kid });
    expect(
      verifyBatchCountersignature(registry!['rdf:value'] as string, batch!['rdf:value'] as string, KIOSK.kioskId, keys.keySet).ok,
    ).toBe(true);
  });

  it('names the notice by the hash of the exact text shown (RFC 6920)', () => {
    const r = records[0]!;
    expect(doc['@graph'][0]?.['dpv:hasNotice']).toMatchObject({
      '@id': `ni:///sha-256;${Buffer.from(r.notice.textSha256, 'hex').toString('base64url')}`,
    });
  });
});
