// Whether safeStorage can guard the store's key, as a pure function (tested under Node, no Electron).
// On Linux without an OS keyring (no Secret Service, no KWallet) Chromium falls back to its
// `basic_text` backend: "encrypted" with a password fixed in Chromium's source, which anyone who
// copies the data folder can undo. The kiosk then refuses to start rather than hold personal data so.
// With a keyring, `storeKeyIn` keeps the store's key in the data folder, encrypted by it.
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What main.ts reads from safeStorage; `backend` only on Linux (getSelectedStorageBackend). */
export interface KeyStorage {
  readonly platform: NodeJS.Platform;
  readonly encryptionAvailable: boolean;
  readonly backend?: string;
}

/** Why the kiosk must not keep its database key with this safeStorage, or undefined when it may. */
export function keyStorageRefusal(storage: KeyStorage): string | undefined {
  if (!storage.encryptionAvailable) return 'safeStorage is not available: refusing to store personal data unencrypted.';
  if (storage.platform !== 'linux') return undefined;
  // `unknown` is what Electron says before it has picked a backend: no keyring known to protect the key either.
  if (storage.backend === 'basic_text' || storage.backend === 'unknown' || storage.backend === undefined)
    return (
      `safeStorage found no OS keyring (backend ${storage.backend ?? 'none'}): the database key would be protected by a fixed password. ` +
      'Run the kiosk in a session with an unlocked keyring (gnome-keyring or KWallet for the kiosk user), ' +
      'or choose it with --password-store=gnome-libsecret|kwallet5|kwallet6.'
    );
  return undefined;
}

/** safeStorage's two calls, as main.ts hands them in. */
export interface OsEncryption {
  encryptString(text: string): Buffer;
  decryptString(data: Buffer): string;
}

/** The store's key in the data folder, as only the OS keyring can open it. */
export const STORE_KEY_FILE = 'kiosk.db.key.enc';

/** The store's 32-byte key (it also seals the registry token), made on first use and never replaced. */
export function storeKeyIn(dir: string, os: OsEncryption, randomBytes: (n: number) => Buffer = nodeRandomBytes): Buffer {
  const file = join(dir, STORE_KEY_FILE);
  if (existsSync(file)) return Buffer.from(os.decryptString(readFileSync(file)), 'hex');
  const key = randomBytes(32);
  writeFileSync(file, os.encryptString(key.toString('hex')), { mode: 0o600, flag: 'wx' });
  return key;
}
