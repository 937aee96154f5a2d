// The registry's matching secret (the HMAC key of the strong-key digests, matching.ts). Kept out of
// the database, so a copy of the database alone cannot test guesses against the digests:
// REGISTRY_MATCH_KEY (64 hex characters) wins; else the file given; else `<db>.match-key` beside a
// SQLite database, created 0600 together with a new database and never invented for an existing one
// (a new secret would silently stop every existing profile from matching).
import { readFileSync } from 'node:fs';
import { parseSecretHex, secretBesideDatabase } from '../sync/secret-file.js';
import { RegistryError } from './errors.js';

export const MATCH_KEY_ENV = 'REGISTRY_MATCH_KEY';
export const matchKeyFilePath = (dbPath: string): string => `${dbPath}.match-key`;

function parse(hex: string, where: string): Buffer {
  const secret = parseSecretHex(hex);
  if (!secret) throw new RegistryError('NO_MATCH_KEY', `${where} must hold 64 hex characters`);
  return secret;
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
  return secretBesideDatabase(beside, db, (text) => parse(text, beside));
}
