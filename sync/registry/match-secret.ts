// The registry's matching secret (the HMAC key of the strong-key digests, matching.ts). Kept out of
// the database, so a copy of the database alone cannot test guesses against the digests:
// REGISTRY_MATCH_KEY (64 hex characters) wins; else the file given; else `<db>.match-key` beside a
// SQLite database, created 0600 together with a new database and never invented for an existing one
// (a new secret would silently stop every existing profile from matching).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { RegistryError } from './errors.js';

export const MATCH_KEY_ENV = 'REGISTRY_MATCH_KEY';
export const matchKeyFilePath = (dbPath: string): string => `${dbPath}.match-key`;

function parse(hex: string, where: string): Buffer {
  const t = hex.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(t)) throw new RegistryError('NO_MATCH_KEY', `${where} must hold 64 hex characters`);
  return Buffer.from(t, 'hex');
}

/** The secret, or undefined when none is configured (a PostgreSQL registry without one cannot match). */
export function resolveMatchSecret(
  db: string,
  isPostgres: boolean,
  file?: string,
  env: NodeJS.ProcessEnv = process.env,
): Buffer | undefined {
  const fromEnv = env[MATCH_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return parse(fromEnv, MATCH_KEY_ENV);
  if (file !== undefined) return parse(readFileSync(file, 'utf8'), file);
  if (isPostgres) return undefined;
  const beside = matchKeyFilePath(db);
  if (existsSync(beside)) return parse(readFileSync(beside, 'utf8'), beside);
  if (existsSync(db)) return undefined;
  const secret = randomBytes(32);
  writeFileSync(beside, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' }); // wx: never overwrite a secret
  return secret;
}
