import { describe, expect, it } from 'vitest';
import { ConsentRecord } from '../sync/wire/schemas.js';
import { withdrawalRecord } from './consent-desk.js';
import { currentStates } from './consent-state.js';
import { consentRecord } from '../sync/test/fixtures/payloads.js';

describe('withdrawalRecord', () => {
  it('builds a valid wire record under the notice it reverses', () => {
    const kiosk = { kioskId: 'kiosk-b', chainId: 'chain-a', storeId: 'store-9' };
    const given = consentRecord({
      subjectRef: '7d0c1a5e-9a7b-4b8e-8f43-2c2f0b3c9d11',
      party: 'chain',
      kiosk: { ...kiosk, kioskId: 'kiosk-a' },
    });
    const records = [{ seq: 1, chainId: 'chain-a', record: given }];
    const states = currentStates(records).filter((s) => s.purposeId === 'loyalty');
    const req = {
      surname: 'x',
      firstNames: 'y',
      party: 'chain' as const,
      purposes: ['loyalty'],
      method: 'kiosk-manual' as const,
      utcOffsetMinutes: 120,
    };
    const rec = withdrawalRecord(records, states, kiosk, req, '2025-04-01T08:00:00.000Z', '0b8f6a3c-5d2e-4f1a-9c7b-3e4d5f6a7b8c');
    expect(ConsentRecord.parse(rec)).toEqual(rec);
    expect(rec).toMatchObject({
      recordId: '0b8f6a3c-5d2e-4f1a-9c7b-3e4d5f6a7b8c',
      subjectRef: given.subjectRef,
      notice: given.notice,
      controller: given.controller,
      purposes: [{ id: 'loyalty', status: 'withdrawn', legalBasis: 'consent' }],
      event: {
        at: '2025-04-01T08:00:00.000Z',
        utcOffsetMinutes: 120,
        type: 'withdrawn',
        method: 'kiosk-manual',
        storeId: 'store-9',
        kioskId: 'kiosk-b',
        recordedBy: 'registry',
      },
    });
  });
});
