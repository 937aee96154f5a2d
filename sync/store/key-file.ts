// The database key for command-line use (the kiosk app gets its key from Electron safeStorage):
// KIOSK_DB_KEY (64 hex characters) wins; otherwise `<db>.key` beside the database, created with
// mode 0600 together with a new database, never invented for an existing one.
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { secretBesideDatabase } from '../secret-file.js';
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
  const key = secretBesideDatabase(file, dbPath, parseHexKey, randomBytes);
  if (!key) throw new StoreError('NO_KEY', file);
  return key;
}
