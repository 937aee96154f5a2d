// Every part's loggers redact personal data, whatever object it slips into, and take the level the
// entry point sets (common/log.ts). Each logger runs in a child process, as an entry point would
// run it, and its real stderr is read.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const NAME = 'Zwerkelbrouck';
const EMAIL = 'quintijn@example.be';

/** The stderr lines of a logger made at import, then configured to info, logging `fields`. */
function logLines(module: string, fields: object): Record<string, unknown>[] {
  const script = `
    const { logger, configureLogging } = await import(${JSON.stringify(pathToFileURL(join(ROOT, module)).href)});
    const log = logger('redaction-test');
    log.info('before configureLogging: not written');
    configureLogging('info');
    log.info(${JSON.stringify(fields)}, 'after');`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    // The import-time default (silent under a test runner); LOG_LEVEL is the entry points' to read, not the logger's.
    env: { ...process.env, VITEST: 'true', LOG_LEVEL: 'debug' },
  });
  expect(child.status, child.stderr).toBe(0);
  return child.stderr
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe.each([
  ['card-reader/log.ts', { surname: NAME, identity: { surname: NAME }, holder: { firstNames: NAME }, apdus: 7 }],
  ['sync/log.ts', { email: EMAIL, person: { surname: NAME }, customer: { firstNames: NAME, email: EMAIL }, items: 7 }],
])('%s', (module, fields) => {
  it('redacts names and e-mail addresses at the top and one level down, and keeps the rest', () => {
    const lines = logLines(module, fields);
    expect(lines.map((l) => l.msg)).toEqual(['after']);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(NAME);
    expect(text).not.toContain(EMAIL);
    expect(text).toContain('[redacted]');
    expect(lines[0]).toMatchObject({ mod: 'redaction-test' });
    expect(Object.values(lines[0]!)).toContain(7);
  });
});
