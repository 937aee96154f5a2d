// Every failure of a sync attempt is a SyncError with a stable code: the client decides retry or
// stop on `code`, the UI and the manager view show it. Messages never carry personal data.
import { CodedError } from '../../common/coded-error.js';

export const SYNC_ERROR_CODES = {
  NETWORK: 'The registry could not be reached.',
  TIMEOUT: 'The registry did not answer in time.',
  SERVER_ERROR: 'The registry failed to process the batch (5xx).',
  HTTP_STATUS: 'The registry refused the batch as a whole (an HTTP status other than 401).',
  RATE_LIMITED: 'The registry asked this kiosk to slow down (429); it will be tried again.',
  BAD_RESPONSE: 'The registry answered with a body that is not a valid batch response.',
  CREDENTIALS_REJECTED: 'credentials rejected',
  STORE_FAILED: 'The kiosk store failed while recording a sync; it will be tried again.',
  SIGNATURE_REFUSED: "The registry refused the kiosk's batch signature, even after the key was registered again; it will be tried again.",
  INSECURE_URL: 'The registry URL must be https (plain http is allowed only to loopback).',
} as const;

export type SyncErrorCode = keyof typeof SYNC_ERROR_CODES;

export class SyncError extends CodedError<SyncErrorCode> {
  override readonly name = 'SyncError';

  constructor(code: SyncErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(SYNC_ERROR_CODES, code, detail, options);
  }
}

export const isSyncError = (e: unknown): e is SyncError => e instanceof SyncError;

/** A short technical name for any thrown value (a socket or SQLite code, else the class name). */
export function errorCodeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : e instanceof Error ? e.name : 'unknown';
}
