// The manager PIN: an scrypt hash in a small JSON file (mode 0600), never the PIN itself. After
// MAX_TRIES wrong PINs the view locks, and each further lock-out lasts twice as long as the one
// before (30 s, 60 s, 120 s, ... capped at a day). The counters live in the same file, so a restart
// does not reset them. The clock is injected.
import { randomBytes as nodeRandomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { HostError } from './errors.js';

export const MAX_TRIES = 5;
const FIRST_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 24 * 60 * 60;
/** scrypt cost: about 50 ms here, enough that a stolen file is slow to brute-force for 6+ digits. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, keylen: 32, maxmem: 64 * 1024 * 1024 };

export const PinFormat = z.string().regex(/^\d{4,12}$/, 'PIN_FORMAT');

const PinFile = z.strictObject({
  scrypt: z.strictObject({ salt: z.string(), hash: z.string(), N: z.number().int(), r: z.number().int(), p: z.number().int() }),
  failures: z.number().int().nonnegative(),
  lockouts: z.number().int().nonnegative(),
  lockedUntil: z.string().optional(),
});
type PinFile = z.infer<typeof PinFile>;

export interface PinStoreOptions {
  path: string;
  now: () => Date;
  randomBytes?: (n: number) => Buffer;
}

export class PinStore {
  constructor(private readonly opts: PinStoreOptions) {}

  isSet(): boolean {
    return existsSync(this.opts.path);
  }

  /** Sets (or replaces) the PIN and clears the counters. */
  set(pin: string): void {
    if (!PinFormat.safeParse(pin).success) throw new HostError('INVALID_REQUEST', { fields: { pin: 'PIN_FORMAT' } });
    const salt = (this.opts.randomBytes ?? nodeRandomBytes)(16);
    const hash = scryptSync(pin.normalize('NFC'), salt, SCRYPT.keylen, SCRYPT);
    this.#write({
      scrypt: { salt: salt.toString('base64'), hash: hash.toString('base64'), N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p },
      failures: 0,
      lockouts: 0,
    });
  }

  /** Resolves when the PIN is right; otherwise PIN_WRONG (triesLeft) or PIN_LOCKED (retryAfterSeconds). */
  verify(pin: string): void {
    const file = this.#read();
    const now = this.opts.now();
    const lockedFor = file.lockedUntil ? Math.ceil((Date.parse(file.lockedUntil) - now.getTime()) / 1000) : 0;
    if (lockedFor > 0) throw new HostError('PIN_LOCKED', { retryAfterSeconds: lockedFor });
    const { salt, hash, N, r, p } = file.scrypt;
    const expected = Buffer.from(hash, 'base64');
    const actual = scryptSync(pin.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, { N, r, p, maxmem: SCRYPT.maxmem });
    if (timingSafeEqual(actual, expected)) {
      if (file.failures > 0 || file.lockouts > 0 || file.lockedUntil) this.#write({ scrypt: file.scrypt, failures: 0, lockouts: 0 });
      return;
    }
    const failures = file.failures + 1;
    if (failures < MAX_TRIES) {
      this.#write({ scrypt: file.scrypt, failures, lockouts: file.lockouts });
      throw new HostError('PIN_WRONG', { triesLeft: MAX_TRIES - failures });
    }
    const seconds = Math.min(FIRST_LOCK_SECONDS * 2 ** file.lockouts, MAX_LOCK_SECONDS);
    this.#write({
      scrypt: file.scrypt,
      failures: 0,
      lockouts: file.lockouts + 1,
      lockedUntil: new Date(now.getTime() + seconds * 1000).toISOString(),
    });
    throw new HostError('PIN_LOCKED', { retryAfterSeconds: seconds });
  }

  #read(): PinFile {
    if (!this.isSet()) throw new HostError('PIN_NOT_SET');
    const parsed = PinFile.safeParse(JSON.parse(readFileSync(this.opts.path, 'utf8')));
    if (!parsed.success) throw new HostError('PIN_NOT_SET');
    return parsed.data;
  }

  /** Written beside and renamed over, so a crash never leaves half a file (and never loses the counters). */
  #write(file: PinFile): void {
    mkdirSync(dirname(this.opts.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.opts.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(file)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.opts.path);
  }
}
