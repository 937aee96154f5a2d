// Opening the kiosk store: durability pragmas on every open (better-sqlite3 reopens a WAL database at
// synchronous=NORMAL otherwise, which can roll back committed transactions on power loss), the
// migrations, a check that the injected key is the one this database was written with, and the
// recovery of items a crash left 'sending' (their idempotency keys make the resend safe).
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { logger } from '../log.js';
import { createFieldCipher, type FieldCipher } from './cipher.js';
import { StoreError, translateSqliteError } from './errors.js';
import { migrate } from './migrate.js';
import type { Migration } from './migrations/index.js';
import { recoverSending } from './outbox-items.js';
import { immediate } from './tx.js';
import { uuidv7 } from './uuid7.js';

export interface Store {
  readonly db: Database;
  readonly cipher: FieldCipher;
  /** Source of idempotency keys (time-ordered UUIDs by default); injected so tests are deterministic. */
  readonly newId: () => string;
  readonly log: Logger;
  close(): void;
}

export interface OpenStoreOptions {
  readonly path: string;
  /** 32 bytes from the host (Electron safeStorage); never stored in the database. */
  readonly key: Uint8Array;
  readonly newId?: () => string;
  readonly log?: Logger;
  readonly busyTimeoutMs?: number;
  readonly migrations?: readonly Migration[];
  /** Put items left 'sending' back to 'pending' (default). Only the process that syncs may do this:
   *  a manager tool opening the database beside the running kiosk must not pull items from under it. */
  readonly recoverInFlight?: boolean;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
const KEY_CHECK = 'key-check';
const KEY_CHECK_PLAIN = 'eid-kiosk-store';

/** A connection with the durability pragmas set; what every open goes through. */
export function openDatabase(path: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): Database {
  const db = new BetterSqlite3(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('foreign_keys = ON');
    return db;
  } catch (e) {
    db.close();
    throw translateSqliteError(e);
  }
}

export function openStore(options: OpenStoreOptions): Store {
  const cipher = createFieldCipher(options.key);
  const db = openDatabase(options.path, options.busyTimeoutMs);
  const log = options.log ?? logger('store');
  try {
    const { from, to } = migrate(db, options.migrations);
    if (from !== to) log.info({ from, to }, 'store migrated');
    checkKey(db, cipher);
    if (options.recoverInFlight ?? true) {
      const recovered = immediate(db, () => recoverSending(db));
      if (recovered > 0) log.warn({ recovered }, 'items left sending by an interrupted sync are pending again');
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return { db, cipher, newId: options.newId ?? (() => uuidv7()), log, close: () => db.close() };
}

/** The first open seals a known value; later opens must unseal it, or the key is not this db's. */
function checkKey(db: Database, cipher: FieldCipher): void {
  const row = db.prepare('SELECT value FROM store_meta WHERE name = ?').get(KEY_CHECK) as { value: Buffer } | undefined;
  if (row) {
    if (cipher.open(row.value, KEY_CHECK) !== KEY_CHECK_PLAIN) throw new StoreError('BAD_KEY', KEY_CHECK);
    return;
  }
  immediate(db, () =>
    db.prepare('INSERT INTO store_meta (name, value) VALUES (?, ?)').run(KEY_CHECK, cipher.seal(KEY_CHECK_PLAIN, KEY_CHECK)));
}
