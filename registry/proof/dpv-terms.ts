// Every term the ISO/IEC TS 27560 export uses, in one place: the W3C Data Privacy Vocabulary (DPV
// 2.x, https://w3id.org/dpv) as its guide "Consent Records and Receipts as per ISO/IEC TS
// 27560:2023 using DPV" (https://w3id.org/dpv/guides/consent-27560) maps the standard, plus the
// few DCMI terms the guide names. Node keys and types are typed over this list, so a term not in it
// does not compile; dpv-export.test.ts checks the list against DPV 2.2's own (fixtures/).
export const DPV_CONTEXT = {
  dpv: 'https://w3id.org/dpv#',
  dct: 'http://purl.org/dc/terms/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  loc: 'https://w3id.org/dpv/loc#',
} as const;

export const DPV_TERMS = [
  // classes
  'dpv:ConsentRecord',
  'dpv:DataSubject',
  'dpv:DataController',
  'dpv:ConsentNotice',
  'dpv:Process',
  'dpv:Purpose',
  'dpv:PersonalData',
  'dpv:DataSubjectDataSource',
  'dpv:StorageDuration',
  'dpv:ExpressedConsent',
  'dpv:WithdrawConsent',
  'dpv:DigitalSignatures',
  // consent states (the record's event, and each purpose's)
  'dpv:ConsentGiven',
  'dpv:ConsentRefused',
  'dpv:ConsentWithdrawn',
  'dpv:RenewedConsentGiven',
  'dpv:ConsentExpired',
  // properties
  'dpv:hasDataSubject',
  'dpv:hasDataController',
  'dpv:hasIdentifier',
  'dpv:hasName',
  'dpv:hasContact',
  'dpv:hasJurisdiction',
  'dpv:hasNotice',
  'dpv:hasProcess',
  'dpv:hasPurpose',
  'dpv:hasLegalBasis',
  'dpv:hasPersonalData',
  'dpv:hasDataSource',
  'dpv:hasStorageCondition',
  'dpv:hasConsentControl',
  'dpv:isExercisedAt',
  'dpv:hasConsentStatus',
  'dpv:isIndicatedAtTime',
  'dpv:isIndicatedBy',
  'dpv:hasIndicationMethod',
  'dpv:hasTechnicalMeasure',
] as const;

export const DCT_TERMS = [
  'dct:identifier',
  'dct:conformsTo',
  'dct:created',
  'dct:title',
  'dct:description',
  'dct:hasVersion',
  'dct:isVersionOf',
  'dct:language',
  'dct:creator',
  'dct:format',
  'dct:date',
  'rdf:value',
] as const;

export type DpvTerm = (typeof DPV_TERMS)[number];
export type Term = DpvTerm | (typeof DCT_TERMS)[number];

/** IRIs the export points at that are not terms: the guide's record profile, and Belgium (DPV's loc extension). */
export const DPV_27560_RECORD = 'https://w3id.org/dpv/schema/dpv-27560#record';
export const BELGIUM = 'loc:BE';

/** A JSON-LD node whose keys and types are terms of the list. */
export type DpvNode = { '@id'?: string; '@type'?: DpvTerm } & { [K in Term]?: unknown };
