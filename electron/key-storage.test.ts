// The database key is kept only where an OS keyring protects it: never under Linux's basic_text; with
// one, in the data folder as only that keyring opens it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyStorageRefusal, STORE_KEY_FILE, storeKeyIn, type OsEncryption } from './key-storage.js';

describe('keyStorageRefusal', () => {
  it('accepts an OS keyring on Linux and the OS store elsewhere', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])
      expect(keyStorageRefusal({ platform: 'linux', encryptionAvailable: true, backend })).toBeUndefined();
    expect(keyStorageRefusal({ platform: 'win32', encryptionAvailable: true })).toBeUndefined();
  });

  it('refuses the fixed-password fallback, an undecided backend, and no encryption at all', () => {
    expect(keyStorageRefusal({ platform: 'linux', encryptionAvailable: true, backend: 'basic_text' })).toMatch(
      /^safeStorage found no OS keyring \(backend basic_text\): the database key would be protected by a fixed password\./,
    );
    expect(keyStorageRefusal({ platform: 'linux', encryptionAvailable: true, backend: 'unknown' })).toMatch(/no OS keyring/);
    expect(keyStorageRefusal({ platform: 'win32', encryptionAvailable: false })).toMatch(/not available/);
  });
});

/** An OS keyring stands in here (no Electron): AES-256-GCM under a key of its own. */
function keyring(secret = randomBytes(32)): OsEncryption {
  return {
    encryptString: (text) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', secret, iv);
      return Buffer.concat([iv, c.update(text, 'utf8'), c.final(), c.getAuthTag()]);
    },
    decryptString: (data) => {
      const d = createDecipheriv('aes-256-gcm', secret, data.subarray(0, 12));
      d.setAuthTag(data.subarray(-16));
      return Buffer.concat([d.update(data.subarray(12, -16)), d.final()]).toString('utf8');
    },
  };
}

describe('storeKeyIn', () => {
  it('makes the key once, keeps it only encrypted (0600), and gives the same key after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-key-'));
    try {
      const os = keyring();
      const key = storeKeyIn(dir, os);
      expect(key).toHaveLength(32);
      const file = join(dir, STORE_KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file).includes(key.toString('hex'))).toBe(false);
      expect(storeKeyIn(dir, os)).toEqual(key);
      // Another keyring (the folder copied to another machine) cannot open it, and nothing is replaced.
      expect(() => storeKeyIn(dir, keyring())).toThrow();
      expect(storeKeyIn(dir, os)).toEqual(key);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
