// Shared fixtures for the store tests: a temp directory per test, a generated key, deterministic ids
// and clocks, and a valid enrollment payload. Paper-import tests use the published statements instead
// (bundledStatements in sync/consent/statements.ts).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { ConsentRecord, EnrollmentPayload, Person } from '../wire/schemas.js';
import { openStore, type Store } from '../store/open.js';

export const silent: Logger = pino({ level: 'silent' });

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** UUID v4-shaped ids from a counter: readable in failures, unique per generator. */
export function idGenerator(prefix = 0): () => string {
  let n = 0;
  return () => {
    n++;
    return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  };
}

export const T0 = new Date('2025-03-14T09:00:00.000Z');
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

export function openTestStore(path: string, key: Buffer, options: { log?: Logger; newId?: () => string } = {}): Store {
  return openStore({ path, key, newId: options.newId ?? idGenerator(1), log: options.log ?? silent });
}

export const newKey = (): Buffer => randomBytes(32);

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * What a record of the store tests claims was shown. The store never reads the statement behind a
 * record, so these are fixed stand-ins, not a copy of resources/consent; store-outbox and
 * store-migrations assert the purpose ids.
 */
const NOTICES = {
  chain: {
    statementId: 'demo-retail-loyalty',
    controller: { id: 'demo-retail', name: 'Demo Retail NV', contact: 'dpo@demo-retail.example' },
    purposes: ['loyalty-account', 'offers-email'],
    retention: 'P2Y after last use',
  },
  registry: {
    statementId: 'central-registry-profile',
    controller: { id: 'registry', name: 'Consumer Registry VZW', contact: 'dpo@registry.example' },
    purposes: ['profile-sync'],
    retention: 'P2Y after last visit',
  },
} as const;

export const PERSON: Person = {
  surname: 'Peeters',
  firstNames: 'Jan Karel',
  language: 'nl',
  address: { street: 'Kerkstraat 1', postalCode: '2000', municipality: 'Antwerpen', country: 'BE' },
  birthDate: '1980-05-17',
  sex: 'M',
  email: 'jan.peeters@example.org',
  mobile: '+32470123456',
};

export function consentRecord(
  subjectRef: string,
  party: 'chain' | 'registry',
  recordId: string,
  overrides: { type?: ConsentRecord['event']['type']; status?: ConsentRecord['purposes'][number]['status']; at?: Date } = {},
): ConsentRecord {
  const s = NOTICES[party];
  return {
    recordId,
    subjectRef,
    party,
    controller: { ...s.controller },
    purposes: s.purposes.map((id) => ({ id, status: overrides.status ?? 'given', legalBasis: 'GDPR Art. 6(1)(a)' })),
    dataCategories: [{ id: 'surname', source: 'eid-chip' }],
    notice: { statementId: s.statementId, version: '1', language: 'nl', textSha256: sha(`${party} 1 nl`) },
    event: {
      at: (overrides.at ?? T0).toISOString(),
      utcOffsetMinutes: 60,
      type: overrides.type ?? 'given',
      method: 'kiosk-eid',
      storeId: 'store-7',
      kioskId: 'kiosk-2',
    },
    evidence: { allUncheckedAtStart: true, controlsTouched: ['loyalty-account'] },
    validity: { retention: s.retention },
    withdrawal: { methods: ['kiosk', 'email'], asEasyAsGiving: true },
  };
}

/** A complete eID enrollment with both parties' records, ids drawn from `newId`. */
export function enrollmentPayload(newId: () => string, person: Person = PERSON, enrolledAt: Date = T0): EnrollmentPayload {
  const enrollmentId = newId();
  return {
    enrollmentId,
    chainId: 'demo-chain',
    storeId: 'store-7',
    kioskId: 'kiosk-2',
    source: 'eid',
    enrolledAt: enrolledAt.toISOString(),
    utcOffsetMinutes: 60,
    person,
    eidVerification: { identity: true, address: true, photo: true, chain: true, cardValidUntil: '2031-02-01' },
    consents: [
      consentRecord(enrollmentId, 'chain', newId()),
      consentRecord(enrollmentId, 'registry', newId(), { status: 'refused', type: 'refused' }),
    ],
  };
}
