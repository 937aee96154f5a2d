// The kiosk's Ed25519 signing key (issue #16), in the store it signs for: its private half sealed
// under the store's key in `store_meta` (no migration; the same mechanism as the sealed token), made
// on first open (at provisioning, or at the first start of a kiosk provisioned before), and a note
// of the key the registry has acknowledged, so the kiosk registers it until the registry has it.
import type { Database } from 'better-sqlite3';
import { generateSigningKey, signingKeyFromJwk, type SigningKey } from '../proof/ed25519.js';
import type { FieldCipher } from './cipher.js';
import { immediate } from './tx.js';

const SIGNING_KEY = 'signing-key';
const REGISTERED = 'signing-key-registered';

export interface KioskSigningKey extends SigningKey {
  /** When it was made (kiosk clock): its validity starts there. */
  readonly createdAt: string;
}

interface Sealed {
  jwk: string;
  createdAt: string;
}

/** This store's key, made and sealed now if it has none. */
export function openSigningKey(db: Database, cipher: FieldCipher, now: Date = new Date()): KioskSigningKey {
  const read = (): Sealed | undefined => {
    const row = db.prepare('SELECT value FROM store_meta WHERE name = ?').get(SIGNING_KEY) as { value: Buffer } | undefined;
    return row && (JSON.parse(cipher.open(row.value, SIGNING_KEY)) as Sealed);
  };
  let sealed = read();
  if (!sealed) {
    const made: Sealed = { jwk: generateSigningKey().privateJwkText(), createdAt: now.toISOString() };
    // OR IGNORE: a second process opening the same new store at once keeps the first key.
    immediate(db, () =>
      db
        .prepare('INSERT OR IGNORE INTO store_meta (name, value) VALUES (?, ?)')
        .run(SIGNING_KEY, cipher.seal(JSON.stringify(made), SIGNING_KEY)),
    );
    sealed = read()!;
  }
  return { ...signingKeyFromJwk(sealed.jwk), createdAt: sealed.createdAt };
}

/** The kid the registry last acknowledged for this store, if any. */
export function registeredKid(db: Database): string | undefined {
  const row = db.prepare('SELECT value FROM store_meta WHERE name = ?').get(REGISTERED) as { value: Buffer } | undefined;
  return row?.value.toString('utf8');
}

export function markKeyRegistered(db: Database, kid: string): void {
  immediate(db, () =>
    db
      .prepare('INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value')
      .run(REGISTERED, Buffer.from(kid, 'utf8')),
  );
}
