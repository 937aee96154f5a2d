// Group commit across concurrent requests: while a transaction is in flight, the batches that arrive
// wait, and the next transaction applies all of them (apply.ts applyBatches) with the statements
// and the one commit a single batch would cost. Under a burst of 200 kiosks that turns hundreds of
// small transactions into a few large ones; a lone batch still goes at once.
import type { ItemResult } from '../sync/wire/schemas.js';
import { applyBatches, type Batch } from './apply.js';
import { applyItems } from './item-savepoints.js';
import type { SqlDriver } from './storage/sql.js';

export interface GroupLimits {
  /** Transactions in flight at once (PostgreSQL overlaps several; SQLite has one writer). */
  lanes: number;
  /** Items per transaction: keeps every multi-row statement well under the engines' parameter limits. */
  maxItems: number;
}

interface Waiting {
  batch: Batch;
  resolve: (results: ItemResult[]) => void;
  reject: (error: unknown) => void;
}

export class BatchGroups {
  private readonly waiting: Waiting[] = [];
  private running = 0;

  constructor(
    private readonly driver: SqlDriver,
    private readonly newId: () => string,
    private readonly limits: GroupLimits,
  ) {}

  /** One answer per item, in order, once the transaction holding them committed. */
  apply(batch: Batch): Promise<ItemResult[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.limits.lanes && this.waiting.length > 0) {
      const group = this.take();
      this.running += 1;
      void this.run(group).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  /** The oldest waiting batches up to maxItems (always at least one). */
  private take(): Waiting[] {
    let items = 0;
    let n = 0;
    while (n < this.waiting.length) {
      items += this.waiting[n]!.batch.items.length;
      if (n > 0 && items > this.limits.maxItems) break;
      n += 1;
    }
    return this.waiting.splice(0, n);
  }

  private async run(group: Waiting[]): Promise<void> {
    if (group.length > 1) {
      try {
        const results = await this.driver.write(() =>
          applyBatches(
            group.map((w) => w.batch),
            this.newId,
          ),
        );
        group.forEach((w, i) => w.resolve(results[i] ?? []));
        return;
      } catch {
        // Whatever failed (one batch's data, a lost connection), each batch now gets its own outcome:
        // alone in its transaction, and item by item if the database refuses its data.
      }
    }
    await Promise.all(group.map((w) => applyItems(this.driver, w.batch.ctx, w.batch.items, this.newId).then(w.resolve, w.reject)));
  }
}
