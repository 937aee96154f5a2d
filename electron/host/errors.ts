// The host's failures as the contract's stable codes: every call answers a Result, never throws
// across a transport. Library errors (card-reader, store, consent) are mapped here, in one place.
import { isCardError } from '../../card-reader/errors.js';
import { isConsentError } from '../../sync/consent/errors.js';
import { isStoreError } from '../../sync/store/errors.js';
import type { ApiError, ErrorCode } from '../api/contract.js';

export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(
    readonly code: ErrorCode,
    readonly extra: Omit<ApiError, 'code'> = {},
  ) {
    super(code);
  }
}

/** A call out of the flow's order: refused, and nothing changed. */
export const wrongStep = (): HostError => new HostError('WRONG_STEP');

export function toApiError(e: unknown): ApiError {
  if (e instanceof HostError) return { code: e.code, ...e.extra };
  if (isCardError(e)) return { code: e.code };
  if (isStoreError(e)) {
    if (e.code === 'DISK_FULL') return { code: 'STORE_FULL' };
    if (e.code === 'NOT_FOUND') return { code: 'NOT_FOUND' };
    if (e.code === 'INVALID_STATE') return { code: 'WRONG_STEP' };
    return { code: 'STORE_FAILED' };
  }
  // The renderer sent decisions that do not fit the statement shown: a bad request, not a bug here.
  if (isConsentError(e) && (e.code === 'DECISION_MISSING' || e.code === 'DECISION_UNKNOWN' || e.code === 'WITHDRAWAL_INVALID')) {
    return { code: 'INVALID_REQUEST' };
  }
  return { code: 'INTERNAL' };
}
