// The fleet: kiosks send heartbeats with their own token, the registry keeps the latest, and the
// chain's back office (its own token, never a kiosk's) reads its kiosks, silent and stuck flagged;
// `registry kiosks` lists the same. On both engines, with the registry's clock moved by hand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../auth.js';
import { runRegistryCommand } from '../cli.js';
import { openRegistryStore } from '../store.js';
import type { FleetResponse, Heartbeat } from '../../sync/wire/registry-api.js';
import { ENGINES, type Kiosk, testEnv, type TestEnv } from './fixtures/registry-app.js';
import { freshDatabase, type TestDatabase } from './fixtures/registry.js';

const BEAT: Heartbeat = {
  appVersion: '0.1.0',
  queue: { pending: 2, sending: 0, acknowledged: 40, 'dead-letter': 1, discarded: 0 },
  oldestPendingAgeMs: 90_000,
  lastSyncAt: '2025-03-01T09:58:00.000Z',
  readerPresent: true,
  freeDiskBytes: 12_345_678_901,
  failedCommits: 0,
};

const MINUTE = 60_000;

describe.each(ENGINES)('the fleet on %s', (engine) => {
  let env: TestEnv;
  let a1: Kiosk;
  let a2: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    a1 = await env.kiosk('kiosk-a1', 'chain-a');
    a2 = await env.kiosk('kiosk-a2', 'chain-a');
  });
  afterEach(async () => env.dispose());

  const beat = (token: string | undefined, body: unknown = BEAT) =>
    env.app.inject({
      method: 'POST',
      url: '/v1/heartbeat',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload: body as object,
    });
  const fleet = (token: string) => env.app.inject({ method: 'GET', url: '/v1/fleet', headers: { authorization: `Bearer ${token}` } });

  it("keeps each kiosk's latest heartbeat, with the registry's time", async () => {
    expect((await beat(a1.token)).json()).toEqual({ receivedAt: '2025-03-01T10:00:00.000Z' });
    env.advance(MINUTE);
    await beat(a1.token, { ...BEAT, queue: { ...BEAT.queue, pending: 0 }, oldestPendingAgeMs: null });
    const res = await fleet(await env.backOffice('chain-a'));
    expect(res.statusCode).toBe(200);
    const body = res.json<FleetResponse>();
    expect(body).toMatchObject({ chainId: 'chain-a', asOf: '2025-03-01T10:01:00.000Z' });
    expect(body.kiosks[0]).toEqual({
      kioskId: 'kiosk-a1',
      chainId: 'chain-a',
      storeId: 'chain-a-store-1',
      lastHeartbeatAt: '2025-03-01T10:01:00.000Z',
      silentForMs: 0,
      heartbeat: { ...BEAT, queue: { ...BEAT.queue, pending: 0 }, oldestPendingAgeMs: null },
      silent: false,
      stuck: false,
    });
  });

  it('refuses a heartbeat without a token, from a back office, or malformed', async () => {
    const none = await beat(undefined);
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const office = await beat(await env.backOffice('chain-a'));
    expect(office.statusCode).toBe(403);
    expect(office.json()).toMatchObject({ code: 'FORBIDDEN' });
    for (const bad of [
      { ...BEAT, failedCommits: -1 },
      { ...BEAT, customer: 'Jan' },
      { ...BEAT, appVersion: undefined },
    ]) {
      expect((await beat(a1.token, bad)).statusCode).toBe(400);
    }
    expect((await fleet(await env.backOffice('chain-a'))).json<FleetResponse>().kiosks.map((k) => k.heartbeat)).toEqual([null, null]);
  });

  it("is the back office's alone, and shows it its own chain's active kiosks only", async () => {
    await env.kiosk('kiosk-b1', 'chain-b');
    await env.store.revokeKiosk('kiosk-a2', env.now());
    const refused = await fleet(a1.token);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'FORBIDDEN' });
    const res = await fleet(await env.backOffice('chain-a'));
    expect(res.json<FleetResponse>().kiosks.map((k) => k.kioskId)).toEqual(['kiosk-a1']);
  });

  it('flags a kiosk silent after 5 minutes without a heartbeat, and stuck on an old queue or a failed commit', async () => {
    const b1 = await env.kiosk('kiosk-b1', 'chain-a', 'chain-a-store-2');
    await env.kiosk('kiosk-c1', 'chain-a', 'chain-a-store-2');
    await beat(a1.token);
    await beat(a2.token, { ...BEAT, oldestPendingAgeMs: 61 * MINUTE });
    await beat(b1.token, { ...BEAT, failedCommits: 1 });
    env.advance(4 * MINUTE);
    await beat(a2.token, { ...BEAT, oldestPendingAgeMs: 65 * MINUTE });
    await beat(b1.token, { ...BEAT, failedCommits: 1 });
    const flags = async () =>
      (await fleet(await env.backOffice('chain-a'))).json<FleetResponse>().kiosks.map((k) => [k.kioskId, k.silent, k.stuck]);
    expect(await flags()).toEqual([
      ['kiosk-a1', false, false],
      ['kiosk-a2', false, true],
      ['kiosk-b1', false, true],
      ['kiosk-c1', false, false], // provisioned 4 minutes ago, never heard from: not yet silent
    ]);
    env.advance(MINUTE);
    await beat(b1.token);
    expect(await flags()).toEqual([
      ['kiosk-a1', true, false],
      ['kiosk-a2', false, true],
      ['kiosk-b1', false, false],
      ['kiosk-c1', true, false],
    ]);
  });
});

