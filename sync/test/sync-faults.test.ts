// The sync client, the real kiosk store and the real registry, with a fault proxy between them:
// whatever the network and a sick registry do, every committed item lands exactly once and the
// kiosk keeps no personal data of what was acknowledged.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncClient, type SyncStatus } from '../client/sync-client.js';
import { runSyncCommand, SYNC_EXIT } from '../client/sync-command.js';
import { HttpTransport } from '../client/transport.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { selfSignedCert, startRegistry, type TestRegistry } from '../registry/testing.js';
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.js';
import { createTestKiosk, type TestKiosk } from './fixtures/kiosk-store.js';
import { seededRandom } from './fixtures/seeded-random.js';

let kiosk: TestKiosk;
let registry: TestRegistry;
let proxy: FaultProxy;
let token: string;

beforeEach(async () => {
  kiosk = createTestKiosk();
  registry = await startRegistry({ db: 'sqlite' });
  token = await registry.provisionKiosk('kiosk-1', 'chain-1', 'store-1');
  proxy = await startFaultProxy(registry.url);
});
afterEach(async () => {
  await proxy.close();
  await registry.close();
  kiosk.remove();
});

function newClient(registryUrl: string, clientToken = token): SyncClient {
  return new SyncClient({
    outbox: new SqliteOutbox(kiosk.store),
    transport: new HttpTransport({ registryUrl, token: clientToken, requestTimeoutMs: 300 }),
    random: seededRandom(42),
    backoff: { baseMs: 5, capMs: 40 },
    batchSize: 5,
  });
}

function until(client: SyncClient, done: (s: SyncStatus) => boolean): Promise<SyncStatus> {
  return new Promise((resolve) => {
    const off = client.on('status', (s) => {
      if (done(s)) {
        off();
        resolve(s);
      }
    });
  });
}

describe('sync through faults', () => {
  it('lands every committed item exactly once after every kind of fault, then purges the kiosk', async () => {
    const committed = kiosk.commit(30);
    const faults: Fault[] = [
      'drop-before-forward', 'drop-after-commit', 'status-500', 'hang', 'garbage',
      'truncated', 'wrong-shape', 'foreign-keys', 'drop-after-commit', 'status-500',
    ];
    proxy.script(...faults);
    const client = newClient(proxy.url);
    const errors: string[] = [];
    client.on('batch', (b) => b.error && errors.push(b.error.code));
    const finished = until(client, (s) => s.online && s.pending === 0);
    client.start();
    await finished;
    await client.stop();

    expect(proxy.history.slice(0, faults.length)).toEqual(faults);
    expect(errors).toEqual(['NETWORK', 'NETWORK', 'SERVER_ERROR', 'TIMEOUT', 'BAD_RESPONSE', 'BAD_RESPONSE', 'BAD_RESPONSE', 'BAD_RESPONSE', 'NETWORK', 'SERVER_ERROR']);
    const stored = await registry.enrollments();
    expect(stored.map((e) => e.enrollmentId).sort()).toEqual([...committed].sort());
    expect((await registry.stats()).enrollments).toBe(30);
    expect(kiosk.states()).toEqual({ acknowledged: 30 });
    expect(kiosk.unpurged()).toBe(0);
    // The batches the registry committed but whose answers were lost come back as duplicates.
    const outcomes = kiosk.store.db.prepare('SELECT outcome, count(*) AS n FROM receipts GROUP BY outcome').all();
    expect(outcomes).toContainEqual({ outcome: 'duplicate', n: expect.any(Number) });
  });

  it('sends the commits made during a failure streak once the registry heals', async () => {
    kiosk.commit(3);
    proxy.script('status-500', 'status-500');
    const client = newClient(proxy.url);
    const outbox = new SqliteOutbox(kiosk.store);
    const finished = until(client, (s) => s.online && s.pending === 0 && outbox.unsentCount() === 0);
    client.start();
    kiosk.commit(2, new Date(), { storeId: 'store-1' });
    client.notify();
    await finished;
    await client.stop();
    expect((await registry.enrollments()).length).toBe(5);
  });

  it('stops on a revoked or wrong token without dead-lettering anything', async () => {
    kiosk.commit(4);
    const client = newClient(proxy.url, 'x'.repeat(43));
    const rejected = until(client, (s) => s.lastError?.code === 'CREDENTIALS_REJECTED');
    client.start();
    const status = await rejected;
    await client.stop();
    expect(status).toMatchObject({ online: false, pending: 4, lastError: { message: 'credentials rejected (401)' } });
    expect(kiosk.states()).toEqual({ pending: 4 });
    expect((await registry.enrollments()).length).toBe(0);
  });
});

