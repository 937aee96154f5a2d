// Opening the kiosk store: the project's SQLite pragmas on every open (../db/sqlite.ts), the
// migrations, a check that the injected key is the one this database was written with, and the
// recovery of items a crash left 'sending' (their idempotency keys make the resend safe).
import type { Database } from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { Logger } from 'pino';
import { DEFAULT_BUSY_TIMEOUT_MS, openSqlite } from '../db/sqlite.js';
import { logger } from '../log.js';
import { createFieldCipher, type FieldCipher } from './cipher.js';
import { StoreError, translateSqliteError } from './errors.js';
import { migrate } from './migrate.js';
import type { Migration } from './migrations/index.js';
import { recoverSending } from './outbox-items.js';
import { openSigningKey, type KioskSigningKey } from './signing-key.js';
import { immediate } from './tx.js';
import { uuidv7 } from '../uuid7.js';

export interface Store {
  readonly db: Database;
  readonly cipher: FieldCipher;
  /** Source of idempotency keys (time-ordered UUIDs by default); injected so tests are deterministic. */
  readonly newId: () => string;
  readonly log: Logger;
  /** This kiosk's id, from its configuration: commits naming another kiosk are refused. */
  readonly kioskId?: string;
  /** The kiosk's signing key (signing-key.ts): every consent record is signed with it when committed. */
  readonly signingKey: KioskSigningKey;
  close(): void;
}

export interface OpenStoreOptions {
  readonly path: string;
  /** 32 bytes from the host (Electron safeStorage); never stored in the database. */
  readonly key: Uint8Array;
  readonly newId?: () => string;
  readonly log?: Logger;
  readonly kioskId?: string;
  readonly busyTimeoutMs?: number;
  readonly migrations?: readonly Migration[];
  /** Put items left 'sending' back to 'pending' (default). Only the process that syncs may do this:
   *  a manager tool opening the database beside the running kiosk must not pull items from under it. */
  readonly recoverInFlight?: boolean;
}

const KEY_CHECK = 'key-check';
const KEY_CHECK_PLAIN = 'eid-kiosk-store';

/** A connection with the project's pragmas and secure_delete (a purged payload leaves no copy); what every open goes through. */
export function openDatabase(path: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): Database {
  try {
    return openSqlite(path, { busyTimeoutMs, secureDelete: true });
  } catch (e) {
    throw translateSqliteError(e);
  }
}

/** For tools that work on an existing kiosk database only: a missing or empty file is a coded error, never a new database. */
export function assertExistingDatabase(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new StoreError('DB_MISSING', path);
  }
  if (size === 0) throw new StoreError('DB_EMPTY', path);
}

export function openStore(options: OpenStoreOptions): Store {
  const cipher = createFieldCipher(options.key);
  const db = openDatabase(options.path, options.busyTimeoutMs);
  const log = options.log ?? logger('store');
  let signingKey: KioskSigningKey;
  try {
    const { from, to } = migrate(db, options.migrations);
    if (from !== to) log.info({ from, to }, 'store migrated');
    checkKey(db, cipher);
    signingKey = openSigningKey(db, cipher);
    if (options.recoverInFlight ?? true) {
      const recovered = immediate(db, () => recoverSending(db));
      if (recovered > 0) log.warn({ recovered }, 'items left sending by an interrupted sync are pending again');
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return {
    db,
    cipher,
    newId: options.newId ?? (() => uuidv7()),
    log,
    signingKey,
    ...(options.kioskId !== undefined ? { kioskId: options.kioskId } : {}),
    close: () => db.close(),
  };
}

/** The first open seals a known value; later opens must unseal it, or the key is not this db's. */
function checkKey(db: Database, cipher: FieldCipher): void {
  const row = db.prepare('SELECT value FROM store_meta WHERE name = ?').get(KEY_CHECK) as { value: Buffer } | undefined;
  if (row) {
    if (cipher.open(row.value, KEY_CHECK) !== KEY_CHECK_PLAIN) throw new StoreError('BAD_KEY', KEY_CHECK);
    return;
  }
  immediate(db, () =>
    db.prepare('INSERT INTO store_meta (name, value) VALUES (?, ?)').run(KEY_CHECK, cipher.seal(KEY_CHECK_PLAIN, KEY_CHECK)),
  );
}
