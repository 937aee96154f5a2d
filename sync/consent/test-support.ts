// Shared by the consent tests: a fixed decision context, and throw-away copies of the published
// statements that a test may edit, re-version and re-pin without touching resources/consent.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinStatements } from './pin.js';
import { defaultStatementsDir, type Party } from './statements.js';
import { statementPath, type StatementFile } from './statement-format.js';

export const NOW = new Date('2025-03-12T13:03:00.000Z');

/** Deterministic v4-shaped UUIDs: ...0001, ...0002, ... */
export function sequentialIds(prefix = '00000000-0000-4000-8000'): () => string {
  let n = 0;
  return () => `${prefix}-${String(++n).padStart(12, '0')}`;
}

export const context = () => ({
  method: 'kiosk-eid' as const,
  storeId: 'store-gent-01',
  kioskId: 'kiosk-07',
  now: NOW,
  utcOffsetMinutes: 60,
  controlsTouched: [] as string[],
  newId: sequentialIds(),
});

export interface StatementsCopy {
  readonly dir: string;
  readFile(id: string, version: string): StatementFile;
  writeFile(file: StatementFile): void;
  /** Publishes `file` as a new version: writes it, pins it and makes it current for its party. */
  publish(file: StatementFile): void;
  remove(): void;
}

export function copyStatements(): StatementsCopy {
  const dir = mkdtempSync(join(tmpdir(), 'consent-statements-'));
  cpSync(defaultStatementsDir(), dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const copy: StatementsCopy = {
    dir,
    readFile: (id, version) => JSON.parse(readFileSync(statementPath(dir, id, version), 'utf8')) as StatementFile,
    writeFile: (file) => writeFileSync(statementPath(dir, file.id, file.version), JSON.stringify(file, null, 2)),
    publish(file) {
      copy.writeFile(file);
      pinStatements(dir);
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { current: Record<Party, unknown> };
      manifest.current[file.party] = { id: file.id, version: file.version };
      writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return copy;
}
