// The sync client, the real kiosk store and the real registry, with a fault proxy between them:
// whatever the network and a sick registry do, every committed item lands exactly once and the
// kiosk keeps no personal data of what was acknowledged.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SyncClient, type SyncStatus } from '../client/sync-client.js';
import { runSyncCommand, SYNC_EXIT } from '../cli/sync-command.js';
import { storeTransport } from '../client/compose-sync.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { commitEnrollment } from '../store/commit.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { startRegistry } from '../../registry/test/fixtures/registry.js';
import { makeEnrollment } from './fixtures/payloads.js';
import { makeLoopbackPki } from './fixtures/tls.js';
import { useSyncRig } from './fixtures/sync-rig.js';
import { seededRandom } from './fixtures/seeded-random.js';
import { type Fault } from './fixtures/fault-proxy.js';

const rig = useSyncRig();

function newClient(registryUrl: string, clientToken = rig.token): SyncClient {
  return new SyncClient({
    outbox: new SqliteOutbox(rig.kiosk.store),
    transport: storeTransport(rig.kiosk.store, { registryUrl, token: clientToken, requestTimeoutMs: 300 }),
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

/** `queue sync --once` against `registryUrl` while the kiosk's store is closed, as the command opens
 *  its own; the store is reopened for the assertions. */
async function syncOnceClosed(registryUrl: string): Promise<number> {
  rig.kiosk.close();
  const code = await runSyncCommand({ dbFile: rig.kiosk.dbFile, key: rig.kiosk.key, registryUrl, token: rig.token, once: true });
  rig.kiosk.reopen();
  return code;
}

describe('sync through faults', () => {
  it('lands every committed item exactly once after every kind of fault, then purges the kiosk', async () => {
    const committed = rig.kiosk.commit(30);
    const faults: Fault[] = [
      'drop-before-forward',
      'drop-after-commit',
      'status-500',
      'hang',
      'garbage',
      'truncated',
      'wrong-shape',
      'foreign-keys',
      'drop-after-commit',
      'status-500',
    ];
    // The run's key registration and capabilities question pass; the faults hit the batches.
    rig.proxy.script('pass', 'pass', ...faults);
    const client = newClient(rig.proxy.url);
    const errors: string[] = [];
    client.on('batch', (b) => b.error && errors.push(b.error.code));
    const finished = until(client, (s) => s.online && s.pending === 0);
    client.start();
    await finished;
    await client.stop();

    expect(rig.proxy.history.slice(0, faults.length + 2)).toEqual(['pass', 'pass', ...faults]);
    // A batch failing twice in a row with a 5xx or garbage is split (issue 8), so one batch outcome
    // may span several faulted requests: the outcomes say which kinds of failure there were, and
    // none of these passing faults dead-letters anything.
    expect(new Set(errors)).toEqual(new Set(['NETWORK', 'SERVER_ERROR', 'TIMEOUT', 'BAD_RESPONSE']));
    expect(errors.length).toBeLessThanOrEqual(faults.length);
    const stored = await rig.registry.enrollments();
    expect(stored.map((e) => e.enrollmentId).sort()).toEqual([...committed].sort());
    expect((await rig.registry.stats()).enrollments).toBe(30);
    expect(rig.kiosk.states()).toEqual({ acknowledged: 30 });
    expect(rig.kiosk.unpurged()).toBe(0);
    // The batches the registry committed but whose answers were lost come back as duplicates.
    const outcomes = rig.kiosk.store.db.prepare('SELECT outcome, count(*) AS n FROM receipts GROUP BY outcome').all();
    expect(outcomes).toContainEqual({ outcome: 'duplicate', n: expect.any(Number) });
  });

  it('sends the commits made during a failure streak once the registry heals', async () => {
    rig.kiosk.commit(3);
    rig.proxy.script('status-500', 'status-500');
    const client = newClient(rig.proxy.url);
    const outbox = new SqliteOutbox(rig.kiosk.store);
    const finished = until(client, (s) => s.online && s.pending === 0 && outbox.unsentCount() === 0);
    client.start();
    rig.kiosk.commit(2, new Date(), { storeId: 'store-1' });
    client.notify();
    await finished;
    await client.stop();
    expect((await rig.registry.enrollments()).length).toBe(5);
  });

  it('stops on a revoked or wrong token without dead-lettering anything', async () => {
    rig.kiosk.commit(4);
    const client = newClient(rig.proxy.url, 'x'.repeat(43));
    const rejected = until(client, (s) => s.lastError?.code === 'CREDENTIALS_REJECTED');
    client.start();
    const status = await rejected;
    await client.stop();
    expect(status).toMatchObject({ online: false, pending: 4, lastError: { message: 'credentials rejected (401)' } });
    expect(rig.kiosk.states()).toEqual({ pending: 4 });
    expect((await rig.registry.enrollments()).length).toBe(0);
  });
});

describe('runSyncCommand --once', () => {
  it('exits 0 once everything is sent, and records the last sync for the manager', async () => {
    rig.kiosk.commit(12);
    rig.kiosk.close();
    rig.proxy.script('drop-before-forward', 'truncated');
    const code = await runSyncCommand({
      dbFile: rig.kiosk.dbFile,
      key: rig.kiosk.key,
      registryUrl: rig.proxy.url,
      token: rig.token,
      once: true,
      batchSize: 5,
      backoff: { baseMs: 5, capMs: 40 },
    });
    rig.kiosk.reopen();
    expect(code).toBe(SYNC_EXIT.OK);
    expect(rig.kiosk.states()).toEqual({ acknowledged: 12 });
    expect((await rig.registry.enrollments()).length).toBe(12);
    const status = rig.kiosk.store.db
      .prepare('SELECT last_attempt_ok AS ok, last_success_at IS NOT NULL AS success FROM sync_status')
      .get();
    expect(status).toEqual({ ok: 1, success: 1 });
  });

  // Issue 8: a batch the registry refused as a whole (here a 413: one item is larger than a whole
  // batch may be) was retried forever with everything behind it.
  it('splits a batch the registry refuses as a whole until the culprit is found; only it is dead-lettered', async () => {
    const now = new Date();
    rig.kiosk.commit(3, now);
    const huge = makeEnrollment(3, { at: now });
    huge.consents[0]!.controller.contact = 'x'.repeat(1_100_000);
    commitEnrollment(rig.kiosk.store, { payload: huge, policy: DEFAULT_POLICY }, now);
    rig.kiosk.commit(3, now);
    const code = await syncOnceClosed(rig.registry.url);
    expect(code).toBe(SYNC_EXIT.DEAD_LETTERED);
    expect(rig.kiosk.states()).toEqual({ acknowledged: 6, 'dead-letter': 1 });
    const dead = rig.kiosk.store.db
      .prepare(`SELECT subject_ref, reason_code, last_error FROM outbox WHERE state = 'dead-letter'`)
      .get() as Record<string, string>;
    expect(dead).toMatchObject({
      subject_ref: huge.enrollmentId,
      reason_code: 'BATCH_REFUSED',
      last_error: expect.stringContaining('413'),
    });
    expect((await rig.registry.enrollments()).length).toBe(6);
  });

  it('dead-letters what the registry rejects without holding back the rest, and says so in its exit code', async () => {
    rig.kiosk.commit(2);
    rig.kiosk.commit(1, new Date(), { chainId: 'another-chain' }); // outside this kiosk's scope: 422
    rig.kiosk.commit(2);
    const code = await syncOnceClosed(rig.proxy.url);
    expect(code).toBe(SYNC_EXIT.DEAD_LETTERED);
    expect(rig.kiosk.states()).toEqual({ acknowledged: 4, 'dead-letter': 1 });
    expect(rig.kiosk.store.db.prepare(`SELECT reason_code FROM outbox WHERE state = 'dead-letter'`).pluck().get()).toBe('CHAIN_MISMATCH');
    expect((await rig.registry.enrollments()).length).toBe(4);
  });

  it('gives up after a bounded number of attempts and says so in its exit code', async () => {
    rig.kiosk.commit(2);
    rig.kiosk.close();
    // A registry failing on everything: each attempt after the first is also split down to one item,
    // sent alone 3 times, and the other item is tried whole (issue 8): 3 attempts make 1 + 5 + 5 requests.
    rig.proxy.script(...Array.from({ length: 11 }, () => 'status-500' as const));
    const common = {
      dbFile: rig.kiosk.dbFile,
      key: rig.kiosk.key,
      registryUrl: rig.proxy.url,
      once: true,
      backoff: { baseMs: 1, capMs: 5 },
    };
    expect(await runSyncCommand({ ...common, token: rig.token, maxAttempts: 3 })).toBe(SYNC_EXIT.UNSENT);
    expect(await runSyncCommand({ ...common, token: 'y'.repeat(43) })).toBe(SYNC_EXIT.CREDENTIALS_REJECTED);
    rig.kiosk.reopen();
    expect(rig.kiosk.states()).toEqual({ pending: 2 });
  });

  it('runs until stopped without --once, over https with the registry CA from a file', async () => {
    const tls = makeLoopbackPki();
    const secure = await startRegistry({ db: 'sqlite', tls });
    try {
      const caFile = join(rig.kiosk.dir, 'registry-ca.pem');
      writeFileSync(caFile, tls.ca);
      const secureToken = await secure.provisionKiosk('kiosk-1', 'chain-1', 'store-1');
      rig.kiosk.commit(7);
      rig.kiosk.close();
      const stop = new AbortController();
      const code = await runSyncCommand({
        dbFile: rig.kiosk.dbFile,
        key: rig.kiosk.key,
        registryUrl: secure.url,
        token: secureToken,
        caFile,
        once: false,
        signal: stop.signal,
        onStatus: (s) => s.online && s.pending === 0 && stop.abort(),
      });
      expect(code).toBe(SYNC_EXIT.OK);
      expect((await secure.stats()).enrollments).toBe(7);
    } finally {
      await secure.close();
    }
    rig.kiosk.reopen();
    expect(rig.kiosk.states()).toEqual({ acknowledged: 7 });
  });
});
