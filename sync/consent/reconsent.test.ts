import { afterAll, describe, expect, it } from 'vitest';
import { buildConsentRecord, buildWithdrawal } from './records.js';
import { needsReconsent } from './reconsent.js';
import { loadStatements, type StatementCatalog } from './statements.js';
import { context, copyStatements } from '../test/fixtures/statements.js';

const SUBJECT = '11111111-2222-4333-8444-555555555555';

// A catalog where the chain has published a newer version while the registry keeps its current one.
const copy = copyStatements();
afterAll(() => copy.remove());
const before = loadStatements(copy.dir);
const next = copy.next('chain');
copy.publish({ ...next, text: { ...next.text, nl: { ...next.text.nl, title: 'Klantenprogramma Demo Retail NV: uw keuzes' } } });
const after = loadStatements(copy.dir);

const currentOf = (catalog: StatementCatalog) => [catalog.current('chain', 'nl'), catalog.current('registry', 'nl')];

const recordsUnder = (catalog: StatementCatalog, newId = context().newId) => [
  buildConsentRecord({
    ...context(),
    newId,
    party: 'chain',
    statement: catalog.current('chain', 'nl'),
    decisions: { loyalty: true, 'offers-email': false, 'offers-sms': false, 'offers-post': false, profiling: false },
    subjectRef: SUBJECT,
    dataCategories: [{ id: 'surname', source: 'eid-chip' }],
  }),
  buildConsentRecord({
    ...context(),
    newId,
    party: 'registry',
    statement: catalog.current('registry', 'nl'),
    decisions: { 'profile-sync': false },
    subjectRef: SUBJECT,
    dataCategories: [{ id: 'surname', source: 'eid-chip' }],
  }),
];

describe('needsReconsent', () => {
  it('asks nobody whose latest records are under the current versions', () => {
    expect(needsReconsent(recordsUnder(before), currentOf(before))).toEqual([]);
  });

  it('asks again for the party whose statement has a new version, in any language', () => {
    const old = recordsUnder(before);
    expect(needsReconsent(old, currentOf(after))).toEqual(['chain']);
    expect(needsReconsent(old, [after.current('chain', 'de'), after.current('registry', 'de')])).toEqual(['chain']);
  });

  it('asks a party that has no record for this customer yet', () => {
    const [chain] = recordsUnder(after);
    expect(needsReconsent([chain!], currentOf(after))).toEqual(['registry']);
    expect(needsReconsent([], currentOf(after))).toEqual(['chain', 'registry']);
  });

  it('judges by the latest record of each party', () => {
    const [oldChain, registry] = recordsUnder(before);
    const [newChain] = recordsUnder(after);
    const renewed = { ...newChain!, event: { ...newChain!.event, at: '2025-04-01T09:00:00.000Z' } };
    expect(needsReconsent([renewed, oldChain!, registry!], currentOf(after))).toEqual([]);
    // A withdrawal keeps the notice it withdraws from: still the old version, so still asked again.
    const withdrawn = buildWithdrawal(oldChain!, ['loyalty'], { ...context(), now: new Date('2025-05-01T09:00:00.000Z') });
    expect(needsReconsent([renewed, withdrawn, registry!], currentOf(after))).toEqual(['chain']);
  });

  it('asks again once the review date has passed, when told the time', () => {
    const records = recordsUnder(after);
    const reviewAt = new Date(records[0]!.validity.reviewAt!);
    expect(needsReconsent(records, currentOf(after), new Date(reviewAt.getTime() - 1))).toEqual([]);
    expect(needsReconsent(records, currentOf(after), reviewAt)).toEqual(['chain', 'registry']);
  });
});
