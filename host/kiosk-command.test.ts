// The kiosk command line in-process, for what needs no reader: usage errors exit 2 as every command
// line of the project, and set-pin reads the PIN from stdin, never from argv. `serve --demo` as a
// program, through pcscd: cli.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    // The data folder is the test's own, so no kiosk.json of the machine's is found.
    env: { XDG_DATA_HOME: dir },
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
    // The options go through the configuration's schema: its minimum is 10 s (the command line allowed 5).
    [['serve', '--port', '0', '--demo', '--idle-seconds', '5'], '--idle-seconds: Too small: expected number to be >=10'],
    [
      ['serve', '--port', '0', '--demo', '--countdown-seconds', 'soon'],
      '--countdown-seconds: Invalid input: expected number, received NaN',
    ],
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

  it('without a configuration serves the set-up screen, never the demo', async () => {
    let stop = () => {};
    const out = { stdout: '', stderr: '' };
    const code = await runKioskCommand(['serve', '--port', '0', '--data-dir', join(dir, 'data')], {
      stdout: (t) => {
        out.stdout += t;
        stop();
      },
      stderr: (t) => (out.stderr += t),
      env: { XDG_DATA_HOME: dir },
      readLine: async () => undefined,
      interrupted: new Promise<void>((resolve) => (stop = resolve)),
    });
    expect(code).toBe(0);
    expect(out.stdout).toMatch(/^kiosk ui: http:\/\/127\.0\.0\.1:\d+\/#ticket=/);
    expect(out.stderr).toContain('serving the set-up screen (it enrolls nobody)');
    expect(out.stderr).not.toContain('demo');
  });

  it('answers a configuration the schema refuses with one coded line naming the field', async () => {
    const config = join(dir, 'kiosk.json');
    writeFileSync(config, JSON.stringify({ chainId: 'c', chainName: 'C', storeId: 's', kioskId: 'k', idleSeconds: 5 }));
    const r = await kiosk(['serve', '--port', '0', '--demo', '--config', config]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(
      `error: CONFIG_INVALID: The kiosk configuration is not valid. (${config}: idleSeconds: Too small: expected number to be >=10)\n`,
    );
  });
});
