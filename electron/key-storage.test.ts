// The database key is kept only where an OS keyring protects it: never under Linux's basic_text.
import { describe, expect, it } from 'vitest';
import { keyStorageRefusal } from './key-storage.js';

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
