import { describe, expect, it } from 'vitest';
import { CardError } from '../card-reader/errors.js';
import { ConsentError } from '../sync/consent/errors.js';
import { StoreError } from '../sync/store/errors.js';
import { HostError, toApiError } from './errors.js';

describe('toApiError', () => {
  it("maps every library's error to the contract's code by its code alone", () => {
    expect(toApiError(new CardError('CARD_REMOVED', 'SW 6F00'))).toEqual({ code: 'CARD_REMOVED' });
    expect(toApiError(new StoreError('DISK_FULL', 'SQLITE_FULL'))).toEqual({ code: 'STORE_FULL' });
    expect(toApiError(new StoreError('INVALID_STATE'))).toEqual({ code: 'WRONG_STEP' });
    expect(toApiError(new StoreError('BUSY'))).toEqual({ code: 'STORE_FAILED' });
    expect(toApiError(new ConsentError('DECISION_MISSING', 'purpose loyalty'))).toEqual({ code: 'INVALID_REQUEST' });
    expect(toApiError(new ConsentError('STATEMENT_CHANGED'))).toEqual({ code: 'INTERNAL' });
    expect(toApiError(new HostError('PIN_WRONG', { triesLeft: 2 }))).toEqual({ code: 'PIN_WRONG', triesLeft: 2 });
    expect(toApiError(new Error('DISK_FULL'))).toEqual({ code: 'INTERNAL' });
  });

  it('gives a HostError a message from its table, never the bare code', () => {
    expect(new HostError('NO_SESSION').message).toBe('There is no enrollment session.');
    expect(new HostError('NO_READER').message).toBe(new CardError('NO_READER').message);
  });
});
