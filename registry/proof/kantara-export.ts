// Kantara Consent Receipt v1.1 receipts, one per stored record, valid against the Kantara schema
// (fixtures/kantara-consent-receipt-v1_1-schema.json). v1.1 describes a consent given; what a record
// also says (a refusal, a withdrawal, each purpose's own status, the exact notice) travels in
// members the schema leaves open: `consentEvent` (a withdrawal's names the receipts it reverses,
// `withdraws`, by their consentReceiptID), `notice`, `consentStatus` on each purpose, and
// `signatures` (the kiosk's compact JWS over the record; for a record that came in a signed batch,
// the kiosk's JWS over that batch, listing the record's JWS by hash; the registry's countersignature
// over the batch's JWS, or over the record's own for a record countersigned alone).
// The principal is the record's pseudonymous reference, never a name.
import type { ConsentRecord } from '../../sync/wire/schemas.js';
import type { StatementView } from '../../sync/consent/statements.js';
import type { PublishedStatements } from '../published-notices.js';
import type { StoredSignatures } from '../storage/consent-signatures.js';
import { countersignatureOf, niSha256, type ProofEntry } from './proof-record.js';

export const KANTARA_VERSION = 'KI-CR-v1.1.0';

/** How the record was collected, in words (Kantara's collectionMethod is free text). */
const COLLECTION: Record<ConsentRecord['event']['method'], string> = {
  'kiosk-eid': 'kiosk-eid: at a shop kiosk after reading the Belgian eID, every purpose answered yes or no, none pre-ticked',
  'kiosk-manual': 'kiosk-manual: at a shop kiosk with typed details, every purpose answered yes or no, none pre-ticked',
  'staff-paper': 'staff-paper: a paper form signed in the shop, keyed in by staff',
};

export interface KantaraPurpose {
  purpose: string;
  consentType: 'EXPLICIT';
  purposeCategory: string[];
  piiCategory: string[];
  termination: string;
  thirdPartyDisclosure: boolean;
  thirdPartyName?: string;
  consentStatus: ConsentRecord['purposes'][number]['status'];
}

export interface KantaraReceipt {
  version: typeof KANTARA_VERSION;
  jurisdiction: 'BE';
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  language: string;
  piiPrincipalId: string;
  piiControllers: Array<{ piiController: string; contact: string; address: Record<string, never>; email: string; phone: string }>;
  policyUrl: string;
  services: Array<{ service: string; purposes: KantaraPurpose[] }>;
  sensitive: false;
  spiCat: [];
  consentEvent: ConsentRecord['event'];
  notice: ConsentRecord['notice'];
  signatures?: {
    kiosk: { kid: string; jws: string };
    batch?: { kid: string; jws: string };
    registry: { kid: string; jws: string; signedAt: string };
  };
}

export function kantaraReceipts(entries: readonly ProofEntry[], statements: PublishedStatements): KantaraReceipt[] {
  return entries.map(({ record: r, signatures }) =>
    kantaraReceipt(r, statements.get(r.notice.statementId, r.notice.version, r.notice.language), signatures),
  );
}

function kantaraReceipt(r: ConsentRecord, shown: StatementView | undefined, s: StoredSignatures | null): KantaraReceipt {
  const thirdParties = [
    ...new Set((shown?.inventory ?? []).flatMap((e) => e.recipients.filter((x) => x.as === 'controller').map((x) => x.id))),
  ];
  const disclosure =
    thirdParties.length > 0 ? { thirdPartyDisclosure: true, thirdPartyName: thirdParties.join(', ') } : { thirdPartyDisclosure: false };
  return {
    version: KANTARA_VERSION,
    jurisdiction: 'BE',
    consentTimestamp: Math.floor(Date.parse(r.event.at) / 1000),
    collectionMethod: COLLECTION[r.event.method],
    consentReceiptID: r.recordId,
    language: r.notice.language,
    piiPrincipalId: r.subjectRef,
    // The statements carry the controller's postal address and telephone only in their text: the
    // schema's required members are present, empty, rather than guessed.
    piiControllers: [
      { piiController: r.controller.name, contact: r.controller.contact, address: {}, email: r.controller.contact, phone: '' },
    ],
    policyUrl: niSha256(r.notice.textSha256),
    services: [
      {
        service: `${r.notice.statementId} v${r.notice.version}`,
        purposes: r.purposes.map((p) => ({
          purpose: shown?.purposes.find((s) => s.id === p.id)?.title ?? p.id,
          consentType: 'EXPLICIT',
          purposeCategory: [p.id],
          piiCategory: [...new Set(r.dataCategories.map((c) => c.id))],
          termination: r.validity.retention,
          ...disclosure,
          consentStatus: p.status,
        })),
      },
    ],
    sensitive: false,
    spiCat: [],
    consentEvent: r.event,
    notice: r.notice,
    ...(s === null
      ? {}
      : {
          signatures: {
            kiosk: { kid: s.kioskKid, jws: s.kioskJws },
            ...(s.batch ? { batch: { kid: s.batch.kioskKid, jws: s.batch.kioskJws } } : {}),
            registry: countersignatureOf(s),
          },
        }),
  };
}
