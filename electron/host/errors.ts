// The host's failures as the contract's stable codes: every call answers a Result, never throws
// across a transport. Library errors (card-reader, store, consent) are mapped here, in one place.
import { CodedError } from '../../common/coded-error.js';
import { CARD_ERROR_CODES, isCardError } from '../../card-reader/errors.js';
import { isConsentError } from '../../sync/consent/errors.js';
import { isStoreError } from '../../sync/store/errors.js';
import type { ApiError, ErrorCode } from '../api/contract.js';

/** For logs and staff; the renderer translates the code (renderer/i18n/locales). */
export const HOST_ERROR_CODES = {
  ...CARD_ERROR_CODES,
  INVALID_REQUEST: 'The request does not match its schema.',
  WRONG_STEP: "The call is out of the flow's order; nothing changed.",
  NO_SESSION: 'There is no enrollment session.',
  NOT_VERIFIED: 'The card failed a check: use the manual form.',
  STORE_FULL: 'The kiosk disk is full: nothing was lost, the enrollment was not saved.',
  STORE_FAILED: 'The kiosk store failed.',
  REGISTRY_UNREACHABLE: 'The registry cannot be reached.',
  NOT_FOUND: 'The registry knows no such customer.',
  RATE_LIMITED: 'Too many attempts: wait before trying again.',
  PIN_WRONG: 'Wrong staff PIN.',
  PIN_LOCKED: 'The staff PIN is locked for a while.',
  PIN_NOT_SET: 'No staff PIN is set.',
  INTERNAL: 'The kiosk failed.',
} as const satisfies Record<ErrorCode, string>;

export class HostError extends CodedError<ErrorCode> {
  override readonly name = 'HostError';
  constructor(
    code: ErrorCode,
    readonly extra: Omit<ApiError, 'code'> = {},
  ) {
    super(HOST_ERROR_CODES, code);
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
