// Field encryption at rest: AES-256-GCM with a 32-byte key from the host (Electron safeStorage in the
// app, a generated key in tests), a fresh 12-byte IV per value, and the value's place (table, row id,
// column) bound as additional authenticated data, so a ciphertext copied into another row or column
// fails authentication instead of decrypting there.
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { parseSecretHex } from '../secret-file.js';
import { StoreError } from './errors.js';

const FORMAT_V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
const POOL_BYTES = 4096;

/** CSPRNG bytes served from a buffer refilled 4 KB at a time: one call into OpenSSL per ~340 IVs
 *  instead of one per value (what Node does for randomUUID too); each slice is handed out once. */
function pooledRandomBytes(): (n: number) => Buffer {
  const pool = Buffer.alloc(POOL_BYTES);
  let offset = POOL_BYTES;
  return (n) => {
    if (offset + n > POOL_BYTES) {
      randomFillSync(pool);
      offset = 0;
    }
    offset += n;
    return Buffer.from(pool.subarray(offset - n, offset));
  };
}

export interface FieldCipher {
  /** Encrypts `plain`, bound to `aad` (e.g. `enrollments/<id>/surname`). */
  seal(plain: string, aad: string): Buffer;
  /** Decrypts; throws StoreError BAD_KEY when the key, the place or the bytes do not match. */
  open(sealed: Uint8Array, aad: string): string;
}

export function createFieldCipher(key: Uint8Array, randomBytes: (n: number) => Buffer = pooledRandomBytes()): FieldCipher {
  if (key.length !== 32) throw new StoreError('INVALID_KEY', `${key.length} bytes`);
  const k = Buffer.from(key);
  return {
    seal(plain, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.of(FORMAT_V1), iv, cipher.getAuthTag(), body]);
    },
    open(sealed, aad) {
      const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      if (buf.length < HEADER_BYTES || buf[0] !== FORMAT_V1) throw new StoreError('BAD_KEY', `unknown format at ${aad}`);
      const decipher = createDecipheriv('aes-256-gcm', k, buf.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(buf.subarray(1 + IV_BYTES, HEADER_BYTES));
      try {
        return Buffer.concat([decipher.update(buf.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
      } catch (e) {
        throw new StoreError('BAD_KEY', `authentication failed at ${aad}`, { cause: e });
      }
    },
  };
}

/** Parses a key given as 64 hex characters (env KIOSK_DB_KEY, key files). */
export function parseHexKey(hex: string): Buffer {
  const key = parseSecretHex(hex);
  if (!key) throw new StoreError('INVALID_KEY', 'expected 64 hex characters');
  return key;
}