describe.each(ENGINES)('registry kiosks and back-office-token on %s', (engine) => {
  let fresh: TestDatabase;
  let dir: string;
  let db: string;
  let keyFile: string;
  let now = new Date('2025-03-01T10:00:00.000Z');
  beforeEach(async () => {
    fresh = await freshDatabase(engine);
    // The command line takes a URL only: the test's schema goes in the connection's options.
    db = fresh.pgSchema ? `${fresh.db}?options=${encodeURIComponent(`-c search_path=${fresh.pgSchema}`)}` : fresh.db;
    dir = mkdtempSync(join(tmpdir(), 'registry-fleet-'));
    keyFile = join(dir, 'match-key');
    writeFileSync(keyFile, fresh.matchSecret.toString('hex'));
    now = new Date('2025-03-01T10:00:00.000Z');
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await fresh.dispose();
  });

  async function registry(...argv: string[]) {
    const out = { stdout: '', stderr: '' };
    const code = await runRegistryCommand([...argv, '--db', db, '--match-key-file', keyFile], {
      stdout: (t) => (out.stdout += t),
      stderr: (t) => (out.stderr += t),
      now: () => now,
      interrupted: new Promise(() => {}),
    });
    return { code, ...out };
  }

  it('lists the fleet as a table and as JSON, silent and stuck flagged', async () => {
    await registry('provision', '--kiosk', 'kiosk-a1', '--chain', 'chain-a', '--store', 'store-1');
    await registry('provision', '--kiosk', 'kiosk-a2', '--chain', 'chain-a', '--store', 'store-2');
    await registry('provision', '--kiosk', 'kiosk-b1', '--chain', 'chain-b', '--store', 'store-1');
    const store = await openRegistryStore(db, { matchSecret: fresh.matchSecret });
    try {
      await store.recordHeartbeat('kiosk-a1', { ...BEAT, failedCommits: 2 }, now);
    } finally {
      await store.close();
    }
    now = new Date(now.getTime() + 6 * MINUTE);

    const table = await registry('kiosks');
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^kiosk +chain +store +last beat +version +pending +dead-letter +oldest pending +last sync +reader +free disk +failed commits +flags$/,
    );
    expect(lines[1]).toMatch(
      /^kiosk-a1 +chain-a +store-1 +6 min ago +0\.1\.0 +2 +1 +1 min +2025-03-01 09:58Z +yes +12\.3 GB +2 +SILENT STUCK$/,
    );
    expect(lines[2]).toMatch(/^kiosk-a2 +chain-a +store-2 +never +- +- +- +- +- +- +- +- +SILENT$/);
    expect(lines[3]).toMatch(/^kiosk-b1 +chain-b /);
    expect(lines[4]).toBe('3 kiosks, 3 silent, 1 stuck');

    const json = await registry('kiosks', '--chain', 'chain-a', '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as Omit<FleetResponse, 'chainId'>;
    expect(parsed.asOf).toBe('2025-03-01T10:06:00.000Z');
    expect(parsed.kiosks.map((k) => [k.kioskId, k.silent, k.stuck, k.heartbeat?.failedCommits ?? null])).toEqual([
      ['kiosk-a1', true, true, 2],
      ['kiosk-a2', true, false, null],
    ]);
  });

  it('issues a back-office token that reads the fleet, and revokes it', async () => {
    const issued = await registry('back-office-token', '--chain', 'chain-a');
    expect(issued).toMatchObject({ code: 0, stderr: '' });
    expect(issued.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const store = await openRegistryStore(db, { matchSecret: fresh.matchSecret });
    try {
      expect(await store.backOfficeByTokenHash(hashToken(issued.stdout.trim()))).toMatchObject({ chainId: 'chain-a', revokedAt: null });
    } finally {
      await store.close();
    }
    expect(await registry('back-office-token', '--chain', 'chain-a', '--revoke')).toEqual({
      code: 0,
      stdout: 'revoked 1 back-office token of chain-a\n',
      stderr: '',
    });
    expect((await registry('back-office-token')).code).toBe(2);
  });
});
