// The store manager's view of the queue, as a library (the CLI and the host's manager screen both
// call it): status, failed items, retry, discard, the consent receipt export, paper import.
// Personal data shown here is at most initials ('J. D.').
import { currentCode } from '../wire/error-codes.js';
import type { Store } from '../store/open.js';
import { StoreError } from '../store/errors.js';
import { toCsv } from './csv.js';
import {
  closeItem,
  countByState,
  getOutboxRow,
  isStuck,
  listStuckRows,
  oldestPendingAt,
  openPayload,
  requeueStuckItem,
  type OutboxRow,
} from '../store/outbox-items.js';
import { listConsentReceipts } from '../store/receipts.js';
import { readSyncStatus } from '../store/sync-status.js';
import { immediate } from '../store/tx.js';
import type { JournalState } from '../store/outbox-items.js';

export { importPaperLines, type ImportReport } from './paper-import.js';
export { samplePaperLines } from './paper-sample.js';
export { recordSyncAttempt } from '../store/sync-status.js';

/** sync.md: the manager view warns when the oldest pending item is older than this. */
export const DEFAULT_STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export interface QueueStatus {
  readonly counts: Record<JournalState, number>;
  readonly oldestPendingAt: Date | undefined;
  readonly oldestPendingAgeMs: number | undefined;
  /** The oldest pending item is older than the threshold: the kiosk has not synced for too long. */
  readonly stale: boolean;
  readonly lastSuccessAt: Date | undefined;
  readonly lastAttemptAt: Date | undefined;
  readonly lastError: string | undefined;
  /** As of the last sync attempt; undefined when the kiosk never tried. */
  readonly registryReachable: boolean | undefined;
}

export function queueStatus(store: Store, now: Date, staleAfterMs = DEFAULT_STALE_AFTER_MS): QueueStatus {
  const oldest = oldestPendingAt(store.db);
  const age = oldest === undefined ? undefined : now.getTime() - new Date(oldest).getTime();
  const sync = readSyncStatus(store.db);
  return {
    counts: countByState(store.db),
    oldestPendingAt: oldest === undefined ? undefined : new Date(oldest),
    oldestPendingAgeMs: age,
    stale: age !== undefined && age > staleAfterMs,
    lastSuccessAt: sync?.lastSuccessAt,
    lastAttemptAt: sync?.lastAttemptAt,
    lastError: sync?.lastError,
    registryReachable: sync?.lastAttemptOk,
  };
}

/** An item that is not moving: dead-letter, or still pending after many failed attempts. */
export interface FailedItem {
  readonly idempotencyKey: string;
  readonly state: 'dead-letter' | 'pending';
  readonly sequence: number;
  readonly kind: OutboxRow['kind'];
  readonly createdAt: Date;
  readonly attempts: number;
  /** A DeadLetterCode, STUCK for a pending item, or a code of an older version as it is stored. */
  readonly reasonCode: string;
  readonly reason: string;
  /** 'J. D.' for enrollments whose data is still here; undefined for consent events. */
  readonly initials: string | undefined;
}

export function listFailed(store: Store): FailedItem[] {
  return listStuckRows(store.db).map((row) => ({
    idempotencyKey: row.idempotency_key,
    state: row.state === 'dead-letter' ? 'dead-letter' : 'pending',
    sequence: row.sequence,
    kind: row.kind,
    createdAt: new Date(row.created_at),
    attempts: row.attempts,
    reasonCode: row.reason_code !== null ? currentCode(row.reason_code) : row.state === 'pending' ? 'STUCK' : 'UNKNOWN_REASON',
    reason: row.last_error ?? '',
    initials: initials(store, row),
  }));
}

/** 'J. D.' from the sealed payload: enough for a manager to recognise a failed item, no more. An
 *  item moved here because its payload no longer opens shows none. */
function initials(store: Store, row: OutboxRow): string | undefined {
  if (row.kind !== 'enrollment') return undefined;
  try {
    const item = openPayload(store.cipher, row);
    if (item.kind !== 'enrollment') return undefined;
    const { firstNames, surname } = item.payload.person;
    return [firstNames, surname].map((name) => `${name.trim().charAt(0).toLocaleUpperCase()}.`).join(' ');
  } catch {
    return undefined;
  }
}

function stuckRow(store: Store, key: string): OutboxRow {
  const row = getOutboxRow(store.db, key);
  // A discarded item keeps its row as a receipt, but it has left the queue.
  if (!row || row.state === 'discarded') throw new StoreError('NOT_FOUND', key);
  if (!isStuck(row))
    throw new StoreError('INVALID_STATE', `${key} is ${row.state}${row.state === 'pending' ? ` after ${row.attempts} attempt(s)` : ''}`);
  return row;
}

/** Items that are not moving (listFailed) back to pending, due now. Returns the keys moved. */
export function retryDeadLetters(store: Store, which: readonly string[] | 'all', now: Date): string[] {
  const keys = immediate(store.db, () => {
    const targets =
      which === 'all' ? listStuckRows(store.db).map((r) => r.idempotency_key) : which.map((k) => stuckRow(store, k).idempotency_key);
    for (const key of targets) requeueStuckItem(store.db, key, now.toISOString());
    return targets;
  });
  store.log.info({ count: keys.length }, 'items that were not moving queued again');
  return keys;
}

/** Gives up on an item that is not moving: its personal data is purged, a receipt says 'discarded' and why. */
export function discardDeadLetter(store: Store, key: string, now: Date): void {
  const at = now.toISOString();
  immediate(store.db, () => {
    stuckRow(store, key);
    closeItem(store.db, key, { outcome: 'discarded', closedAt: at, registryReceiptId: null, registryReceivedAt: null });
  });
  store.log.info({ idempotencyKey: key }, 'dead-letter item discarded');
}

const RECEIPT_HEADER = [
  'record_id',
  'subject_ref',
  'party',
  'controller_id',
  'statement_id',
  'statement_version',
  'language',
  'text_sha256',
  'event_type',
  'event_at',
  'method',
  'store_id',
  'kiosk_id',
  'purposes',
  'sync_state',
  'queued_at',
  'acknowledged_at',
  'registry_receipt_id',
  'registry_received_at',
] as const;

/** One line per consent record; purposes as 'id=status' joined with ';'. No personal data exists here. */
export function exportConsentReceiptsCsv(store: Store): string {
  const rows = listConsentReceipts(store.db).map((r) => [
    r.record_id,
    r.subject_ref,
    r.party,
    r.controller_id,
    r.statement_id,
    r.statement_version,
    r.statement_language,
    r.text_sha256,
    r.event_type,
    r.event_at,
    r.method,
    r.store_id,
    r.kiosk_id,
    (JSON.parse(r.purposes) as { id: string; status: string }[]).map((p) => `${p.id}=${p.status}`).join(';'),
    r.sync_state,
    r.queued_at,
    r.acknowledged_at,
    r.registry_receipt_id,
    r.registry_received_at,
  ]);
  return toCsv(RECEIPT_HEADER, rows);
}
