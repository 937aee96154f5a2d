// The sync client's decisions (batching, dead-letter, retry, backoff, credentials, shutdown) on an
// in-memory outbox and a scripted transport; the real store and registry run in sync/test/.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryOutbox } from '../test/fixtures/memory-outbox.js';
import { makeWireItem } from '../test/fixtures/payloads.js';
import type { BatchRequest, BatchResponse, ItemResult, WireItem } from '../wire/schemas.js';
import { SyncError } from './errors.js';
import { SyncClient, type BatchOutcome, type SyncStatus } from './sync-client.js';
import type { RegistryTransport } from './transport.js';

type Step = (batch: BatchRequest) => BatchResponse | SyncError | Promise<BatchResponse>;

const T0 = new Date('2025-03-01T10:00:00.000Z');
const backoff = { baseMs: 1_000, capMs: 60_000 };

const resultFor = (item: WireItem, status: ItemResult['status'] = 'accepted'): ItemResult => ({
  idempotencyKey: item.idempotencyKey,
  status,
  statusCode: ({ accepted: 201, duplicate: 200, conflict: 409, rejected: 422 } as const)[status],
  receivedAt: new Date().toISOString(),
  ...(status === 'rejected' ? { reason: { code: 'INVALID_ITEM', message: 'bad item' } } : {}),
});
const acceptAll: Step = (batch) => ({
  receivedAt: new Date().toISOString(),
  results: (batch.items as WireItem[]).map((i) => resultFor(i)),
});

