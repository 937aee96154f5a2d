// The retention purge in a running registry: `serve` runs it on its timer (here an injected one and
// an injected clock), and `registry purge` runs it on demand from the command line, leaving nothing
// of what it erased in the SQLite file or its WAL.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchResponse } from '../../sync/wire/schemas.js';
import { serve, type PurgeTimer, type RunningRegistry } from '../server.js';
import { openRegistryStore } from '../store.js';
import { nothingPurged } from '../subject-desk.js';
import { freshDatabase, type TestDatabase, provisionTestKiosk } from './fixtures/registry.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DAY = 86_400_000;
const NOTHING = nothingPurged();

describe('the retention purge', () => {
  let fresh: TestDatabase;
  beforeEach(async () => {
    fresh = await freshDatabase('sqlite');
  });
  afterEach(async () => fresh.dispose());

  /** Sends one enrollment of Jan Peeters through the registry's HTTP API. */
  async function enrollOnce(running: RunningRegistry, at: Date): Promise<string> {
    const kiosk = { kioskId: 'kiosk-1', chainId: 'chain-1', storeId: 'store-1' };
    const token = await provisionTestKiosk(running.store, kiosk, at);
    const item = enrollmentItem(
      { ...kiosk, token },
      { registry: 'given', person: { surname: 'Peeters', firstNames: 'Jan', email: 'jan@example.be' } },
    );
    const res = await running.app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers: { authorization: `Bearer ${token}` },
      payload: { kioskId: kiosk.kioskId, sentAt: at.toISOString(), items: [item] },
    });
    expect(res.json<BatchResponse>().results[0]?.status).toBe('accepted');
    return token;
  }

  const access = (running: RunningRegistry, token: string) =>
    running.app.inject({
      method: 'POST',
      url: '/v1/subject/access',
      headers: { authorization: `Bearer ${token}` },
      payload: { surname: 'Peeters', firstNames: 'Jan', email: 'jan@example.be' },
    });

  it('runs daily in serve, on its clock, erasing a profile once past its retention', async () => {
    let t = Date.parse('2025-03-01T10:00:00.000Z');
    const ticks: Array<() => Promise<void>> = [];
    const every: number[] = [];
    const timer: PurgeTimer = {
      every: (ms, tick) => {
        every.push(ms);
        ticks.push(tick);
        return { stop: () => ticks.splice(0) };
      },
    };
    const running = await serve({ port: 0, db: fresh.db, matchSecret: fresh.matchSecret, now: () => new Date(t), timer });
    try {
      // The purge's timer, daily (the mail outbox has one of its own).
      expect(every[0]).toBe(DAY);
      const token = await enrollOnce(running, new Date(t));
      t += 700 * DAY;
      await ticks[0]?.();
      expect((await access(running, token)).statusCode).toBe(200);
      t += 32 * DAY;
      await ticks[0]?.();
      expect((await access(running, token)).json()).toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
      const stats = await running.store.stats();
      expect(stats).toMatchObject({ profiles: 1, consents: 2 }); // the tombstone and the consent proof stay
      expect(await running.store.purge(new Date(t))).toEqual(NOTHING); // already erased
    } finally {
      await running.close();
    }
    expect(ticks).toEqual([]); // close stops the timer
  });

  it('never runs less often than the retention rules count on', async () => {
    await expect(serve({ port: 0, db: fresh.db, matchSecret: fresh.matchSecret, purgeEveryMs: 2 * 86_400_000 })).rejects.toThrow(
      RangeError,
    );
  });

  it('runs on demand with `registry purge`, printing what it did', async () => {
    const then = new Date('2020-01-01T00:00:00.000Z');
    const running = await serve({ port: 0, db: fresh.db, matchSecret: fresh.matchSecret, now: () => then });
    await enrollOnce(running, then);
    await running.close();
    const onDisk = (): string =>
      [fresh.db, `${fresh.db}-wal`].map((f) => (existsSync(f) ? readFileSync(f).toString('latin1') : '')).join('');
    expect(onDisk()).toContain('jan@example.be');
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', 'registry/cli.ts', 'purge', '--db', fresh.db], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'silent', REGISTRY_MATCH_KEY: fresh.matchSecret.toString('hex') },
      });
    const first = run();
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ ...NOTHING, 'chain-data-inactive': 1, 'registry-data-inactive': 1, erased: 1 });
    // secure_delete overwrote the erased values in the pages, and the WAL was truncated after.
    expect(onDisk()).not.toContain('jan@example.be');
    expect(JSON.parse(run().stdout)).toEqual(NOTHING);
    const store = await openRegistryStore(fresh.db, { matchSecret: fresh.matchSecret });
    try {
      expect((await store.stats()).consents).toBe(2);
    } finally {
      await store.close();
    }
  });
});
