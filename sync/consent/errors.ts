// Every failure in consent handling is a ConsentError with a stable code: the host and the UI branch
// on `code`; `message` names the statement, purpose or field at fault (never personal data).

export const CONSENT_ERROR_CODES = [
  'STATEMENT_INVALID', // a statement file or the manifest is malformed or inconsistent
  'STATEMENT_NOT_FOUND', // no published statement with this id, version and language
  'STATEMENT_UNPINNED', // a statement text has no hash in the manifest
  'STATEMENT_CHANGED', // a published text was edited instead of published as a new version
  'PARTY_MISMATCH', // a statement or record of one party used for the other
  'DECISION_MISSING', // a purpose of the statement has no explicit yes or no
  'DECISION_UNKNOWN', // a decision names a purpose the statement does not have
  'CATEGORY_NOT_DECLARED', // a data category or source the statement shown does not name
  'WITHDRAWAL_INVALID', // nothing to withdraw, or a purpose that is not currently given
  'RECORD_INVALID', // the built record fails the wire schema
  'RECEIPT_INVALID', // no records, or records of different subjects
] as const;

export type ConsentErrorCode = (typeof CONSENT_ERROR_CODES)[number];

export class ConsentError extends Error {
  override readonly name = 'ConsentError';
  readonly code: ConsentErrorCode;

  constructor(code: ConsentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export const isConsentError = (e: unknown): e is ConsentError => e instanceof ConsentError;
