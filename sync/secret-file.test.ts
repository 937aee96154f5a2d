import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSecretHex, secretBesideDatabase } from './secret-file.js';

class Bad extends Error {
  readonly code = 'BAD';
}
const parse = (text: string): Buffer => {
  const secret = parseSecretHex(text);
  if (!secret) throw new Bad();
  return secret;
};

describe('a secret beside a database', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'secret-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created 0600 with a new database, then read back; an existing database never gets a new one', () => {
    const db = join(dir, 'new.db');
    const file = `${db}.key`;
    const secret = secretBesideDatabase(file, db, parse, () => Buffer.alloc(32, 7));
    expect(secret).toEqual(Buffer.alloc(32, 7));
    expect(readFileSync(file, 'utf8')).toBe(`${'07'.repeat(32)}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(secretBesideDatabase(file, db, parse, () => Buffer.alloc(32, 9))).toEqual(secret);

    const old = join(dir, 'old.db');
    writeFileSync(old, '');
    expect(secretBesideDatabase(`${old}.key`, old, parse)).toBeUndefined();
  });

  it('hands a damaged file to the caller to refuse in its own words', () => {
    const db = join(dir, 'x.db');
    writeFileSync(`${db}.key`, 'not hex\n');
    expect(() => secretBesideDatabase(`${db}.key`, db, parse)).toThrow(Bad);
  });

  it('reads 64 hex characters only', () => {
    expect(parseSecretHex(` ${'aB'.repeat(32)}\n`)?.toString('hex')).toBe('ab'.repeat(32));
    for (const bad of ['', 'ab'.repeat(31), 'ab'.repeat(33), `${'ab'.repeat(31)}zz`]) expect(parseSecretHex(bad)).toBeUndefined();
  });
});
