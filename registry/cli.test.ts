// The registry command line in-process, as the program runs it: usage errors exit 2, and provision,
// revoke, purge, stats and serve on a temporary SQLite registry. (Spawned as a program, with TLS:
// registry/test/server.test.ts.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRegistryCommand } from './cli.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'registry-cli-'));
  db = join(dir, 'registry.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command; `out` fills as it writes, `code` settles when it returns. */
function start(argv: string[], interrupted: Promise<void> = new Promise(() => {})) {
  const out = { stdout: '', stderr: '' };
  const code = runRegistryCommand(argv, {
    stdout: (t) => (out.stdout += t),
    stderr: (t) => (out.stderr += t),
    now: () => new Date('2025-03-01T10:00:00.000Z'),
    interrupted,
  });
  return { out, code };
}

async function registry(argv: string[]) {
  const { out, code } = start(argv);
  return { code: await code, ...out };
}

describe('registry command line', () => {
  it.each([
    [[], 'no command'],
    [['sing'], 'unknown command sing'],
    [['provision', '--db', 'x.db', '--kiosk', 'kiosk-1', '--chain', 'chain-a'], '--store is required'],
    [['serve', '--db', 'x.db', '--port', '70000'], '--port must be 0-65535'],
    [['stats', '--colour'], "Unknown option '--colour'"],
  ])('%j is a usage error: exit 2, the reason and the usage on stderr, nothing on stdout', async (argv, reason) => {
    const r = await registry(argv);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toContain(reason);
    expect(r.stderr).toContain('\nusage: registry <command>');
  });

  it('prints the usage on --help and exits 0', async () => {
    const r = await registry(['--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^usage: registry <command>/);
  });

  it('provisions a kiosk (its token printed once), counts it, and revokes it once', async () => {
    const provisioned = await registry(['provision', '--db', db, '--kiosk', 'kiosk-1', '--chain', 'chain-a', '--store', 'store-1']);
    expect(provisioned).toMatchObject({ code: 0, stderr: '' });
    expect(provisioned.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const stats = await registry(['stats', '--db', db]);
    expect(JSON.parse(stats.stdout)).toMatchObject({ kiosks: 1, enrollments: 0 });

    expect(await registry(['revoke', '--db', db, '--kiosk', 'kiosk-1'])).toEqual({ code: 0, stdout: 'revoked kiosk-1\n', stderr: '' });
    const again = await registry(['revoke', '--db', db, '--kiosk', 'kiosk-1']);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toMatch(/^error: UNKNOWN_KIOSK: .*\(no active kiosk kiosk-1\)\n$/);
  });

  it('purges and prints what it erased as JSON', async () => {
    await registry(['provision', '--db', db, '--kiosk', 'kiosk-1', '--chain', 'chain-a', '--store', 'store-1']);
    const purged = await registry(['purge', '--db', db]);
    expect(purged).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(purged.stdout)).toMatchObject({ erased: 0, 'consent-proof': 0 });
  });

  it('serves until interrupted, then closes and exits 0', async () => {
    let stop!: () => void;
    const serving = start(['serve', '--db', db, '--port', '0'], new Promise<void>((resolve) => (stop = resolve)));
    await expect.poll(() => serving.out.stdout, { timeout: 10_000 }).toMatch(/^registry listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = serving.out.stdout.trim().split(' ').pop()!;
    expect((await fetch(`${url}/v1/feed`)).status).toBe(401);
    stop();
    expect(await serving.code).toBe(0);
    expect(serving.out.stderr).toBe('');
    await expect(fetch(`${url}/v1/feed`)).rejects.toThrow();
  });
});
