import { describe, expect, it } from 'vitest';
import { ConsentRecord } from '../wire/schemas.js';
import { ConsentError } from './errors.js';
import { buildConsentRecord, buildWithdrawal, type ConsentDecision } from './records.js';
import { RETENTION_SUMMARY, addMonthsUtc } from './retention.js';
import { currentStatement } from './statements.js';
import { context } from '../test/fixtures/statements.js';

const SUBJECT = '11111111-2222-4333-8444-555555555555';
const chainNl = currentStatement('chain', 'nl');
const registryNl = currentStatement('registry', 'nl');

const eidCategories = [
  { id: 'surname', source: 'eid-chip' },
  { id: 'firstNames', source: 'eid-chip' },
  { id: 'address', source: 'eid-chip' },
  { id: 'language', source: 'self-declared' },
  { id: 'email', source: 'self-declared' },
] as const;

const chainDecision = (over: Partial<ConsentDecision> = {}): ConsentDecision => ({
  ...context(),
  party: 'chain',
  statement: chainNl,
  decisions: { loyalty: true, 'offers-email': true, 'offers-sms': false, 'offers-post': false, profiling: false },
  subjectRef: SUBJECT,
  dataCategories: eidCategories,
  controlsTouched: ['loyalty:yes', 'offers-email:yes', 'offers-sms:no', 'offers-post:no', 'profiling:no', 'confirm'],
  ...over,
});

const failure = (fn: () => unknown): { code: string; detail: string | undefined } => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConsentError) return { code: e.code, detail: e.detail };
    throw e;
  }
  throw new Error('expected a ConsentError');
};

