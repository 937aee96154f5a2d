import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchKeyFilePath, resolveMatchSecret } from './match-secret.js';
import { serve } from './server.js';
import { freshDatabase } from './test/fixtures/registry.js';

describe('the matching secret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'match-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created 0600 beside a new SQLite database, then read back, and never invented for an existing one', () => {
    const db = join(dir, 'registry.db');
    const secret = resolveMatchSecret(db, false, undefined, {});
    expect(secret).toHaveLength(32);
    expect(statSync(matchKeyFilePath(db)).mode & 0o777).toBe(0o600);
    expect(resolveMatchSecret(db, false, undefined, {})).toEqual(secret);
    const old = join(dir, 'old.db');
    writeFileSync(old, '');
    expect(resolveMatchSecret(old, false, undefined, {})).toBeUndefined();
  });

  it('comes from REGISTRY_MATCH_KEY first, then from the file given; anything but 64 hex characters is refused', () => {
    const hex = 'ab'.repeat(32);
    const file = join(dir, 'secret');
    writeFileSync(file, `${'cd'.repeat(32)}\n`);
    expect(resolveMatchSecret('postgres://x', true, file, { REGISTRY_MATCH_KEY: hex })?.toString('hex')).toBe(hex);
    expect(resolveMatchSecret('postgres://x', true, file, {})?.toString('hex')).toBe('cd'.repeat(32));
    expect(resolveMatchSecret('postgres://x', true, undefined, {})).toBeUndefined();
    expect(() => resolveMatchSecret('postgres://x', true, undefined, { REGISTRY_MATCH_KEY: 'short' })).toThrow(
      expect.objectContaining({ code: 'NO_MATCH_KEY' }),
    );
  });

  it('must exist before a PostgreSQL registry serves', async () => {
    const fresh = await freshDatabase('postgres');
    const saved = process.env.REGISTRY_MATCH_KEY;
    delete process.env.REGISTRY_MATCH_KEY;
    try {
      await expect(serve({ port: 0, db: fresh.db, ...(fresh.pgSchema ? { pgSchema: fresh.pgSchema } : {}) })).rejects.toMatchObject({
        code: 'NO_MATCH_KEY',
      });
    } finally {
      if (saved !== undefined) process.env.REGISTRY_MATCH_KEY = saved;
      await fresh.dispose();
    }
  });
});
