// POST /v1/batches: the envelope is checked by fastify's JSON schema; each item on its own with
// zod, so one bad item is rejected (422) without sinking the others.
import type { FastifyPluginAsync } from 'fastify';
import { compiledValidator } from '../../sync/wire/compiled.js';
import { hasDuplicateRecordId } from '../../sync/wire/record-ids.js';
import { BatchRequest, BatchResponse, recordsOf, WireItem, type ItemResult } from '../../sync/wire/schemas.js';
import { recordJson } from '../canonical.js';
import { describeIssues } from '../../sync/zod-issues.js';
import { checkScope, type PreparedItem } from '../apply.js';
import { ItemRejection } from '../errors.js';
import { kioskOf } from '../http-auth.js';
import { errorResponses, jsonSchema } from '../json-schema.js';
import { payloadHash } from '../item-hash.js';
import { BatchProofs, checkedBatch, signedRecords, type BatchProof, type SignedBatch } from '../signed-records.js';
import type { RegistrySigningKeys } from '../signing-keys.js';
import type { KioskIdentity, RegistryStore } from '../store.js';

export interface BatchRouteOptions {
  store: RegistryStore;
  signing: RegistrySigningKeys;
  now: () => Date;
}

const schema = {
  body: jsonSchema(BatchRequest, 'input'),
  response: { 200: jsonSchema(BatchResponse, 'output'), ...errorResponses },
};

export const batchRoutes: FastifyPluginAsync<BatchRouteOptions> = async (app, { store, signing, now }) => {
  // Batches go to the store in the order they arrived (group-commit.ts decides them in that order),
  // though each one's keys are read at once: on PostgreSQL those reads may end in another order.
  let arrived: Promise<unknown> = Promise.resolve();
  const proofs = new BatchProofs(store, signing);
  app.post<{ Body: BatchRequest }>('/v1/batches', { schema }, async (request) => {
    const kiosk = kioskOf(request);
    const reading = proofs.for(kiosk, request.body, now());
    const turn = arrived.then(() => reading);
    arrived = turn.catch(() => undefined);
    const proof = await turn;
    const { receivedAt } = proof;
    const { results, slots, applying } = submit(store, request.body, kiosk, proof);
    // The items are the store's now. Under 200 kiosks a request waits a few group commits for its
    // answer, and a parsed body it still held survived young collections, copied each time: this
    // halved the main thread's collection time.
    (request as { body: unknown }).body = undefined;
    const applied = await applying;
    applied.forEach((r, j) => (results[slots[j] ?? -1] = r));

    const out = results.filter((r): r is ItemResult => r !== undefined);
    request.log.info({ kioskId: kiosk.kioskId, items: out.length, ...countByStatus(out) }, 'batch applied');
    return { receivedAt, results: out } satisfies BatchResponse;
  });
};

/**
 * Checks the batch's items and hands the valid ones to the store. The token says which kiosk this
 * is; each item naming another is that item's rejection (checkScope), so the envelope's kioskId
 * decides nothing and a wrong one blocks nothing.
 */
function submit(store: RegistryStore, batch: BatchRequest, kiosk: KioskIdentity, proof: BatchProof) {
  const results: Array<ItemResult | undefined> = [];
  const prepared: PreparedItem[] = [];
  const slots: number[] = [];
  let signed: SignedBatch | ItemRejection | undefined;
  try {
    signed = batch.signature === undefined ? undefined : checkedBatch(batch.signature, batch, kiosk, proof);
  } catch (e) {
    if (!(e instanceof ItemRejection)) throw e;
    signed = e;
  }
  batch.items.forEach((raw, i) => {
    const checked = signed instanceof ItemRejection ? rejected(keyOf(raw), signed) : prepare(raw, kiosk, proof, signed);
    if ('status' in checked) results[i] = checked;
    else {
      prepared.push(checked);
      slots.push(i);
    }
  });
  const applying =
    prepared.length > 0
      ? store.applyItems(
          {
            kiosk,
            sentAt: batch.sentAt,
            receivedAt: proof.receivedAt,
            registryKid: proof.registryKey.kid,
            ...(signed instanceof ItemRejection || signed === undefined ? {} : { signedBatch: signed.row }),
          },
          prepared,
        )
      : Promise.resolve([]);
  return { results, slots, applying };
}

// The item schema compiled once (ajv), zod's verdict and messages for the items it refuses.
const checkItem = compiledValidator(WireItem);

const keyOf = (raw: unknown): string =>
  typeof raw === 'object' && raw !== null && typeof (raw as { idempotencyKey?: unknown }).idempotencyKey === 'string'
    ? (raw as { idempotencyKey: string }).idempotencyKey
    : '';

const rejected = (idempotencyKey: string, e: ItemRejection): ItemResult => ({
  idempotencyKey,
  status: 'rejected',
  statusCode: 422,
  reason: { code: e.code, message: e.message },
});

function prepare(
  raw: unknown,
  kiosk: Parameters<typeof checkScope>[1],
  proof: BatchProof,
  batch: SignedBatch | undefined,
): PreparedItem | ItemResult {
  const parsed = checkItem(raw);
  try {
    if (!parsed.ok) throw new ItemRejection('INVALID_ITEM', describeIssues(parsed.error.issues, { limit: 5, root: '(item)' }));
    const item = parsed.value;
    const records = recordsOf(item);
    if (hasDuplicateRecordId(records)) throw new ItemRejection('DUPLICATE_RECORD_ID', 'two consent records of this item share a record id');
    checkScope(item, kiosk);
    // Each record's canonical JSON written once: its signature check and the item's hash both use it.
    const texts = records.map(recordJson);
    return { item, payloadHash: payloadHash(item, texts), signatures: signedRecords(item, proof, batch, texts) };
  } catch (e) {
    if (!(e instanceof ItemRejection)) throw e;
    return rejected(keyOf(raw), e);
  }
}

function countByStatus(results: readonly ItemResult[]): Record<ItemResult['status'], number> {
  const counts = { accepted: 0, duplicate: 0, conflict: 0, rejected: 0 };
  for (const r of results) counts[r.status] += 1;
  return counts;
}
