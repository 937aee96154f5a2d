// ISO/IEC TS 27560:2023 consent records in W3C DPV JSON-LD, one node per stored record, as the DPV
// guide maps the standard (dpv-terms.ts). The subject is the record's pseudonymous reference (the
// enrollment id): no name, no contact, nothing else of the person.
import type { ConsentRecord } from '../../sync/wire/schemas.js';
import type { PublishedStatements } from '../published-notices.js';
import { sha256Hex } from '../../sync/proof/ed25519.js';
import type { SignedBatchRow, StoredSignatures } from '../storage/consent-signatures.js';
import { BELGIUM, DPV_27560_RECORD, DPV_CONTEXT, type DpvNode, type DpvTerm } from './dpv-terms.js';
import { countersignatureOf, niSha256, type ProofEntry } from './proof-record.js';

const EVENT_STATUS: Record<ConsentRecord['event']['type'], DpvTerm> = {
  given: 'dpv:ConsentGiven',
  refused: 'dpv:ConsentRefused',
  withdrawn: 'dpv:ConsentWithdrawn',
  renewed: 'dpv:RenewedConsentGiven',
};

const PURPOSE_STATUS: Record<ConsentRecord['purposes'][number]['status'], DpvTerm> = {
  given: 'dpv:ConsentGiven',
  refused: 'dpv:ConsentRefused',
  withdrawn: 'dpv:ConsentWithdrawn',
  expired: 'dpv:ConsentExpired',
};

export interface DpvDocument {
  '@context': typeof DPV_CONTEXT;
  '@graph': DpvNode[];
}

const dateTime = (iso: string) => ({ '@value': iso, '@type': 'xsd:dateTime' });

/**
 * The records, then each signed batch's two signatures once (a batch's JWS lists every record it
 * brought: repeated in each of them, a batch of 100 would be written 100 times).
 */
export function dpvDocument(entries: readonly ProofEntry[], statements: PublishedStatements): DpvDocument {
  const batches = new Map<string, SignedBatchRow>();
  for (const e of entries) if (e.signatures?.batch) batches.set(e.signatures.batch.batchId, e.signatures.batch);
  return {
    '@context': DPV_CONTEXT,
    '@graph': [...entries.map((e) => dpvRecord(e, statements)), ...[...batches.values()].flatMap(batchSignatureNodes)],
  };
}

