// The host's failures as the contract's stable codes: every call answers a Result, never throws
// across a transport. Library errors (card-reader, store, consent) are mapped here, in one place.
import { CodedError } from '../common/coded-error.js';
import { CARD_ERROR_CODES, isCardError } from '../card-reader/errors.js';
import { isConsentError, type ConsentErrorCode } from '../sync/consent/errors.js';
import { isStoreError, type StoreErrorCode } from '../sync/store/errors.js';
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
  PROOF_REQUIRED: 'The one-time code sent to the address on file is required.',
  RATE_LIMITED: 'Too many attempts: wait before trying again.',
  PIN_WRONG: 'Wrong staff PIN.',
  PIN_LOCKED: 'The staff PIN is locked for a while.',
  PIN_NOT_SET: 'No staff PIN is set.',
  STAFF_CODE_WRONG: 'Wrong staff code.',
  STAFF_CODE_LOCKED: 'The staff codes are locked for a while.',
  STAFF_CODE_NOT_SET: 'No staff member has a code yet.',
  NOT_PROVISIONED: 'The kiosk is not provisioned yet: only its set-up is served.',
  SETUP_CODE_REFUSED: 'The registry refused the one-time code (unknown, used or expired).',
  SPEECH_UNAVAILABLE: 'No speech engine (espeak-ng missing or failed): the screen works, silently.',
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

/** Each store failure as the contract's code: a table over every code, so a new one cannot be missed. */
const STORE_CODES = {
  DISK_FULL: 'STORE_FULL',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_STATE: 'WRONG_STEP',
  DB_NEWER_THAN_CODE: 'STORE_FAILED',
  MIGRATION_FAILED: 'STORE_FAILED',
  BAD_MIGRATIONS: 'STORE_FAILED',
  BUSY: 'STORE_FAILED',
  DB_MISSING: 'STORE_FAILED',
  DB_EMPTY: 'STORE_FAILED',
  DB_CORRUPT: 'STORE_FAILED',
  DB_READ_ONLY: 'STORE_FAILED',
  DB_FAILED: 'STORE_FAILED',
  BAD_KEY: 'STORE_FAILED',
  INVALID_KEY: 'STORE_FAILED',
  NO_KEY: 'STORE_FAILED',
  INVALID_PAYLOAD: 'STORE_FAILED',
  INVALID_IMPORT_LINE: 'STORE_FAILED',
} as const satisfies Record<StoreErrorCode, ErrorCode>;

/** The renderer sent decisions that do not fit the statement shown: a bad request. The rest is a bug here. */
const CONSENT_CODES = {
  DECISION_MISSING: 'INVALID_REQUEST',
  DECISION_UNKNOWN: 'INVALID_REQUEST',
  WITHDRAWAL_INVALID: 'INVALID_REQUEST',
  STATEMENT_INVALID: 'INTERNAL',
  STATEMENT_NOT_FOUND: 'INTERNAL',
  STATEMENT_UNPINNED: 'INTERNAL',
  STATEMENT_CHANGED: 'INTERNAL',
  PARTY_MISMATCH: 'INTERNAL',
  CATEGORY_NOT_DECLARED: 'INTERNAL',
  RECORD_INVALID: 'INTERNAL',
  RECEIPT_INVALID: 'INTERNAL',
} as const satisfies Record<ConsentErrorCode, ErrorCode>;

export function toApiError(e: unknown): ApiError {
  if (e instanceof HostError) return { code: e.code, ...e.extra };
  if (isCardError(e)) return { code: e.code };
  if (isStoreError(e)) return { code: STORE_CODES[e.code] };
  if (isConsentError(e)) return { code: CONSENT_CODES[e.code] };
  return { code: 'INTERNAL' };
}
