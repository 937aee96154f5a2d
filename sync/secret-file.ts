// A 32-byte secret kept in a file beside a SQLite database (the kiosk store's key for the command
// line, the registry's matching secret): read when the file is there, created 0600 together with a
// new database, and never invented for an existing one (data sealed or digested under the old
// secret would silently stop opening or matching). Written as 64 hex characters and a newline.
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const SECRET_BYTES = 32;

/** 64 hex characters (white space around them allowed) as 32 bytes; undefined for anything else. */
export function parseSecretHex(text: string): Buffer | undefined {
  const t = text.trim();
  return /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : undefined;
}

/**
 * The secret in `file`, parsed by the caller (which names a bad one in its own error); a new one
 * when neither `file` nor `dbPath` exists yet; undefined for an existing database without one.
 */
export function secretBesideDatabase(
  file: string,
  dbPath: string,
  parse: (text: string) => Buffer,
  randomBytes: (n: number) => Buffer = nodeRandomBytes,
): Buffer | undefined {
  if (existsSync(file)) return parse(readFileSync(file, 'utf8'));
  if (existsSync(dbPath)) return undefined;
  const secret = randomBytes(SECRET_BYTES);
  writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' }); // wx: never overwrite a secret
  return secret;
}
