// The OutboxPort on the kiosk's SQLite store. Every method runs in one immediate transaction and
// returns after COMMIT. Acknowledged items lose their personal data at once; their row is the receipt.
import type { Store } from '../store/open.js';
import {
  claimDueRows,
  closeItem,
  countUnsent,
  getOutboxRow,
  markDeadLetter,
  nextDueAt,
  openPayload,
  releaseRows,
} from '../store/outbox-items.js';
import { immediate } from '../store/tx.js';
import { signedForSending } from '../store/unsigned-rows.js';
import type { ItemResult, WireItem } from '../wire/schemas.js';
import type { OutboxPort } from './port.js';

export class SqliteOutbox implements OutboxPort {
  constructor(private readonly store: Store) {}

  claimDue(now: Date, limit: number): WireItem[] {
    const { db, cipher, log, signingKey } = this.store;
    if (limit <= 0) return []; // SQLite reads a negative LIMIT as "no limit"
    const items = immediate(db, () => {
      const claimed: WireItem[] = [];
      for (const row of claimDueRows(db, now.toISOString(), limit)) {
        // A row that no longer opens or parses (damaged bytes, schema drift) must not block the rest.
        try {
          claimed.push(signedForSending(openPayload(cipher, row), signingKey));
        } catch (e) {
          markDeadLetter(db, row.idempotency_key, 'UNREADABLE_PAYLOAD', e instanceof Error ? e.name : 'unreadable');
          log.error({ idempotencyKey: row.idempotency_key }, 'outbox item unreadable, moved to dead-letter');
        }
      }
      return claimed;
    });
    if (items.length > 0) log.debug({ count: items.length, first: items[0]?.sequence }, 'outbox items claimed');
    return items;
  }

  applyResults(results: readonly ItemResult[], now: Date): void {
    const { db, log } = this.store;
    const at = now.toISOString();
    const tally = immediate(db, () => {
      const counts = { acknowledged: 0, deadLetter: 0, ignored: 0 };
      for (const result of results) {
        const row = getOutboxRow(db, result.idempotencyKey);
        if (!row || (row.state !== 'sending' && row.state !== 'pending')) {
          counts.ignored++;
          continue;
        }
        if (result.status === 'accepted' || result.status === 'duplicate') {
          closeItem(db, row.idempotency_key, {
            outcome: result.status,
            closedAt: at,
            registryReceiptId: result.receiptId ?? null,
            registryReceivedAt: result.receivedAt ?? null,
          });
          counts.acknowledged++;
        } else {
          const code = result.reason?.code ?? (result.status === 'conflict' ? 'CONFLICT' : 'REJECTED');
          markDeadLetter(db, row.idempotency_key, code, result.reason?.message ?? `${result.status} (${result.statusCode})`);
          counts.deadLetter++;
        }
      }
      return counts;
    });
    log.debug(tally, 'registry results applied');
  }

  releaseForRetry(idempotencyKeys: readonly string[], error: string, nextAttemptAt: Date): void {
    const { db, log } = this.store;
    immediate(db, () => releaseRows(db, idempotencyKeys, error, nextAttemptAt.toISOString()));
    log.debug({ count: idempotencyKeys.length, nextAttemptAt: nextAttemptAt.toISOString() }, 'outbox items released for retry');
  }

  nextDueAt(): Date | undefined {
    const at = nextDueAt(this.store.db);
    return at === undefined ? undefined : new Date(at);
  }

  unsentCount(): number {
    return countUnsent(this.store.db);
  }
}
