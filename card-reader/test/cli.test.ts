// The command line end to end, as separate processes: `virtual` inserts a generated card into
// reader 00 01, `read --json` reads it through pcscd and prints one JSON object.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeTlv } from '../eid/tlv.js';
import type { CardRead } from '../read-card.js';
import { profile, requirePcscd } from './support.js';

const ROOT = new URL('../../', import.meta.url).pathname;

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function cli(args: string[]): Run {
  // Its own process group: npx does not pass SIGTERM on to tsx, so a signal goes to the group.
  const child = spawn('npx', ['tsx', 'card-reader/cli.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const run: Run = { child, stdout: '', stderr: '', exited: once(child, 'exit').then(([code]) => code as number | null) };
  child.stdout!.on('data', (d: Buffer) => (run.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (run.stderr += d.toString()));
  return run;
}

/** Resolves with the first match of `pattern` in the process's stderr. */
/** SIGTERM to the command's process group (npx, tsx and node), as Ctrl-C would reach all three. */
function stop(run: Run): void {
  try {
    process.kill(-run.child.pid!, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

function waitForStderr(run: Run, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(run.stderr);
      if (m) {
        run.child.stderr!.off('data', check);
        resolve(m);
      }
    };
    run.child.stderr!.on('data', check);
    void run.exited.then((code) => reject(new Error(`exited ${code} before printing ${pattern}: ${run.stderr}`)));
    check();
  });
}

let dir: string;
let noPcscd: unknown;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eid-cli-test-'));
  noPcscd = await requirePcscd().then(
    () => undefined,
    (err: unknown) => err,
  );
});
// Each test fails (never skips) when pcscd is missing.
beforeEach(() => {
  if (noPcscd) throw noPcscd;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run card', () => {
  it('reads a virtual card as one JSON object without the national register number', async () => {
    const field = decodeTlv((await profile('applet17-rsa')).files['identity.tlv']!, 'identity').find((f) => f.tag === 0x06)!;
    const nationalNumber = Buffer.from(field.value).toString('latin1');
    const virtual = cli(['virtual', '--profile', 'applet17-rsa', '--slot', '1']);
    let read: Run | undefined;
    try {
      const [, rootPem] = await waitForStderr(virtual, /--trust (\S+\.pem)/);
      const photoFile = join(dir, 'photo.jpg');
      read = cli(['read', '--json', '--reader', 'Virtual PCD 00 01', '--trust', rootPem!, '--photo', photoFile]);
      expect(await read.exited, read.stderr).toBe(0);

      const result = JSON.parse(read.stdout) as Omit<CardRead, 'photo'>;
      expect(result.identity).toMatchObject({
        surname: 'Müller-Lefèvre',
        firstNames: 'Zoé Anaïs',
        birthDate: '1985-07-15',
        sex: 'F',
        documentType: 1,
        specialStatus: 0,
      });
      expect(result.address).toEqual({ street: "Rue de l'Église 12", postalCode: '4000', municipality: 'Liège' });
      expect(result.card).toMatchObject({ appletVersion: '1.7', reader: 'Virtual PCD 00 01' });
      expect(Object.values(result.verification).every((v) => v.ok)).toBe(true);
      expect(result.apdus).toBe(29);
      expect(result).not.toHaveProperty('photo');
      expect(await readFile(photoFile)).toEqual(Buffer.from((await profile('applet17-rsa')).files['photo.jpg']!));

      stop(virtual);
      await virtual.exited;
      await waitForStderr(virtual, /virtual card removed after 29 APDUs/);
      for (const text of [read.stdout, read.stderr, virtual.stdout, virtual.stderr]) expect(text).not.toContain(nationalNumber);
    } finally {
      stop(virtual);
      if (read) stop(read);
    }
  }, 30_000);

  it('fails with one line on stderr and a non-zero exit when the reader does not exist', async () => {
    const read = cli(['read', '--json', '--reader', 'No Such Reader']);
    try {
      expect(await read.exited).toBe(1);
      expect(read.stdout).toBe('');
      const lines = read.stderr.split('\n').filter((l) => l.trim() !== '' && !l.includes('npm warn'));
      expect(lines).toEqual([expect.stringMatching(/^error: NO_READER: .*No Such Reader/)]);
    } finally {
      stop(read);
    }
  }, 30_000);
});
