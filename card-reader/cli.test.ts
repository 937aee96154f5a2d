// The card command line as a function, for what needs no reader: usage errors are one message and
// exit 2, as every command line of the project. Reading through pcscd: test/cli.test.ts.
import { describe, expect, it } from 'vitest';
import { runCardCommand } from './cli.js';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const code = await runCardCommand(argv, {
    stdout: (t) => (out.stdout += t),
    stderr: (t) => (out.stderr += t),
    interrupted: new Promise(() => {}),
    debug: false,
  });
  return { code, ...out };
}

describe('card command line usage', () => {
  it.each([
    [[], 'no command'],
    [['scan'], 'unknown command "scan"'],
    [['virtual'], 'give exactly one of --profile and --dir'],
    [['virtual', '--profile', 'x', '--dir', 'y'], 'give exactly one of --profile and --dir'],
    [['virtual', '--profile', 'nobody'], 'unknown profile "nobody"'],
    [['virtual', '--profile', 'applet17-rsa', '--slot', '2'], '--slot is 0 or 1'],
    [['virtual', '--profile', 'applet17-rsa', '--slot', 'one'], '--slot takes a whole number, not "one"'],
    [['read', '--colour'], "Unknown option '--colour'"],
    [['read', 'now'], 'unexpected argument "now"'],
  ])('%j is a usage error: exit 2, the reason and the usage on stderr, nothing on stdout', async (argv, reason) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: ${reason}`);
    expect(r.stderr).toContain('usage:');
  });

  it('prints the usage on --help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^usage:/);
  });

  it('fails with one coded line on stderr: a trust root that cannot be parsed', async () => {
    const r = await run(['read', '--trust', new URL(import.meta.url).pathname]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^error: [A-Z_]+: [^\n]*\n$/);
  });
});
