// The registry command line in-process, as the program runs it: usage errors exit 2, and provision,
// revoke, purge, stats and serve on a temporary SQLite registry. (Spawned as a program, with TLS:
// registry/test/server.test.ts.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../sync/proof/ed25519.js';
import { KeySet } from '../sync/proof/key-set.js';
import { compactReceipt } from '../sync/proof/compact-receipt.js';
import { signReceipt } from '../sync/proof/signatures.js';
import { TEST_KEY_NOT_BEFORE, testKioskKey } from '../sync/test/fixtures/kiosk-keys.js';
import { consentRecord } from '../sync/test/fixtures/payloads.js';
import { runRegistryCommand } from './cli.js';
import { provisionKiosk } from './provisioning.js';
import { openRegistryStore } from './store.js';

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

describe('the proof keys and receipts from the command line', () => {
  it('rotates and exports the keys, and verifies a signed receipt offline against the export', async () => {
    const first = await registry(['keys', 'rotate', '--db', db]);
    const second = await registry(['keys', 'rotate', '--db', db]);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(second.stdout.trim()).not.toBe(first.stdout.trim());
    // The kiosk registers its key as POST /v1/kiosk-keys does.
    const kiosk = testKioskKey('kiosk-r1');
    const store = await openRegistryStore(db);
    await provisionKiosk(store, { kioskId: 'kiosk-r1', chainId: 'chain-r', storeId: 'store-r' }, new Date('2025-03-01T09:00:00.000Z'));
    await store.registerKioskKey({
      kid: kiosk.kid,
      chainId: 'chain-r',
      kioskId: 'kiosk-r1',
      publicJwk: kiosk.publicJwk,
      notBefore: TEST_KEY_NOT_BEFORE,
    });
    await store.close();

    const exported = await registry(['keys', 'export', '--db', db]);
    const keys = KeySet.parse(JSON.parse(exported.stdout));
    expect(keys.keys.map((k) => [k.owner, k.exp !== undefined])).toEqual([
      ['registry', true],
      ['registry', false],
      ['kiosk', false],
    ]);
    const keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, exported.stdout);

    const record = consentRecord({
      subjectRef: crypto.randomUUID(),
      party: 'chain',
      kiosk: { kioskId: 'kiosk-r1', chainId: 'chain-r', storeId: 'store-r' },
    });
    const jws = signReceipt(compactReceipt([record], 'chain-r', 'de'), kiosk);
    const url = `https://registry.example/verify#r=${jws}&c=ABCDE12345`;
    const ok = await registry(['verify-receipt', url, '--keys', keysFile]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verified: true, kioskId: 'kiosk-r1', receipt: { chain: 'chain-r', lang: 'de' } });
    const file = join(dir, 'receipt.txt');
    writeFileSync(file, `${jws}\n`);
    expect((await registry(['verify-receipt', file, '--keys', keysFile])).code).toBe(0);

    const forged = signReceipt(compactReceipt([record], 'chain-r', 'de'), generateSigningKey());
    const refused = await registry(['verify-receipt', forged, '--keys', keysFile]);
    expect([refused.code, refused.stderr]).toEqual([1, 'error: RECEIPT_NOT_VERIFIED: UNKNOWN_KEY\n']);
  });
});
