// The composed host beats to its registry at start: the kiosk's health and nothing of a customer;
// the failed commits it reports are the store's failures, not the host's refusals.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { startRegistry, type TestRegistry } from '../registry/test/fixtures/registry.js';
import { composeHost, type ComposedHost } from './compose.js';
import type { StatementScreen } from '../api/contract.js';
import { answers, CONFIG, testHost } from './test-support.js';

let registry: TestRegistry;
let dir: string;
let composed: ComposedHost;

beforeAll(async () => {
  registry = await startRegistry({ db: 'sqlite' });
  const token = await registry.provisionKiosk(CONFIG.kioskId, CONFIG.chainId, CONFIG.storeId);
  dir = mkdtempSync(join(tmpdir(), 'kiosk-heartbeat-'));
  composed = await composeHost({
    config: CONFIG,
    dbPath: join(dir, 'kiosk.db'),
    dbKey: randomBytes(32),
    pinFile: join(dir, 'pin.json'),
    registry: { url: registry.url, token },
  });
});
afterAll(async () => {
  await composed.close();
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

it("sends the kiosk's heartbeat with its own token as it starts", async () => {
  const heartbeat = async () => (await registry.store.fleet(CONFIG.chainId, new Date()))[0]?.heartbeat;
  await expect.poll(heartbeat, { timeout: 10_000 }).not.toBeNull();
  const beat = await heartbeat();
  expect(beat).toEqual({
    appVersion: pkg.version,
    queue: { pending: 0, sending: 0, acknowledged: 0, 'dead-letter': 0, discarded: 0 },
    oldestPendingAgeMs: null,
    lastSyncAt: null,
    readerPresent: expect.any(Boolean),
    freeDiskBytes: expect.any(Number),
    failedCommits: 0,
  });
  expect(beat?.freeDiskBytes).toBeGreaterThan(0);
});

it('counts a commit the store failed, and not one the host refused', async () => {
  const t = testHost();
  try {
    expect(await t.code('enrollment.commit')).toBe('NO_SESSION');
    await t.ok('session.start', { language: 'nl', intent: 'enroll' });
    await t.ok('card.decline');
    await t.ok('manual.submit', { surname: 'Peeters', firstNames: 'Jan' });
    expect(await t.code('enrollment.commit')).toBe('WRONG_STEP');
    for (const party of ['chain', 'registry'] as const) {
      const screen = await t.ok<StatementScreen>('statement.get', { party });
      // A yes to the chain's first purpose: a "no" to every one would keep nothing to fail at.
      const yes = party === 'chain' ? [screen.purposes[0]!.id] : [];
      await t.ok('consent.decide', { party, decisions: answers(screen.purposes, yes), controlsTouched: [] });
    }
    expect(t.host.failedCommits).toBe(0);
    // A store that cannot write, as on a failing disk.
    t.store.db.pragma('query_only = ON');
    expect(await t.code('enrollment.commit')).not.toBe('ok');
    expect(t.host.failedCommits).toBe(1);
  } finally {
    t.store.db.pragma('query_only = OFF');
    t.dispose();
  }
});
