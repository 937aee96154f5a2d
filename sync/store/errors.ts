// Every failure of the local store is a StoreError with a stable code: the host, the sync client and
// the manager CLI branch on `code`; `detail` carries the technical fact and never personal data.
import { CodedError } from '../../common/coded-error.js';

export const STORE_ERROR_CODES = {
  DB_NEWER_THAN_CODE: 'The kiosk database was written by a newer version of this program. Update the kiosk software.',
  MIGRATION_FAILED: 'Upgrading the kiosk database failed; it was left at its previous version.',
  BAD_MIGRATIONS: 'The list of database migrations is not numbered 1, 2, 3... without gaps.',
  DISK_FULL: 'The kiosk disk is full. Nothing was lost, but this enrollment was not saved. Free disk space and try again.',
  BUSY: 'The kiosk database is locked by another program. Try again.',
  DB_MISSING: 'There is no kiosk database at this path.',
  DB_EMPTY: 'The kiosk database file is empty (0 bytes): it is not a kiosk database, or it was truncated.',
  DB_CORRUPT: 'The kiosk database file is damaged or is not a database.',
  DB_READ_ONLY: "The kiosk database cannot be written here (read-only file, folder or disk, or another user's file).",
  DB_FAILED: 'The kiosk database failed.',
  BAD_KEY: 'The database key does not match this database, or the stored data is damaged.',
  INVALID_KEY: 'The database key must be 32 bytes (64 hex characters).',
  NO_KEY: 'No key for this existing database: set KIOSK_DB_KEY or put its key file beside it.',
  INVALID_PAYLOAD: 'The data to store does not match the wire schema.',
  INVALID_IMPORT_LINE: 'A line of the paper enrollment import is invalid.',
  NOT_FOUND: 'No queued item has this idempotency key.',
  INVALID_STATE: 'The queued item is not in a state that allows this operation.',
} as const;

export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

export class StoreError extends CodedError<StoreErrorCode> {
  override readonly name = 'StoreError';

  constructor(code: StoreErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(STORE_ERROR_CODES, code, detail, options);
  }
}

export const isStoreError = (e: unknown): e is StoreError => e instanceof StoreError;

/** Maps SQLite's own failures to stable codes, so a full disk reads DISK_FULL, not a driver message. */
export function translateSqliteError(e: unknown): unknown {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return e;
  if (code === 'SQLITE_FULL') return new StoreError('DISK_FULL', code, { cause: e });
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return new StoreError('BUSY', code, { cause: e });
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return new StoreError('DB_CORRUPT', code, { cause: e });
  if (/^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/.test(code)) return new StoreError('DB_READ_ONLY', code, { cause: e });
  if (code.startsWith('SQLITE_IOERR')) return new StoreError('DB_FAILED', code, { cause: e });
  return e;
}

/** For a program's last word: every SQLite failure as a StoreError (code DB_FAILED when no better one). */
export function asStoreError(e: unknown): StoreError | undefined {
  const translated = translateSqliteError(e);
  if (translated instanceof StoreError) return translated;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? new StoreError('DB_FAILED', code, { cause: e }) : undefined;
}
