// The database key for command-line use (the kiosk app gets its key from Electron safeStorage):
// KIOSK_DB_KEY (64 hex characters) wins; otherwise `<db>.key` beside the database, created with
// mode 0600 together with a new database, never invented for an existing one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { parseHexKey } from './cipher.js';
import { StoreError } from './errors.js';

export const keyFilePath = (dbPath: string): string => `${dbPath}.key`;

export function resolveCliKey(
  dbPath: string,
  env: Record<string, string | undefined>,
  randomBytes: (n: number) => Buffer = nodeRandomBytes,
): Buffer {
  const fromEnv = env.KIOSK_DB_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return parseHexKey(fromEnv);
  const file = keyFilePath(dbPath);
  if (existsSync(file)) return parseHexKey(readFileSync(file, 'utf8'));
  if (existsSync(dbPath)) throw new StoreError('NO_KEY', file);
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' }); // wx: never overwrite a key
  return key;
}
