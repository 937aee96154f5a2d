// What "my consents" queues: one withdrawal per record that gave what the customer withdraws, each
// naming that record (as the registry's lookup names it), or none at all when the registry names no
// record of this chain for a give (a registry consent standing only at another chain).
import { describe, expect, it } from 'vitest';
import { currentStatement, loadStatements } from '../sync/consent/statements.js';
import { context } from '../sync/test/fixtures/statements.js';
import type { ChainConsentState, ConsentLookupResponse, RegistryConsentState } from '../sync/wire/registry-api.js';
import { ConsentRecord } from '../sync/wire/schemas.js';
import { namesEveryGive, withdrawalRecords } from './withdrawal.js';

const catalog = loadStatements();
const chain = currentStatement('chain', 'nl');
const registry = currentStatement('registry', 'nl');
const SUBJECT = '0194f0c2-5a1e-7b3c-8d4e-1f2a3b4c5d6e';
const FIRST = '00000000-0000-4000-8000-00000000000a';
const SECOND = '00000000-0000-4000-8000-00000000000b';

const chainState = (purposeId: string, recordId: string, status: ChainConsentState['status'] = 'given'): ChainConsentState => ({
  controllerId: chain.controller.id,
  purposeId,
  status,
  legalBasis: chain.purposes.find((p) => p.id === purposeId)!.legalBasis,
  statementId: chain.id,
  version: chain.version,
  language: 'nl',
  decidedAt: '2025-03-01T09:00:00.000Z',
  recordId,
});
const registryState = (recordId?: string): RegistryConsentState => ({
  purposeId: registry.purposes[0]!.id,
  status: 'given',
  controllerId: registry.controller.id,
  statementId: registry.id,
  version: registry.version,
  ...(recordId ? { recordId } : {}),
});
const known = (registryStates: RegistryConsentState[]): ConsentLookupResponse & { subjectRef: string } => ({
  // Loyalty given at the first enrollment, offers by e-mail at a later one; offers by SMS refused.
  chain: [chainState('loyalty', FIRST), chainState('offers-email', SECOND), chainState('offers-sms', SECOND, 'refused')],
  registry: registryStates,
  subjectRef: SUBJECT,
});

describe('withdrawalRecords', () => {
  it('makes one withdrawal per record that gave the purposes, naming it, each a valid record', () => {
    const records = withdrawalRecords(
      { known: known([]), party: 'chain', purposes: ['loyalty', 'offers-email', 'offers-sms'], language: 'fr' },
      catalog,
      context(),
    );
    expect(records.map((r) => [r.event.withdraws, r.purposes.map((p) => [p.id, p.status])])).toEqual([
      [[FIRST], [['loyalty', 'withdrawn']]],
      [[SECOND], [['offers-email', 'withdrawn']]],
    ]);
    for (const r of records) expect(ConsentRecord.parse(r)).toEqual(r);
    expect(records.map((r) => r.subjectRef)).toEqual([SUBJECT, SUBJECT]);
  });

  it('names the registry give the lookup names at this chain, and refuses to guess one it does not', () => {
    const choice = { party: 'registry' as const, purposes: [registry.purposes[0]!.id], language: 'nl' as const };
    const named = { ...choice, known: known([registryState(FIRST)]) };
    expect(namesEveryGive(named)).toBe(true);
    expect(withdrawalRecords(named, catalog, context()).map((r) => r.event.withdraws)).toEqual([[FIRST]]);
    const elsewhere = { ...choice, known: known([registryState()]) };
    expect(namesEveryGive(elsewhere)).toBe(false);
    expect(() => withdrawalRecords(elsewhere, catalog, context())).toThrow(/must name the record it reverses/);
    // The chain's gives are always named; nothing chosen needs no name.
    expect(namesEveryGive({ ...elsewhere, party: 'chain', purposes: ['loyalty'] })).toBe(true);
    expect(namesEveryGive({ ...elsewhere, purposes: [] })).toBe(true);
  });
});