function dpvRecord({ record: r, receivedAt, signatures }: ProofEntry, statements: PublishedStatements): DpvNode {
  const shown = statements.get(r.notice.statementId, r.notice.version, r.notice.language);
  const personalData = r.dataCategories.map((c): DpvNode => ({
    '@type': 'dpv:PersonalData',
    'dct:identifier': c.id,
    'dpv:hasDataSource': { '@type': 'dpv:DataSubjectDataSource', 'dct:description': c.source } satisfies DpvNode,
  }));
  return {
    '@id': `urn:uuid:${r.recordId}`,
    '@type': 'dpv:ConsentRecord',
    'dct:identifier': r.recordId,
    'dct:conformsTo': { '@id': DPV_27560_RECORD },
    'dct:created': dateTime(receivedAt),
    'dpv:hasDataSubject': {
      '@id': `urn:uuid:${r.subjectRef}`,
      '@type': 'dpv:DataSubject',
      'dct:identifier': r.subjectRef,
    } satisfies DpvNode,
    'dpv:hasDataController': {
      '@type': 'dpv:DataController',
      'dpv:hasIdentifier': r.controller.id,
      'dpv:hasName': r.controller.name,
      'dpv:hasContact': r.controller.contact,
    } satisfies DpvNode,
    'dpv:hasJurisdiction': { '@id': BELGIUM },
    'dpv:hasNotice': {
      '@id': niSha256(r.notice.textSha256),
      '@type': 'dpv:ConsentNotice',
      'dct:identifier': r.notice.statementId,
      'dct:hasVersion': r.notice.version,
      'dct:language': r.notice.language,
    } satisfies DpvNode,
    'dpv:hasProcess': r.purposes.map((p): DpvNode => {
      const title = shown?.purposes.find((s) => s.id === p.id)?.title;
      return {
        '@type': 'dpv:Process',
        'dpv:hasPurpose': {
          '@type': 'dpv:Purpose',
          'dct:identifier': p.id,
          ...(title === undefined ? {} : { 'dct:title': title }),
        } satisfies DpvNode,
        'dpv:hasLegalBasis': { '@type': 'dpv:ExpressedConsent', 'dct:description': p.legalBasis } satisfies DpvNode,
        'dpv:hasConsentStatus': { '@type': PURPOSE_STATUS[p.status] } satisfies DpvNode,
        'dpv:hasPersonalData': personalData,
        'dpv:hasStorageCondition': { '@type': 'dpv:StorageDuration', 'dct:description': r.validity.retention } satisfies DpvNode,
      };
    }),
    'dpv:hasConsentControl': { '@type': 'dpv:WithdrawConsent', 'dpv:isExercisedAt': r.withdrawal.methods } satisfies DpvNode,
    'dpv:hasConsentStatus': {
      '@type': EVENT_STATUS[r.event.type],
      'dpv:isIndicatedAtTime': dateTime(r.event.at),
      'dpv:isIndicatedBy': { '@id': 'dpv:DataSubject' },
      'dpv:hasIndicationMethod': `${r.event.method} (store ${r.event.storeId}, kiosk ${r.event.kioskId}${r.event.recordedBy ? ', recorded by the registry' : ''})`,
    } satisfies DpvNode,
    // The guide's link from a record to the one an event made it a new version of (its 8.1.4, "Additional Metadata").
    ...(r.event.withdraws ? { 'dct:isVersionOf': r.event.withdraws.map((id) => ({ '@id': `urn:uuid:${id}` })) } : {}),
    ...(signatures === null ? {} : { 'dpv:hasTechnicalMeasure': signatureNodes(signatures) }),
  };
}

/**
 * The record's compact JWS (its RFC 8785 form; by its kiosk, or by the registry for its own), then
 * the registry's countersignature: for a record that came in a signed batch, the batch's two nodes
 * by their ids (the kiosk's JWS over the batch, listing the record's JWS by SHA-256, and the
 * countersignature over it); otherwise the countersignature over the record's own JWS, in place.
 */
function signatureNodes(s: StoredSignatures): DpvNode[] {
  const own: DpvNode = { '@type': 'dpv:DigitalSignatures', 'dct:creator': s.kioskKid, 'dct:format': JOSE, 'rdf:value': s.kioskJws };
  if (s.batch) return [own, ...batchSignatureNodes(s.batch).map((n) => ({ '@id': n['@id'] as string }))];
  const counter = countersignatureOf(s);
  return [own, countersignatureNode(counter.kid, counter.jws, counter.signedAt)];
}

/** A batch's JWS and its countersignature, each named by the RFC 6920 hash of its own text. */
function batchSignatureNodes(b: SignedBatchRow): DpvNode[] {
  return [
    { '@id': niOf(b.kioskJws), '@type': 'dpv:DigitalSignatures', 'dct:creator': b.kioskKid, 'dct:format': JOSE, 'rdf:value': b.kioskJws },
    { '@id': niOf(b.registryJws), ...countersignatureNode(b.registryKid, b.registryJws, b.receivedAt) },
  ];
}

const countersignatureNode = (kid: string, jws: string, signedAt: string): DpvNode => ({
  '@type': 'dpv:DigitalSignatures',
  'dct:creator': kid,
  'dct:format': JOSE,
  'dct:date': dateTime(signedAt),
  'rdf:value': jws,
});

const niOf = (jws: string): string => niSha256(sha256Hex(jws));

/** The media type of a compact JWS (RFC 7515). */
const JOSE = 'application/jose';
