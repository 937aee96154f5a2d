// The manager PIN: an scrypt hash in a small JSON file (mode 0600), never the PIN itself. After
// MAX_TRIES wrong PINs the view locks, and each further lock-out lasts twice as long as the one
// before (30 s, 60 s, 120 s, ... capped at a day). The counters live in the same file, so a restart
// does not reset them. The clock is injected. The staff codes (staff-codes.ts) are kept and locked
// the same way, with the helpers exported here.
import { randomBytes as nodeRandomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { ErrorCode } from '../api/contract.js';
import { HostError } from './errors.js';

export const MAX_TRIES = 5;
const FIRST_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 24 * 60 * 60;
/** scrypt cost: about 50 ms here, enough that a stolen file is slow to brute-force for 6+ digits. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, keylen: 32, maxmem: 64 * 1024 * 1024 };

export const PinFormat = z.string().regex(/^\d{4,12}$/, 'PIN_FORMAT');

export const ScryptHash = z.strictObject({
  salt: z.string(),
  hash: z.string(),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
});
export type ScryptHash = z.infer<typeof ScryptHash>;

/** The wrong-try counters, kept in the secret's own file. */
export const Attempts = z.strictObject({
  failures: z.number().int().nonnegative(),
  lockouts: z.number().int().nonnegative(),
  lockedUntil: z.string().optional(),
});
export type Attempts = z.infer<typeof Attempts>;
export const NO_ATTEMPTS: Attempts = { failures: 0, lockouts: 0 };

const PinFile = z.strictObject({ scrypt: ScryptHash, ...Attempts.shape });
type PinFile = z.infer<typeof PinFile>;

export function hashSecret(secret: string, randomBytes: (n: number) => Buffer = nodeRandomBytes): ScryptHash {
  const salt = randomBytes(16);
  const hash = scryptSync(secret.normalize('NFC'), salt, SCRYPT.keylen, SCRYPT);
  return { salt: salt.toString('base64'), hash: hash.toString('base64'), N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p };
}

export function secretMatches(secret: string, { salt, hash, N, r, p }: ScryptHash): boolean {
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(secret.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, { N, r, p, maxmem: SCRYPT.maxmem });
  return timingSafeEqual(actual, expected);
}

/** The codes a secret's refusals answer with. */
export interface LockCodes {
  wrong: ErrorCode;
  locked: ErrorCode;
}

/** Refuses with `locked` (retryAfterSeconds) while a lock-out lasts. */
export function refuseWhileLocked(attempts: Attempts, now: Date, codes: LockCodes): void {
  const lockedFor = attempts.lockedUntil ? Math.ceil((Date.parse(attempts.lockedUntil) - now.getTime()) / 1000) : 0;
  if (lockedFor > 0) throw new HostError(codes.locked, { retryAfterSeconds: lockedFor });
}

/** One more wrong try: the counters to write, and the refusal to throw once they are written. */
export function wrongTry(attempts: Attempts, now: Date, codes: LockCodes): { attempts: Attempts; refusal: HostError } {
  const failures = attempts.failures + 1;
  if (failures < MAX_TRIES) {
    return {
      attempts: { failures, lockouts: attempts.lockouts },
      refusal: new HostError(codes.wrong, { triesLeft: MAX_TRIES - failures }),
    };
  }
  const seconds = Math.min(FIRST_LOCK_SECONDS * 2 ** attempts.lockouts, MAX_LOCK_SECONDS);
  return {
    attempts: { failures: 0, lockouts: attempts.lockouts + 1, lockedUntil: new Date(now.getTime() + seconds * 1000).toISOString() },
    refusal: new HostError(codes.locked, { retryAfterSeconds: seconds }),
  };
}

/** Nothing to reset after a right try when no counter moved: the file is not rewritten for nothing. */
export const hasAttempts = (a: Attempts): boolean => a.failures > 0 || a.lockouts > 0 || a.lockedUntil !== undefined;

/** Written beside and renamed over, so a crash never leaves half a file (and never loses the counters). */
export function writePrivateJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export interface PinStoreOptions {
  path: string;
  now: () => Date;
  randomBytes?: (n: number) => Buffer;
}

const PIN_CODES: LockCodes = { wrong: 'PIN_WRONG', locked: 'PIN_LOCKED' };

export class PinStore {
  constructor(private readonly opts: PinStoreOptions) {}

  isSet(): boolean {
    return existsSync(this.opts.path);
  }

  /** Sets (or replaces) the PIN and clears the counters. */
  set(pin: string): void {
    if (!PinFormat.safeParse(pin).success) throw new HostError('INVALID_REQUEST', { fields: { pin: 'PIN_FORMAT' } });
    this.#write({ scrypt: hashSecret(pin, this.opts.randomBytes), ...NO_ATTEMPTS });
  }

  /** Resolves when the PIN is right; otherwise PIN_WRONG (triesLeft) or PIN_LOCKED (retryAfterSeconds). */
  verify(pin: string): void {
    const file = this.#read();
    const now = this.opts.now();
    refuseWhileLocked(file, now, PIN_CODES);
    if (secretMatches(pin, file.scrypt)) {
      if (hasAttempts(file)) this.#write({ scrypt: file.scrypt, ...NO_ATTEMPTS });
      return;
    }
    const { attempts, refusal } = wrongTry(file, now, PIN_CODES);
    this.#write({ scrypt: file.scrypt, ...attempts });
    throw refusal;
  }

  #read(): PinFile {
    if (!this.isSet()) throw new HostError('PIN_NOT_SET');
    const parsed = PinFile.safeParse(JSON.parse(readFileSync(this.opts.path, 'utf8')));
    if (!parsed.success) throw new HostError('PIN_NOT_SET');
    return parsed.data;
  }

  #write(file: PinFile): void {
    writePrivateJson(this.opts.path, file);
  }
}