describe('buildConsentRecord', () => {
  it('builds the exact chain record, valid against the wire schema', () => {
    const record = buildConsentRecord(chainDecision());
    expect(record).toEqual({
      recordId: '00000000-0000-4000-8000-000000000001',
      subjectRef: SUBJECT,
      party: 'chain',
      controller: { id: 'demo-retail', name: 'Demo Retail NV', contact: 'dpo@demo-retail.example.be' },
      purposes: [
        { id: 'loyalty', status: 'given', legalBasis: 'GDPR Art. 6(1)(a)' },
        { id: 'offers-email', status: 'given', legalBasis: 'GDPR Art. 6(1)(a); Belgian Code of Economic Law Art. XII.13' },
        { id: 'offers-sms', status: 'refused', legalBasis: 'GDPR Art. 6(1)(a); Belgian Code of Economic Law Art. XII.13' },
        { id: 'offers-post', status: 'refused', legalBasis: 'GDPR Art. 6(1)(a)' },
        { id: 'profiling', status: 'refused', legalBasis: 'GDPR Art. 6(1)(a)' },
      ],
      dataCategories: [
        { id: 'surname', source: 'eid-chip' },
        { id: 'firstNames', source: 'eid-chip' },
        { id: 'address', source: 'eid-chip' },
        { id: 'language', source: 'self-declared' },
        { id: 'email', source: 'self-declared' },
      ],
      notice: { statementId: 'demo-retail-loyalty', version: chainNl.version, language: 'nl', textSha256: chainNl.textSha256 },
      event: {
        at: '2025-03-12T13:03:00.000Z',
        utcOffsetMinutes: 60,
        type: 'given',
        method: 'kiosk-eid',
        storeId: 'store-gent-01',
        kioskId: 'kiosk-07',
      },
      evidence: {
        allUncheckedAtStart: true,
        controlsTouched: ['loyalty:yes', 'offers-email:yes', 'offers-sms:no', 'offers-post:no', 'profiling:no', 'confirm'],
      },
      validity: { reviewAt: '2027-03-12T13:03:00.000Z', retention: RETENTION_SUMMARY.chain },
      withdrawal: { methods: ['kiosk', 'email:dpo@demo-retail.example.be'], asEasyAsGiving: true },
    });
    expect(ConsentRecord.parse(record)).toEqual(record);
    expect(record.notice.textSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records a refusal of every purpose as a refused event, not as nothing', () => {
    const record = buildConsentRecord({
      ...context(),
      party: 'registry',
      statement: registryNl,
      decisions: { 'profile-sync': false },
      subjectRef: SUBJECT,
      method: 'kiosk-manual',
      dataCategories: [
        { id: 'surname', source: 'self-declared' },
        { id: 'firstNames', source: 'self-declared' },
      ],
    });
    expect(record.event.type).toBe('refused');
    expect(record.purposes).toEqual([{ id: 'profile-sync', status: 'refused', legalBasis: 'GDPR Art. 6(1)(a)' }]);
    expect(record.controller).toEqual({
      id: 'central-consumer-registry',
      name: 'Central Consumer Registry BV',
      contact: 'dpo@consumer-registry.example.be',
    });
    expect(record.validity.retention).toBe(RETENTION_SUMMARY.registry);
  });

  it('marks an answer to a re-consent request as renewed', () => {
    expect(buildConsentRecord(chainDecision({ reconsent: true })).event.type).toBe('renewed');
    const allNo = { loyalty: false, 'offers-email': false, 'offers-sms': false, 'offers-post': false, profiling: false };
    expect(buildConsentRecord(chainDecision({ reconsent: true, decisions: allNo })).event.type).toBe('refused');
  });

  it('refuses to build when a purpose has no explicit decision, so nothing is pre-selected', () => {
    const { profiling: _omitted, ...four } = chainDecision().decisions;
    expect(failure(() => buildConsentRecord(chainDecision({ decisions: four })))).toEqual({
      code: 'DECISION_MISSING',
      detail: `purpose profiling of statement demo-retail-loyalty v${chainNl.version} has no explicit decision`,
    });
    const notBoolean = { ...four, profiling: 'yes' } as unknown as Record<string, boolean>;
    expect(failure(() => buildConsentRecord(chainDecision({ decisions: notBoolean }))).code).toBe('DECISION_MISSING');
  });

  it('refuses a decision on a purpose the statement does not have', () => {
    const decisions = { ...chainDecision().decisions, 'share-with-partners': true };
    expect(failure(() => buildConsentRecord(chainDecision({ decisions })))).toEqual({
      code: 'DECISION_UNKNOWN',
      detail: `statement demo-retail-loyalty v${chainNl.version} has no purpose share-with-partners`,
    });
  });

  it('refuses a statement of the other party', () => {
    expect(failure(() => buildConsentRecord(chainDecision({ statement: registryNl }))).code).toBe('PARTY_MISMATCH');
  });

  it('refuses data categories the statement shown does not name, or a source the method cannot produce', () => {
    const birthDate = [...eidCategories, { id: 'birthDate', source: 'eid-chip' } as const];
    expect(failure(() => buildConsentRecord(chainDecision({ dataCategories: birthDate })))).toEqual({
      code: 'CATEGORY_NOT_DECLARED',
      detail: `statement demo-retail-loyalty v${chainNl.version} does not name birthDate from eid-chip`,
    });
    const nationalNumber = [{ id: 'nationalNumber', source: 'eid-chip' } as const];
    expect(failure(() => buildConsentRecord(chainDecision({ dataCategories: nationalNumber }))).code).toBe('CATEGORY_NOT_DECLARED');
    expect(failure(() => buildConsentRecord(chainDecision({ method: 'kiosk-manual' })))).toEqual({
      code: 'CATEGORY_NOT_DECLARED',
      detail: 'surname from eid-chip cannot be collected by kiosk-manual',
    });
    const twice = [...eidCategories, { id: 'email', source: 'self-declared' } as const];
    expect(failure(() => buildConsentRecord(chainDecision({ dataCategories: twice }))).detail).toBe('email is listed twice');
  });

  it('lets the registry record a birth date a chain policy keeps', () => {
    const record = buildConsentRecord({
      ...chainDecision(),
      party: 'registry',
      statement: registryNl,
      decisions: { 'profile-sync': true },
      dataCategories: [...eidCategories, { id: 'birthDate', source: 'eid-chip' }],
    });
    expect(record.dataCategories.map((c) => c.id)).toContain('birthDate');
  });

  it('reports a record the wire schema rejects with the field at fault', () => {
    expect(failure(() => buildConsentRecord(chainDecision({ newId: () => 'not-a-uuid' })))).toEqual({
      code: 'RECORD_INVALID',
      detail: 'recordId: Invalid UUID',
    });
  });
});

describe('buildWithdrawal', () => {
  const given = buildConsentRecord(chainDecision());
  const frozen = structuredClone(given);
  const later = {
    ...context(),
    now: new Date('2025-06-01T08:15:00.000Z'),
    utcOffsetMinutes: 120,
    newId: () => '00000000-0000-4000-8000-0000000000aa',
  };

  it('appends a new record: listed purposes withdrawn, the others carried as they were', () => {
    const w = buildWithdrawal(given, ['offers-email'], { ...later, controlsTouched: ['offers-email:withdraw'] });
    expect(w).toEqual({
      ...frozen,
      recordId: '00000000-0000-4000-8000-0000000000aa',
      purposes: [
        { id: 'loyalty', status: 'given', legalBasis: 'GDPR Art. 6(1)(a)' },
        { id: 'offers-email', status: 'withdrawn', legalBasis: 'GDPR Art. 6(1)(a); Belgian Code of Economic Law Art. XII.13' },
        { id: 'offers-sms', status: 'refused', legalBasis: 'GDPR Art. 6(1)(a); Belgian Code of Economic Law Art. XII.13' },
        { id: 'offers-post', status: 'refused', legalBasis: 'GDPR Art. 6(1)(a)' },
        { id: 'profiling', status: 'refused', legalBasis: 'GDPR Art. 6(1)(a)' },
      ],
      event: {
        at: '2025-06-01T08:15:00.000Z',
        utcOffsetMinutes: 120,
        type: 'withdrawn',
        method: 'kiosk-eid',
        storeId: 'store-gent-01',
        kioskId: 'kiosk-07',
        withdraws: [given.recordId],
      },
      evidence: { allUncheckedAtStart: false, controlsTouched: ['offers-email:withdraw'] },
    });
    expect(given).toEqual(frozen); // the earlier record is never touched
    expect(w.validity).toEqual(given.validity); // withdrawing does not extend what remains
    expect(w.notice).toEqual(given.notice);
  });

  it('chains: a second withdrawal starts from the first one', () => {
    const first = buildWithdrawal(given, ['offers-email'], later);
    const second = buildWithdrawal(first, ['loyalty'], { ...later, newId: () => '00000000-0000-4000-8000-0000000000bb' });
    expect(second.purposes.map((p) => p.status)).toEqual(['withdrawn', 'withdrawn', 'refused', 'refused', 'refused']);
    expect(first.purposes.map((p) => p.status)).toEqual(['given', 'withdrawn', 'refused', 'refused', 'refused']);
    expect(second.event.withdraws).toEqual([first.recordId]);
  });

  it('names what it withdraws only on a withdrawal, each record once', () => {
    const w = buildWithdrawal(given, ['offers-email'], later);
    const named = (event: object) => ConsentRecord.safeParse({ ...w, event: { ...w.event, ...event } }).error?.issues[0]?.message;
    expect(named({})).toBeUndefined();
    expect(named({ type: 'given' })).toBe('only a withdrawal names what it withdraws');
    expect(named({ withdraws: [given.recordId, given.recordId] })).toBe('a record is named twice');
    expect(named({ withdraws: [] })).toMatch(/>=1 items/);
    expect(named({ withdraws: undefined })).toBeUndefined(); // a withdrawal stored before they named what they withdraw
  });

  it('refuses to withdraw nothing, a refused purpose or an unknown one', () => {
    expect(failure(() => buildWithdrawal(given, [], later))).toEqual({ code: 'WITHDRAWAL_INVALID', detail: 'no purpose to withdraw' });
    expect(failure(() => buildWithdrawal(given, ['offers-sms'], later)).detail).toBe(
      'purpose offers-sms is refused in record 00000000-0000-4000-8000-000000000001, not given',
    );
    expect(failure(() => buildWithdrawal(given, ['nope'], later)).detail).toMatch(/^purpose nope is unknown/);
  });
});

describe('review date', () => {
  it('adds whole months in UTC and clamps to the end of the month', () => {
    expect(addMonthsUtc(new Date('2024-02-29T10:00:00.000Z'), 24).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonthsUtc(new Date('2025-01-31T23:30:00.000Z'), 1).toISOString()).toBe('2025-02-28T23:30:00.000Z');
    expect(addMonthsUtc(new Date('2025-11-15T00:00:00.000Z'), 2).toISOString()).toBe('2026-01-15T00:00:00.000Z');
  });
});
