// The kiosk command line in-process, for what needs no reader: usage errors exit 2 as every command
// line of the project, and set-pin reads the PIN from stdin, never from argv. `serve --demo` as a
// program, through pcscd: cli.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runKioskCommand } from './cli.js';
import { PinStore } from './pin.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function kiosk(argv: string[], stdin?: string) {
  const out = { stdout: '', stderr: '' };
  const code = await runKioskCommand(argv, {
    stdout: (t) => (out.stdout += t),
    stderr: (t) => (out.stderr += t),
    env: {},
    readLine: async () => stdin,
    interrupted: new Promise(() => {}),
  });
  return { code, ...out };
}

describe('kiosk command line', () => {
  it.each([
    [[], 'no command'],
    [['start'], 'unknown command start'],
    [['serve'], '--port is required (0 picks a free one)'],
    [['serve', '--port', '70000'], '--port must be an integer 0-65535'],
    [['serve', '--port', '0', '--registry', 'https://registry.example'], 'give --registry and --token-file together'],
    [['serve', '--colour'], "Unknown option '--colour'"],
    [['set-pin', '--pin-file', 'pin.json'], 'no PIN on stdin'],
  ])('%j is a usage error: exit 2, the reason and the usage on stderr, nothing on stdout', async (argv, reason) => {
    const r = await kiosk(argv);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toContain(reason);
    expect(r.stderr).toContain('\nusage: kiosk <command>');
  });

  it('prints the usage on --help and exits 0', async () => {
    const r = await kiosk(['--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^usage: kiosk <command>/);
  });

  it('sets the PIN read from stdin', async () => {
    const pinFile = join(dir, 'manager-pin.json');
    expect(await kiosk(['set-pin', '--pin-file', pinFile], '482916\n')).toEqual({ code: 0, stdout: `PIN set in ${pinFile}\n`, stderr: '' });
    const pins = new PinStore({ path: pinFile, now: () => new Date() });
    expect(() => pins.verify('482916')).not.toThrow();
    expect(() => pins.verify('111111')).toThrow();
  });
});
