// What the sync client needs from the local outbox. The SQLite store implements it; unit tests of
// the client may use a small in-memory one. Every method commits before it returns.
import type { ItemResult, WireItem } from '../wire/schemas.js';

export interface OutboxPort {
  /** Up to `limit` pending items due at `now`, oldest sequence first, marked `sending`. */
  claimDue(now: Date, limit: number): WireItem[];
  /** Applies the registry's per-item answers: accepted/duplicate purge the personal data and keep a
   *  receipt; conflict/rejected go to dead-letter with the reason. */
  applyResults(results: readonly ItemResult[], now: Date): void;
  /** A transport failure (network, timeout, 5xx, garbage): back to pending, attempt counted. */
  releaseForRetry(idempotencyKeys: readonly string[], error: string, nextAttemptAt: Date): void;
  /** The earliest next-attempt time of any pending item, or undefined when nothing is pending. */
  nextDueAt(): Date | undefined;
  /** Items pending or sending (the latter only after a crash; reset to pending on open). */
  unsentCount(): number;
}
