// Every failure in consent handling is a ConsentError with a stable code: the host and the UI branch
// on `code`; `detail` names the statement, purpose or field at fault (never personal data).
import { CodedError } from '../../common/coded-error.js';

export const CONSENT_ERROR_CODES = {
  STATEMENT_INVALID: 'A consent statement file or the manifest is malformed or inconsistent.',
  STATEMENT_NOT_FOUND: 'No consent statement is published with this id, version and language.',
  STATEMENT_UNPINNED: 'A consent statement text has no hash in the manifest.',
  STATEMENT_CHANGED: 'A published consent statement was edited instead of published as a new version.',
  PARTY_MISMATCH: 'A statement or record of one party was used for the other.',
  DECISION_MISSING: 'A purpose of the statement has no explicit yes or no.',
  DECISION_UNKNOWN: 'A decision names a purpose the statement does not have.',
  CATEGORY_NOT_DECLARED: 'A data category or source is not named by the statement shown.',
  WITHDRAWAL_INVALID: 'Nothing to withdraw, or a purpose that is not currently given.',
  RECORD_INVALID: 'The consent record does not match the wire schema.',
  RECEIPT_INVALID: 'A receipt needs records, all of one customer.',
} as const;

export type ConsentErrorCode = keyof typeof CONSENT_ERROR_CODES;

export class ConsentError extends CodedError<ConsentErrorCode> {
  override readonly name = 'ConsentError';

  constructor(code: ConsentErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(CONSENT_ERROR_CODES, code, detail, options);
  }
}

export const isConsentError = (e: unknown): e is ConsentError => e instanceof ConsentError;
