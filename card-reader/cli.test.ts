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
  ])('%j is a usage error: exit 2, the reason and the usage on stderr, nothing on stdout', async (argv, reason) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: ${reason}`);
    expect(r.stderr).toContain('usage:');
  });
});
