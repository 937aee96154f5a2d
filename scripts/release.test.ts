// The chain's signing tool on common/cli.ts's convention: a private key only its owner reads and
// never overwritten, and a signature only over metadata a kiosk would accept. The kiosk side of the
// signature is electron/update-verify.test.ts.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { updatePublicKey, verifyMetadata } from '../electron/update-verify.js';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, runReleaseCommand } from './release.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'release-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...argv: string[]) => {
  const out = { stdout: '', stderr: '' };
  const code = await runReleaseCommand(argv, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) });
  return { code, ...out };
};
const METADATA = `version: 2.0.1\nfiles:\n  - url: kiosk.deb\n    sha512: ${'A'.repeat(86)}==\n    size: 10\npath: kiosk.deb\n`;

it('makes a key pair whose private half only its owner reads, and never overwrites it', async () => {
  const keys = join(dir, 'keys');
  const made = await run('keygen', '--out', keys);
  const publicKey = readFileSync(join(keys, PUBLIC_KEY_FILE), 'utf8').trim();
  expect(made).toEqual({ code: 0, stdout: `updatePublicKey: ${publicKey}\n`, stderr: '' });
  expect(statSync(join(keys, PRIVATE_KEY_FILE)).mode & 0o777).toBe(0o600);
  expect((await run('keygen', '--out', keys)).stderr).toMatch(/^error: EEXIST: /);
});

it('signs release metadata so that the pinned public key verifies it', async () => {
  const keys = join(dir, 'keys');
  await run('keygen', '--out', keys);
  const metadata = join(dir, 'latest-linux.yml');
  writeFileSync(metadata, METADATA);
  const signed = await run('sign', '--key', join(keys, PRIVATE_KEY_FILE), metadata);
  const publicKey = readFileSync(join(keys, PUBLIC_KEY_FILE), 'utf8').trim();
  expect(signed).toMatchObject({ code: 0, stdout: `latest-linux.yml.sig: version 2.0.1, 1 file(s), updatePublicKey ${publicKey}\n` });
  const release = verifyMetadata(readFileSync(metadata), readFileSync(`${metadata}.sig`, 'utf8'), updatePublicKey(publicKey));
  expect(release).toEqual({ version: '2.0.1', files: [{ url: 'kiosk.deb', sha512: `${'A'.repeat(86)}==`, size: 10 }] });
});

it('refuses to sign what a kiosk would refuse, and says how it is used', async () => {
  await run('keygen', '--out', dir);
  const metadata = join(dir, 'latest.yml');
  writeFileSync(metadata, 'version: 2.0.1\nfiles: []\n');
  const refused = await run('sign', '--key', join(dir, PRIVATE_KEY_FILE), metadata);
  expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: METADATA_INVALID: /) as unknown });
  expect(() => statSync(`${metadata}.sig`)).toThrow();
  expect(await run('sign', metadata)).toMatchObject({ code: 2, stderr: expect.stringContaining('--key is required') as unknown });
  expect(await run('keygen')).toMatchObject({ code: 2 });
});
