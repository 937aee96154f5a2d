// ISO/IEC TS 27560:2023 consent records in W3C DPV JSON-LD, one node per stored record, as the DPV
// guide maps the standard (dpv-terms.ts). The subject is the record's pseudonymous reference (the
// enrollment id): no name, no contact, nothing else of the person.
import type { ConsentRecord } from '../../sync/wire/schemas.js';
import type { PublishedStatements } from '../published-notices.js';
import type { StoredSignatures } from '../storage/consent-signatures.js';
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

export function dpvDocument(entries: readonly ProofEntry[], statements: PublishedStatements): DpvDocument {
  return { '@context': DPV_CONTEXT, '@graph': entries.map((e) => dpvRecord(e, statements)) };
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
 * The record's compact JWS (its RFC 8785 form; by its kiosk, or by the registry for its own); for a
 * record that came in a signed batch, the kiosk's JWS over that batch (listing the record's JWS by
 * SHA-256); and the registry's countersignature (over the batch's JWS, or over the record's own).
 */
function signatureNodes(s: StoredSignatures): DpvNode[] {
  const counter = countersignatureOf(s);
  return [
    { '@type': 'dpv:DigitalSignatures', 'dct:creator': s.kioskKid, 'dct:format': JOSE, 'rdf:value': s.kioskJws },
    ...(s.batch
      ? [
          {
            '@type': 'dpv:DigitalSignatures',
            'dct:creator': s.batch.kioskKid,
            'dct:format': JOSE,
            'rdf:value': s.batch.kioskJws,
          } satisfies DpvNode,
        ]
      : []),
    {
      '@type': 'dpv:DigitalSignatures',
      'dct:creator': counter.kid,
      'dct:format': JOSE,
      'dct:date': dateTime(counter.signedAt),
      'rdf:value': counter.jws,
    },
  ];
}

/** The media type of a compact JWS (RFC 7515). */
const JOSE = 'application/jose';
