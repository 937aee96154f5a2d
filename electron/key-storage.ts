// Whether safeStorage can guard the store's key, as a pure function (tested under Node, no Electron).
// On Linux without an OS keyring (no Secret Service, no KWallet) Chromium falls back to its
// `basic_text` backend: "encrypted" with a password fixed in Chromium's source, which anyone who
// copies the data folder can undo. The kiosk then refuses to start rather than hold personal data so.

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
