// The QR a customer photographs: their receipt, with the withdrawal code when the commit issued one,
// and nothing that names them.
import { describe, expect, it } from 'vitest';
import { buildConsentRecord } from '../sync/consent/records.js';
import { currentStatement } from '../sync/consent/statements.js';
import { context } from '../sync/test/fixtures/statements.js';
import { receiptQrText } from './receipt.js';

const SUBJECT = '11111111-2222-4333-8444-555555555555';
const chain = buildConsentRecord({
  ...context(),
  party: 'chain',
  statement: currentStatement('chain', 'en'),
  decisions: { loyalty: true, 'offers-email': false, 'offers-sms': false, 'offers-post': false, profiling: false },
  subjectRef: SUBJECT,
  dataCategories: [{ id: 'surname', source: 'self-declared' }],
});

describe('receiptQrText', () => {
  it('carries the withdrawal code as printed on the receipt, last', () => {
    const lines = receiptQrText(SUBJECT, [chain], 'AB12CD34EF').split('\n');
    expect(lines[0]).toBe(`eID kiosk consent receipt ${SUBJECT}`);
    expect(lines.at(-1)).toBe('withdrawal code: AB12C-D34EF');
    expect(receiptQrText(SUBJECT, [chain])).not.toContain('withdrawal code');
  });
});
