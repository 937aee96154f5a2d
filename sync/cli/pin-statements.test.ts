// The pinning command in-process on a throw-away copy of the published statements.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyStatements, type StatementsCopy } from '../test/fixtures/statements.js';
import { runPinStatements } from './pin-statements.js';

let copy: StatementsCopy;
beforeEach(() => {
  copy = copyStatements();
});
afterEach(() => copy.remove());

async function pin(argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await runPinStatements(argv, { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) });
  return { code, ...out };
}

describe('pin-statements', () => {
  it('pins a new version once, in every language, and then has nothing new', async () => {
    expect(await pin([copy.dir])).toEqual({ code: 0, stdout: 'nothing new to pin\n', stderr: '' });
    copy.writeFile({ ...copy.readFile('demo-retail-loyalty', '1'), version: '99' });
    const first = await pin([copy.dir]);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n').filter(Boolean)).toEqual(
      ['nl', 'fr', 'de', 'en'].map((l) => expect.stringMatching(new RegExp(`^pinned demo-retail-loyalty v99 ${l} [0-9a-f]{64}$`))),
    );
    expect((await pin([copy.dir])).stdout).toBe('nothing new to pin\n');
  });

  it.each([[['a', 'b']], [['--force']]])('%j is a usage error: exit 2 and the usage', async (argv) => {
    const r = await pin(argv);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^error: .*\nusage: /);
  });

  it('fails with a coded line on a folder without statements', async () => {
    const r = await pin([`${copy.dir}/missing`]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^error: \S+: /);
  });
});