class ScriptedTransport implements RegistryTransport {
  readonly sent: BatchRequest[] = [];
  closed = false;
  constructor(public script: Step[] = []) {}
  async send(batch: BatchRequest): Promise<BatchResponse> {
    this.sent.push(batch);
    const answer = await (this.script.shift() ?? acceptAll)(batch);
    if (answer instanceof SyncError) throw answer;
    return answer;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

let outbox: MemoryOutbox;
let transport: ScriptedTransport;
let client: SyncClient;
let statuses: SyncStatus[];
let batches: BatchOutcome[];

function setup(count: number, options: { batchSize?: number; random?: () => number; kioskId?: string } = {}): void {
  outbox = new MemoryOutbox();
  for (let n = 0; n < count; n++) outbox.add(makeWireItem(n, { at: T0, kioskId: 'kiosk-7' }));
  transport = new ScriptedTransport();
  client = new SyncClient({
    outbox,
    transport,
    clock: () => new Date(),
    random: options.random ?? (() => 0.5),
    backoff,
    pollIntervalMs: 30_000,
    batchSize: options.batchSize ?? 10,
    ...(options.kioskId ? { kioskId: options.kioskId } : {}),
  });
  statuses = [];
  batches = [];
  client.on('status', (s) => statuses.push(s));
  client.on('batch', (b) => batches.push(b));
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(async () => {
  await client.stop();
  vi.useRealTimers();
});

describe('SyncClient', () => {
  it('drains the backlog at start-up in batches of at most batchSize, oldest first', async () => {
    setup(25);
    client.start();
    await client.settled();
    expect(transport.sent.map((b) => b.items.length)).toEqual([10, 10, 5]);
    expect(transport.sent[0]).toMatchObject({ kioskId: 'kiosk-7', sentAt: T0.toISOString() });
    expect(transport.sent.flatMap((b) => (b.items as WireItem[]).map((i) => i.sequence))).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    expect(outbox.inState('acknowledged')).toHaveLength(25);
    expect(statuses.at(-1)).toEqual({ online: true, pending: 0, lastSyncAt: T0.toISOString() });
  });

  it('uses the configured kiosk id when given', async () => {
    setup(1, { kioskId: 'kiosk-configured' });
    client.start();
    await client.settled();
    expect(transport.sent[0]?.kioskId).toBe('kiosk-configured');
  });

  it('dead-letters rejected and conflicting items without blocking the others', async () => {
    setup(4);
    transport.script = [
      (b) => {
        const [a, r, c, d] = b.items as WireItem[];
        return {
          receivedAt: T0.toISOString(),
          results: [resultFor(a!), resultFor(r!, 'rejected'), resultFor(c!, 'conflict'), resultFor(d!, 'duplicate')],
        };
      },
    ];
    client.start();
    await client.settled();
    expect(outbox.inState('acknowledged').map((e) => e.item.sequence)).toEqual([1, 4]);
    expect(outbox.inState('dead-letter').map((e) => e.item.sequence)).toEqual([2, 3]);
    expect(batches).toEqual([{ sent: 4, acknowledged: 2, deadLettered: 2, retried: 0 }]);
    expect(statuses.at(-1)).toMatchObject({ online: true, pending: 0 });
  });

  it('releases a failed batch with the error and retries after a full-jitter backoff', async () => {
    setup(3);
    transport.script = [() => new SyncError('NETWORK', 'ECONNREFUSED'), () => new SyncError('SERVER_ERROR', '500')];
    client.start();
    await client.settled();
    const entry = outbox.inState('pending')[0]!;
    expect(entry).toMatchObject({ attempts: 1, lastError: expect.stringContaining('NETWORK') });
    // attempt 0: random 0.5 * min(cap, 1000 * 2^0)
    expect(entry.nextAttemptAt.getTime() - T0.getTime()).toBe(500);
    expect(statuses.at(-1)).toMatchObject({ online: false, pending: 3, lastError: { code: 'NETWORK' } });

    await vi.advanceTimersByTimeAsync(500);
    await client.settled();
    expect(outbox.inState('pending')[0]).toMatchObject({ attempts: 2, lastError: expect.stringContaining('SERVER_ERROR') });
    // attempt 1: 0.5 * 2000
    expect(outbox.inState('pending')[0]!.nextAttemptAt.getTime() - Date.now()).toBe(1_000);

    await vi.advanceTimersByTimeAsync(1_000);
    await client.settled();
    expect(outbox.inState('acknowledged')).toHaveLength(3);
    expect(transport.sent).toHaveLength(3);
    expect(statuses.at(-1)).toEqual({ online: true, pending: 0, lastSyncAt: new Date().toISOString() });
  });

  it('treats results that do not match the sent keys as garbage for those items only', async () => {
    setup(3);
    transport.script = [
      (b) => {
        const [a, c] = b.items as WireItem[];
        const foreign = { ...resultFor(c!), idempotencyKey: '00000000-0000-4000-8000-000000000000' };
        const inconsistent = { ...resultFor(c!), statusCode: 200 as const }; // 'accepted' must be 201
        return { receivedAt: T0.toISOString(), results: [resultFor(a!), resultFor(a!, 'rejected'), foreign, inconsistent] };
      },
    ];
    client.start();
    await client.settled();
    expect(outbox.inState('acknowledged').map((e) => e.item.sequence)).toEqual([1]);
    expect(outbox.inState('pending').map((e) => [e.item.sequence, e.lastError?.split(':')[0]])).toEqual([
      [2, 'BAD_RESPONSE'],
      [3, 'BAD_RESPONSE'],
    ]);
    expect(batches[0]).toMatchObject({ sent: 3, acknowledged: 1, retried: 2, error: { code: 'BAD_RESPONSE' } });
    await vi.advanceTimersByTimeAsync(backoff.capMs);
    await client.settled();
    expect(outbox.unsentCount()).toBe(0);
  });

  it('stops on rejected credentials, keeps the items pending and tries again after the cap', async () => {
    setup(2);
    transport.script = [() => new SyncError('CREDENTIALS_REJECTED', '401')];
    client.start();
    await client.settled();
    expect(outbox.inState('dead-letter')).toHaveLength(0);
    expect(outbox.inState('pending')).toHaveLength(2);
    expect(statuses.at(-1)).toMatchObject({
      online: false,
      lastError: { code: 'CREDENTIALS_REJECTED', message: 'credentials rejected (401)' },
    });
    client.notify(); // a commit does not hammer a registry that refuses us
    await vi.advanceTimersByTimeAsync(backoff.capMs - 1);
    expect(transport.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await client.settled();
    expect(outbox.inState('acknowledged')).toHaveLength(2);
  });

  /** A registry that refuses, as a whole, every batch holding the item of sequence `culprit` (any batch: 0). */
  const refusingBatchesWith =
    (culprit: number, error: () => SyncError): Step =>
    (b) => {
      transport.script.unshift(refusingBatchesWith(culprit, error));
      return culprit === 0 || (b.items as WireItem[]).some((i) => i.sequence === culprit) ? error() : acceptAll(b);
    };
  /** The start-up attempt and the one after the first backoff. */
  const twoAttempts = async () => {
    client.start();
    await client.settled();
    await vi.advanceTimersByTimeAsync(500);
    await client.settled();
  };

  it('splits a batch refused as a whole (4xx) until the culprit is found; only it is dead-lettered', async () => {
    setup(10);
    transport.script = [refusingBatchesWith(7, () => new SyncError('HTTP_STATUS', '413'))];
    client.start();
    await client.settled();
    expect(outbox.inState('dead-letter').map((e) => [e.item.sequence, e.result?.reason?.code])).toEqual([[7, 'BATCH_REFUSED']]);
    expect(outbox.inState('dead-letter')[0]?.result?.reason?.message).toContain('413');
    expect(outbox.inState('acknowledged')).toHaveLength(9);
    expect(batches).toEqual([{ sent: 10, acknowledged: 9, deadLettered: 1, retried: 0 }]);
    expect(transport.sent.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(10)));
    expect(statuses.at(-1)).toMatchObject({ online: true, pending: 0 });
  });

  it('treats a 403 as a refused batch, not refused credentials', async () => {
    setup(3);
    transport.script = [refusingBatchesWith(2, () => new SyncError('HTTP_STATUS', '403'))];
    client.start();
    await client.settled();
    expect(outbox.inState('dead-letter').map((e) => e.item.sequence)).toEqual([2]);
    expect(outbox.inState('acknowledged')).toHaveLength(2);
  });

  it('splits a batch that fails with a 5xx twice in a row; the item failing alone 3 times is dead-lettered', async () => {
    setup(6);
    transport.script = [refusingBatchesWith(4, () => new SyncError('SERVER_ERROR', '500'))];
    client.start();
    await client.settled();
    // The first 5xx may be passing: the batch waits its backoff, unsplit.
    expect(batches).toEqual([expect.objectContaining({ sent: 6, retried: 6, error: expect.objectContaining({ code: 'SERVER_ERROR' }) })]);
    await vi.advanceTimersByTimeAsync(500);
    await client.settled();
    expect(outbox.inState('dead-letter').map((e) => e.item.sequence)).toEqual([4]);
    expect(outbox.inState('acknowledged')).toHaveLength(5);
    expect(batches[1]).toEqual({ sent: 6, acknowledged: 5, deadLettered: 1, retried: 0 });
  });

  it('dead-letters nothing for a 5xx that passes while the batch is being split', async () => {
    setup(2);
    const fail = () => new SyncError('SERVER_ERROR', '502');
    transport.script = [fail, fail, fail];
    await twoAttempts();
    expect(outbox.inState('dead-letter')).toHaveLength(0);
    expect(outbox.inState('acknowledged')).toHaveLength(2);
    expect(transport.sent.map((b) => b.items.length)).toEqual([2, 2, 1, 1, 1]);
  });

  it('dead-letters nothing when the registry fails on everything, and sends it few requests', async () => {
    setup(16, { batchSize: 16 });
    transport.script = [refusingBatchesWith(0, () => new SyncError('SERVER_ERROR', '503'))];
    await twoAttempts();
    expect(outbox.inState('dead-letter')).toHaveLength(0);
    expect(outbox.inState('pending')).toHaveLength(16);
    // one whole batch; then the first half at each level down to one item (sent alone 3 times),
    // and the second half of each level whole: 1 + 1 + log2(16) + 2 + log2(16)
    expect(transport.sent).toHaveLength(2 + 2 * Math.log2(16) + 2);
  });

  it('dead-letters nothing when every request is refused (a wrong registry address answering 404)', async () => {
    setup(8, { batchSize: 8 });
    transport.script = [refusingBatchesWith(0, () => new SyncError('HTTP_STATUS', '404'))];
    client.start();
    await client.settled();
    expect(outbox.inState('dead-letter')).toHaveLength(0);
    expect(outbox.inState('pending')).toHaveLength(8);
    expect(transport.sent).toHaveLength(1 + 2 * Math.log2(8));
  });

  it('finds a refused culprit first in the batch, the first half of every split', async () => {
    setup(8, { batchSize: 8 });
    transport.script = [refusingBatchesWith(1, () => new SyncError('HTTP_STATUS', '400'))];
    client.start();
    await client.settled();
    expect(outbox.inState('dead-letter').map((e) => e.item.sequence)).toEqual([1]);
    expect(outbox.inState('acknowledged')).toHaveLength(7);
  });

  it('keeps a rate-limited batch whole and pending', async () => {
    setup(3);
    transport.script = [() => new SyncError('RATE_LIMITED', '429')];
    client.start();
    await client.settled();
    expect(transport.sent).toHaveLength(1);
    expect(outbox.inState('pending')).toHaveLength(3);
    expect(statuses.at(-1)).toMatchObject({ lastError: { code: 'RATE_LIMITED' } });
  });

  it('sends after notify() when a commit adds an item, and on the timer otherwise', async () => {
    setup(0);
    client.start();
    await client.settled();
    expect(transport.sent).toHaveLength(0);
    outbox.add(makeWireItem(0, { at: new Date() }));
    client.notify();
    await client.settled();
    expect(transport.sent).toHaveLength(1);
    // an item queued without notify (another process) goes on the next timer tick
    outbox.add({ ...makeWireItem(1, { at: new Date() }), sequence: 2 });
    await vi.advanceTimersByTimeAsync(30_000);
    await client.settled();
    expect(transport.sent).toHaveLength(2);
  });

  it('stop() waits for the batch in flight and leaves nothing claimed', async () => {
    setup(2);
    let release!: () => void;
    transport.script = [(b) => new Promise((r) => (release = () => r(acceptAll(b) as BatchResponse)))];
    client.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.inState('sending')).toHaveLength(2);
    let stopped = false;
    const stopping = client.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(outbox.inState('acknowledged')).toHaveLength(2);
    expect(transport.closed).toBe(true);
  });

  it('sends items a backward clock jump left scheduled far in the future', async () => {
    setup(0);
    const item = makeWireItem(0, { at: T0 });
    outbox.add(item, new Date(T0.getTime() + 365 * 86_400_000)); // released under a clock a year ahead
    client.start();
    await client.settled();
    // the start-up drain only looks one cap ahead; the guard sees a due time beyond any backoff
    expect(outbox.inState('acknowledged')).toHaveLength(1);
  });

  it('puts a batch back to pending when the store fails to record the answer, and tries again', async () => {
    setup(2);
    const apply = outbox.applyResults.bind(outbox);
    outbox.applyResults = vi
      .fn()
      .mockImplementationOnce(() => {
        throw Object.assign(new Error('disk full'), { code: 'DISK_FULL' });
      })
      .mockImplementation(apply);
    client.start();
    await client.settled();
    expect(outbox.inState('pending').map((e) => e.lastError)).toEqual(['STORE_FAILED: DISK_FULL', 'STORE_FAILED: DISK_FULL']);
    expect(statuses.at(-1)).toMatchObject({ lastError: { code: 'STORE_FAILED' } });
    await vi.advanceTimersByTimeAsync(backoff.baseMs);
    await client.settled();
    expect(outbox.inState('acknowledged')).toHaveLength(2);
    expect(transport.sent).toHaveLength(2); // the resend: the registry answers it as duplicates
  });

  it('keeps syncing when a status listener throws', async () => {
    setup(1);
    client.on('status', () => {
      throw new Error('UI bug');
    });
    client.start();
    await client.settled();
    expect(outbox.inState('acknowledged')).toHaveLength(1);
  });
});