describe('runSyncCommand --once', () => {
  it('exits 0 once everything is sent, and records the last sync for the manager', async () => {
    kiosk.commit(12);
    kiosk.close();
    proxy.script('drop-before-forward', 'truncated');
    const code = await runSyncCommand({
      dbFile: kiosk.dbFile, key: kiosk.key, registryUrl: proxy.url, token, once: true, batchSize: 5, backoff: { baseMs: 5, capMs: 40 },
    });
    kiosk.reopen();
    expect(code).toBe(SYNC_EXIT.OK);
    expect(kiosk.states()).toEqual({ acknowledged: 12 });
    expect((await registry.enrollments()).length).toBe(12);
    const status = kiosk.store.db.prepare('SELECT last_attempt_ok AS ok, last_success_at IS NOT NULL AS success FROM sync_status').get();
    expect(status).toEqual({ ok: 1, success: 1 });
  });

  it('dead-letters what the registry rejects without holding back the rest, and says so in its exit code', async () => {
    kiosk.commit(2);
    kiosk.commit(1, new Date(), { chainId: 'another-chain' }); // outside this kiosk's scope: 422
    kiosk.commit(2);
    kiosk.close();
    const code = await runSyncCommand({ dbFile: kiosk.dbFile, key: kiosk.key, registryUrl: proxy.url, token, once: true });
    kiosk.reopen();
    expect(code).toBe(SYNC_EXIT.DEAD_LETTERED);
    expect(kiosk.states()).toEqual({ acknowledged: 4, 'dead-letter': 1 });
    expect(kiosk.store.db.prepare(`SELECT reason_code FROM outbox WHERE state = 'dead-letter'`).pluck().get()).toBe('chain-mismatch');
    expect((await registry.enrollments()).length).toBe(4);
  });

  it('gives up after a bounded number of attempts and says so in its exit code', async () => {
    kiosk.commit(2);
    kiosk.close();
    proxy.script('status-500', 'status-500', 'status-500');
    const common = { dbFile: kiosk.dbFile, key: kiosk.key, registryUrl: proxy.url, once: true, backoff: { baseMs: 1, capMs: 5 } };
    expect(await runSyncCommand({ ...common, token, maxAttempts: 3 })).toBe(SYNC_EXIT.UNSENT);
    expect(await runSyncCommand({ ...common, token: 'y'.repeat(43) })).toBe(SYNC_EXIT.CREDENTIALS_REJECTED);
    kiosk.reopen();
    expect(kiosk.states()).toEqual({ pending: 2 });
  });

  it('runs until stopped without --once, over https with the registry CA from a file', async () => {
    const tls = selfSignedCert();
    const secure = await startRegistry({ db: 'sqlite', tls });
    try {
      const caFile = join(kiosk.dir, 'registry-ca.pem');
      writeFileSync(caFile, tls.cert);
      const secureToken = await secure.provisionKiosk('kiosk-1', 'chain-1', 'store-1');
      kiosk.commit(7);
      kiosk.close();
      const stop = new AbortController();
      const code = await runSyncCommand({
        dbFile: kiosk.dbFile, key: kiosk.key, registryUrl: secure.url, token: secureToken, caFile, once: false,
        signal: stop.signal,
        onStatus: (s) => s.online && s.pending === 0 && stop.abort(),
      });
      expect(code).toBe(SYNC_EXIT.OK);
      expect((await secure.stats()).enrollments).toBe(7);
    } finally {
      await secure.close();
    }
    kiosk.reopen();
    expect(kiosk.states()).toEqual({ acknowledged: 7 });
  });
});
