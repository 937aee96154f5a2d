// A batch is applied in one go (a fixed number of statements, the fast path). If the database
// refuses some of its data (a constraint, a value the column cannot hold), that attempt is rolled
// back and the items are applied again one by one, each in its own savepoint of one transaction: the
// item the database refuses is that item's rejection, and the others are recorded as usual.
import type { ItemResult } from '../sync/wire/schemas.js';
import { applyBatch, type PreparedItem } from './apply.js';
import type { BatchContext } from './batch-context.js';
import { isDataError, savepoint, type SqlDriver, type Work } from './storage/sql.js';

export async function applyItems(
  driver: SqlDriver,
  ctx: BatchContext,
  items: readonly PreparedItem[],
  newId: () => string,
): Promise<ItemResult[]> {
  try {
    return await driver.write(() => applyBatch(ctx, items, newId));
  } catch (e) {
    if (!isDataError(e)) throw e;
    return driver.write(() => applyOneByOne(ctx, items, newId));
  }
}

function* applyOneByOne(ctx: BatchContext, items: readonly PreparedItem[], newId: () => string): Work<ItemResult[]> {
  const results: ItemResult[] = [];
  for (const p of items) {
    const attempt = yield* savepoint(() => applyBatch(ctx, [p], newId));
    if (attempt.ok) results.push(...attempt.value);
    else if (isDataError(attempt.error)) results.push(storageRefused(p.item.idempotencyKey));
    else throw attempt.error;
  }
  return results;
}

/** Never the database's message: it may quote the value. */
const storageRefused = (idempotencyKey: string): ItemResult => ({
  idempotencyKey,
  status: 'rejected',
  statusCode: 422,
  reason: { code: 'STORAGE_REFUSED', message: 'the registry database refused a value of this item' },
});
