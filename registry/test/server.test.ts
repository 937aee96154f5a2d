// Over a real port: TLS with a certificate from a throw-away CA, plain HTTP on loopback, the refusal of
// plain HTTP elsewhere, and the command line end to end.
import { testKioskKey } from '../../sync/test/fixtures/kiosk-keys.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResponse } from '../../sync/wire/schemas.js';
import { serve } from '../server.js';
import { makeLoopbackPki } from '../../sync/test/fixtures/tls.js';
import { startRegistry } from './fixtures/registry.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';

const ROOT = join(import.meta.dirname, '..', '..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'registry/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });

function batchFor(kioskId: string, chainId: string, storeId: string) {
  const item = enrollmentItem({ kioskId, chainId, storeId, token: '' }, { registry: 'given' });
  return JSON.stringify({ kioskId, sentAt: '2025-03-01T10:00:00.000Z', items: [item] });
}

describe('registry over a real port', () => {
  const tls = makeLoopbackPki();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'registry-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS with a certificate that clients trusting its CA accept', async () => {
    const registry = await startRegistry({ db: 'sqlite', tls });
    const agent = new Agent({ connect: { ca: tls.ca } });
    try {
      expect(registry.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const token = await registry.provisionKiosk('kiosk-1', 'chain-a', 'store-1');
      const res = await request(`${registry.url}/v1/batches`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: batchFor('kiosk-1', 'chain-a', 'store-1'),
      });
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as BatchResponse).results[0]?.status).toBe('accepted');
      expect(await registry.stats()).toMatchObject({ enrollments: 1, consents: 2, kiosks: 1 });
      // Without the pinned certificate the client refuses it.
      await expect(request(`${registry.url}/v1/feed`)).rejects.toThrow();
    } finally {
      await agent.close();
      await registry.close();
    }
  });

  it('serves plain HTTP on loopback, here on PostgreSQL', async () => {
    const registry = await startRegistry({ db: 'postgres' });
    try {
      const token = await registry.provisionKiosk('kiosk-1', 'chain-a', 'store-1');
      const res = await fetch(`${registry.url}/v1/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: batchFor('kiosk-1', 'chain-a', 'store-1'),
      });
      expect(res.status).toBe(200);
      await registry.revokeKiosk('kiosk-1');
      expect((await fetch(`${registry.url}/v1/feed`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
      expect(await registry.stats()).toMatchObject({ enrollments: 1, kiosks: 1, activeKiosks: 0 });
    } finally {
      await registry.close();
    }
  });

  it('refuses plain HTTP off loopback before opening anything', async () => {
    const db = join(dir, 'never.db');
    await expect(serve({ port: 0, host: '0.0.0.0', db })).rejects.toMatchObject({ code: 'PLAIN_HTTP_REFUSED' });
    expect(existsSync(db)).toBe(false);
    const run = cli('serve', '--port', '0', '--host', '0.0.0.0', '--db', db);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: PLAIN_HTTP_REFUSED: .*refusing plain HTTP on 0\.0\.0\.0/m);
  });

  it('provisions, serves with TLS, reports stats and revokes from the command line', async () => {
    const db = join(dir, 'cli.db');
    writeFileSync(join(dir, 'cert.pem'), tls.cert);
    writeFileSync(join(dir, 'key.pem'), tls.key);
    const provisioned = cli('provision', '--db', db, '--kiosk', 'kiosk-9', '--chain', 'chain-a', '--store', 'store-1');
    expect(provisioned.status).toBe(0);
    const token = provisioned.stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const server = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'registry/cli.ts',
        'serve',
        '--port',
        '0',
        '--db',
        db,
        '--cert',
        join(dir, 'cert.pem'),
        '--key',
        join(dir, 'key.pem'),
      ],
      { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const agent = new Agent({ connect: { ca: tls.ca } });
    try {
      let out = '';
      while (!/listening on (\S+)/.test(out)) {
        const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
        out += chunk.toString();
      }
      const url = /listening on (\S+)/.exec(out)?.[1] ?? '';
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // The kiosk's key first, as a kiosk's first sync does: the registry refuses records it cannot verify.
      const key = testKioskKey('kiosk-9');
      const registered = await request(`${url}/v1/kiosk-keys`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ publicJwk: key.publicJwk, notBefore: '2000-01-01T00:00:00.000Z' }),
      });
      expect(await registered.body.json()).toEqual({ kid: key.kid });
      const res = await request(`${url}/v1/batches`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: batchFor('kiosk-9', 'chain-a', 'store-1'),
      });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    } finally {
      await agent.close();
      server.kill('SIGTERM');
      await once(server, 'exit');
    }

    const stats = cli('stats', '--db', db);
    expect(JSON.parse(stats.stdout)).toMatchObject({ enrollments: 1, profiles: 1, consents: 2, kiosks: 1 });
    expect(cli('revoke', '--db', db, '--kiosk', 'kiosk-9').status).toBe(0);
    const again = cli('revoke', '--db', db, '--kiosk', 'kiosk-9');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('UNKNOWN_KIOSK');
    expect(cli('serve', '--port', '0', '--db', db, '--cert', join(dir, 'cert.pem')).stderr).toContain('TLS_INCOMPLETE');
  });
});
