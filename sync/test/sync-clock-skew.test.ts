// Kiosk clocks drift and get reset: a kiosk a year ahead or behind loses nothing, and the registry
// records its own receive time beside the kiosk's clock.
import { describe, expect, it } from 'vitest';
import { SyncClient, type SyncStatus } from '../client/sync-client.js';
import { storeTransport } from '../client/compose-sync.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { useSyncRig } from './fixtures/sync-rig.js';

const YEAR_MS = 365 * 86_400_000;

const rig = useSyncRig();

/** Runs a client on the kiosk clock `offset()` ms from real time until nothing is left to send. */
async function syncAll(offset: () => number): Promise<void> {
  const client = new SyncClient({
    outbox: new SqliteOutbox(rig.kiosk.store),
    transport: storeTransport(rig.kiosk.store, { registryUrl: rig.proxy.url, token: rig.token, requestTimeoutMs: 2_000 }),
    clock: () => new Date(Date.now() + offset()),
    random: () => 0.5,
    backoff: { baseMs: 20, capMs: 100 },
  });
  const done = new Promise<SyncStatus>((resolve) => client.on('status', (s) => s.online && s.pending === 0 && resolve(s)));
  client.start();
  await done;
  await client.stop();
}

describe.each([
  ['a year ahead', YEAR_MS],
  ['a year behind', -YEAR_MS],
])('a kiosk clock %s', (_name, skew) => {
  it('loses nothing, and the registry stamps its own receive time', async () => {
    const before = Date.now();
    const ids = rig.kiosk.commit(6, new Date(before + skew));
    rig.proxy.script('status-500');
    await syncAll(() => skew);
    const after = Date.now();

    const stored = await rig.registry.enrollments();
    expect(stored.map((e) => e.enrollmentId).sort()).toEqual([...ids].sort());
    for (const e of stored) {
      expect(Date.parse(e.receivedAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(e.receivedAt)).toBeLessThanOrEqual(after);
      // the kiosk's own clock is kept beside it, as sent
      expect(Math.abs(Date.parse(e.sentAt) - (before + skew))).toBeLessThan(after - before + 1_000);
      expect(Math.abs(Date.parse(e.enrolledAt) - (before + skew))).toBeLessThan(1_000);
    }
    const receipts = rig.kiosk.store.db.prepare('SELECT registry_received_at AS at FROM receipts').all() as { at: string }[];
    expect(receipts).toHaveLength(6);
    for (const r of receipts) expect(Date.parse(r.at)).toBeGreaterThanOrEqual(before);
    expect(rig.kiosk.states()).toEqual({ acknowledged: 6 });
  });
});

it('sends items a failure scheduled under a clock that was then set back by two years', async () => {
  const ids = rig.kiosk.commit(4, new Date(Date.now() + YEAR_MS));
  let skew = YEAR_MS;
  rig.proxy.script('status-500');
  const client = new SyncClient({
    outbox: new SqliteOutbox(rig.kiosk.store),
    transport: storeTransport(rig.kiosk.store, { registryUrl: rig.proxy.url, token: rig.token }),
    clock: () => new Date(Date.now() + skew),
    random: () => 0.5,
    backoff: { baseMs: 20, capMs: 100 },
  });
  const failed = new Promise<void>((resolve) => client.on('batch', (b) => b.error && resolve()));
  const done = new Promise<void>((resolve) => client.on('status', (s) => s.online && s.pending === 0 && resolve()));
  client.start();
  await failed; // released with a next attempt a year ahead of real time
  skew = -YEAR_MS;
  await done;
  await client.stop();
  expect((await rig.registry.enrollments()).map((e) => e.enrollmentId).sort()).toEqual([...ids].sort());
});
