// The chain's signed updates over real TLS on loopback (a throw-away CA): the release tool signs
// electron-builder-shaped metadata, a https server serves it, and the kiosk's checks accept only a
// release whose metadata carries the chain's signature and whose downloaded file it names exactly.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runReleaseCommand, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE } from '../scripts/release.js';
import { makeLoopbackPki, type TestPki } from '../sync/test/fixtures/tls.js';
import {
  channelFile,
  fetchSignedRelease,
  runVerifiedUpdate,
  updatePublicKey,
  verifyDownloadedFile,
  type UpdaterPort,
  type UpdaterView,
} from './update-verify.js';

const CHANNEL = channelFile('linux', 'x64');
const APP = 'eID Enrollment Kiosk-1.2.0.AppImage';
const APP_URL = 'eID-Enrollment-Kiosk-1.2.0.AppImage';

let dir: string;
let served: string;
let cache: string;
let pki: TestPki;
let server: Server;
let updateUrl: string;
let chainKey: string;
let app: Buffer;

const release = async (argv: string[]): Promise<string> => {
  let out = '';
  let err = '';
  const code = await runReleaseCommand(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  if (code !== 0) throw new Error(`release ${argv[0]}: ${code} ${err}`);
  return out;
};
const keygen = async (name: string): Promise<string> => {
  await release(['keygen', '--out', join(dir, name)]);
  return readFileSync(join(dir, name, PUBLIC_KEY_FILE), 'utf8').trim();
};
const sha512 = (bytes: Buffer) => createHash('sha512').update(bytes).digest('base64');

/** Metadata as electron-builder writes it (js-yaml dump), for the AppImage served beside it. */
const metadataFor = (file: Buffer, version = '1.2.0') =>
  [
    `version: ${version}`,
    'files:',
    `  - url: ${APP_URL}`,
    `    sha512: ${sha512(file)}`,
    `    size: ${file.length}`,
    `    blockMapSize: 1234`,
    `path: ${APP_URL}`,
    `sha512: ${sha512(file)}`,
    `releaseDate: '2026-12-01T09:00:00.000Z'`,
    '',
  ].join('\n');

/** Publishes a release signed with `keyDir`'s private key (or unsigned). */
const publish = async (metadata: string, keyDir: string | null = 'chain') => {
  rmSync(join(served, `${CHANNEL}.sig`), { force: true });
  writeFileSync(join(served, CHANNEL), metadata);
  if (keyDir !== null) await release(['sign', '--key', join(dir, keyDir, PRIVATE_KEY_FILE), join(served, CHANNEL)]);
};

/** electron-updater's part: its view of the release and the file it saved into its cache. */
const download = (bytes = app): string => {
  const path = join(cache, APP_URL);
  writeFileSync(path, bytes);
  return path;
};
const fetchOptions = () => ({ updateUrl, publicKey: updatePublicKey(chainKey), channelFile: CHANNEL, ca: pki.ca });
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e as { code?: string }).code,
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-updates-'));
  served = join(dir, 'served');
  mkdirSync(served);
  pki = makeLoopbackPki();
  server = createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'https://x/').pathname.replace(/^\/kiosk\//, ''));
    try {
      res.end(readFileSync(join(served, name)));
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  updateUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/kiosk`;
  chainKey = await keygen('chain');
  app = randomBytes(200_000);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  cache = mkdtempSync(join(dir, 'cache-'));
  await publish(metadataFor(app));
});

describe('signed update metadata', () => {
  it('verifies a good release, and the file downloaded for it', async () => {
    const signed = await fetchSignedRelease(fetchOptions());
    expect(signed).toEqual({ version: '1.2.0', files: [{ url: APP_URL, sha512: sha512(app), size: app.length }] });
    await expect(verifyDownloadedFile(signed, download())).resolves.toMatchObject({ url: APP_URL });
  });

  it('refuses a downloaded file that is not the one the signed metadata names', async () => {
    const signed = await fetchSignedRelease(fetchOptions());
    const tampered = Buffer.from(app);
    tampered[1000] = (tampered[1000] ?? 0) ^ 1;
    expect(await codeOf(verifyDownloadedFile(signed, download(tampered)))).toBe('FILE_MISMATCH');
    expect(await codeOf(verifyDownloadedFile(signed, download(app.subarray(1))))).toBe('FILE_MISMATCH');
    const elsewhere = join(cache, APP);
    copyFileSync(download(), elsewhere);
    expect(await codeOf(verifyDownloadedFile(signed, elsewhere))).toBe('FILE_MISMATCH');
  });

  it('refuses metadata signed with another key, changed after signing, or without a signature', async () => {
    await keygen('intruder');
    await publish(metadataFor(app), 'intruder');
    expect(await codeOf(fetchSignedRelease(fetchOptions()))).toBe('SIGNATURE_INVALID');

    await publish(metadataFor(app));
    writeFileSync(join(served, CHANNEL), metadataFor(randomBytes(10)));
    expect(await codeOf(fetchSignedRelease(fetchOptions()))).toBe('SIGNATURE_INVALID');

    await publish(metadataFor(app), null);
    expect(await codeOf(fetchSignedRelease(fetchOptions()))).toBe('SIGNATURE_MISSING');
  });

  it('trusts the update server only over TLS it can verify', async () => {
    const { ca: _ca, ...systemTrust } = fetchOptions();
    expect(await codeOf(fetchSignedRelease(systemTrust))).toBe('UNREACHABLE');
    expect(await codeOf(fetchSignedRelease({ ...fetchOptions(), updateUrl: updateUrl.replace('https:', 'http:') }))).toBe('UNREACHABLE');
  });

  it('takes the pinned key only as the raw 32 bytes, base64url', () => {
    expect(() => updatePublicKey(Buffer.alloc(32).toString('base64'))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(() => updatePublicKey('x'.repeat(42))).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });

  it("names the channel file as electron-updater's generic provider fetches it", () => {
    expect([channelFile('linux', 'x64'), channelFile('linux', 'arm64'), channelFile('win32', 'x64')]).toEqual([
      'latest-linux.yml',
      'latest-linux-arm64.yml',
      'latest.yml',
    ]);
  });
});

describe('runVerifiedUpdate', () => {
  /** An updater whose view and download the test sets, recording what it was asked to do. */
  const updater = (view: UpdaterView, downloaded: () => string) => {
    const calls: string[] = [];
    const port: UpdaterPort = {
      checkForUpdates: () => Promise.resolve({ isUpdateAvailable: true, updateInfo: view }),
      downloadUpdate: () => {
        calls.push('download');
        return Promise.resolve([downloaded()]);
      },
      quitAndInstall: () => calls.push('install'),
    };
    return { port, calls };
  };
  const goodView = (): UpdaterView => ({ version: '1.2.0', files: [{ url: APP_URL, sha512: sha512(app), size: app.length }] });
  const options = () => ({ ...fetchOptions(), idle: () => Promise.resolve() });

  it('installs a release only after its metadata and its file verify', async () => {
    const { port, calls } = updater(goodView(), () => download());
    await expect(runVerifiedUpdate(port, options())).resolves.toBe('1.2.0');
    expect(calls).toEqual(['download', 'install']);
  });

  it("refuses, before downloading, when electron-updater's view differs from the signed metadata", async () => {
    const other = randomBytes(1000);
    for (const view of [
      { ...goodView(), version: '1.3.0' },
      { version: '1.2.0', files: [{ url: APP_URL, sha512: sha512(other), size: other.length }] },
      { version: '1.2.0', files: [...goodView().files, { url: 'extra.deb', sha512: sha512(other), size: other.length }] },
    ]) {
      const { port, calls } = updater(view, () => download());
      expect(await codeOf(runVerifiedUpdate(port, options()))).toBe('VIEW_MISMATCH');
      expect(calls).toEqual([]);
    }
  });

  it('never installs a downloaded file that does not verify, nor anything without a valid signature', async () => {
    const tampered = updater(goodView(), () => download(randomBytes(app.length)));
    expect(await codeOf(runVerifiedUpdate(tampered.port, options()))).toBe('FILE_MISMATCH');
    expect(tampered.calls).toEqual(['download']);

    await publish(metadataFor(app), null);
    const unsigned = updater(goodView(), () => download());
    expect(await codeOf(runVerifiedUpdate(unsigned.port, options()))).toBe('SIGNATURE_MISSING');
    expect(unsigned.calls).toEqual([]);
  });

  it('does nothing when there is no newer release', async () => {
    const { port, calls } = updater(goodView(), () => download());
    port.checkForUpdates = () => Promise.resolve(null);
    await expect(runVerifiedUpdate(port, options())).resolves.toBeUndefined();
    expect(calls).toEqual([]);
  });
});
