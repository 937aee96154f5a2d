// The last known state of the link to the registry, recorded by the sync client after each attempt
// and shown by the manager view ("registry reachable", "last successful sync").
import type { Database } from 'better-sqlite3';
import { immediate } from './tx.js';
import { prepared } from '../db/prepared.js';

export interface SyncAttempt {
  readonly at: Date;
  readonly ok: boolean;
  /** A transport or protocol error; never personal data. */
  readonly error?: string;
}

export interface SyncStatus {
  readonly lastAttemptAt: Date;
  readonly lastAttemptOk: boolean;
  readonly lastError: string | undefined;
  readonly lastSuccessAt: Date | undefined;
}

const MAX_ERROR_CHARS = 500;

export function recordSyncAttempt(db: Database, attempt: SyncAttempt): void {
  const at = attempt.at.toISOString();
  immediate(db, () =>
    prepared(
      db,
      `INSERT INTO sync_status (id, last_attempt_at, last_attempt_ok, last_error, last_success_at)
       VALUES (1, @at, @ok, @error, CASE WHEN @ok = 1 THEN @at END)
       ON CONFLICT (id) DO UPDATE SET last_attempt_at = @at, last_attempt_ok = @ok, last_error = @error,
         last_success_at = CASE WHEN @ok = 1 THEN @at ELSE last_success_at END`,
    ).run({ at, ok: attempt.ok ? 1 : 0, error: attempt.ok ? null : (attempt.error ?? 'unknown').slice(0, MAX_ERROR_CHARS) }),
  );
}

export function readSyncStatus(db: Database): SyncStatus | undefined {
  const row = prepared(db, 'SELECT * FROM sync_status WHERE id = 1').get() as
    { last_attempt_at: string; last_attempt_ok: number; last_error: string | null; last_success_at: string | null } | undefined;
  if (!row) return undefined;
  return {
    lastAttemptAt: new Date(row.last_attempt_at),
    lastAttemptOk: row.last_attempt_ok === 1,
    lastError: row.last_error ?? undefined,
    lastSuccessAt: row.last_success_at ? new Date(row.last_success_at) : undefined,
  };
}
