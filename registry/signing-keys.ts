// The registry's side of the proof's keys (issue #16): its own Ed25519 signing keys (made on first
// need and by `registry keys rotate`, the private half sealed at rest as a JWE under a key derived
// from the matching secret, so a copy of the database alone cannot countersign), and the published
// key set: its keys and every kiosk's, each with its validity and whose it is (GET /v1/keys).
import { CompactEncrypt, compactDecrypt } from 'jose';
import { generateSigningKey, signingKeyFromJwk, type SigningKey } from '../sync/proof/ed25519.js';
import { toNumericDate, type KeySet, type PublishedKey } from '../sync/proof/key-set.js';
import type { RegistryStore } from './store.js';
import type { KioskKeyRow, RegistryKeyRow } from './storage/signing-keys.js';

const SEAL_PURPOSE = 'registry signing keys, sealed at rest';

type KeyStore = Pick<RegistryStore, 'registryKeys' | 'addRegistryKey' | 'allKioskKeys' | 'rules'>;

/** What every published key says: its JWK, kid, algorithm and validity period. */
const publishedBase = (k: KioskKeyRow | RegistryKeyRow) => ({
  ...k.publicJwk,
  kid: k.kid,
  alg: 'EdDSA' as const,
  use: 'sig' as const,
  nbf: toNumericDate(k.notBefore),
  ...(k.notAfter !== null && { exp: toNumericDate(k.notAfter) }),
});

export const publishedKioskKey = (k: KioskKeyRow): PublishedKey => ({
  ...publishedBase(k),
  owner: 'kiosk',
  ...(k.chainId !== null && { chainId: k.chainId }),
  kioskId: k.kioskId,
});

export const publishedRegistryKey = (k: RegistryKeyRow): PublishedKey => ({ ...publishedBase(k), owner: 'registry' });

export class RegistrySigningKeys {
  private readonly opened = new Map<string, SigningKey>();
  /** The first key being made: callers asking at once wait for the one key, not a key each. */
  private making: Promise<string> | undefined;
  private readonly byKidOpening = new Map<string, Promise<SigningKey>>();

  constructor(private readonly store: KeyStore) {}

  /** A new signing key from `now` on; the previous one stops signing and stays published. Its kid. */
  async rotate(now: Date): Promise<string> {
    const key = generateSigningKey();
    const sealed = await new CompactEncrypt(new TextEncoder().encode(key.privateJwkText()))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: key.kid })
      .encrypt(this.sealKey());
    await this.store.addRegistryKey({ kid: key.kid, publicJwk: key.publicJwk, privateJwkSealed: sealed, notBefore: now.toISOString() });
    this.opened.set(key.kid, key);
    return key.kid;
  }

  /** The key that signs now (the first one made on first need), read from the database each time, so a rotation by the command line is seen at once. */
  async current(now: Date): Promise<SigningKey> {
    const row = (await this.store.registryKeys()).find((k) => k.notAfter === null);
    if (!row) {
      await (this.making ??= this.rotate(now).finally(() => (this.making = undefined)));
      return this.current(now);
    }
    return this.opened.get(row.kid) ?? this.open(row);
  }

  /**
   * The key of this kid (one `current` gave, perhaps retired since): from memory once opened. One
   * promise per kid, so batches asking at once resume in the order they asked (group-commit.ts
   * applies them in that order).
   */
  byKid(kid: string): Promise<SigningKey> {
    let key = this.byKidOpening.get(kid);
    if (!key) {
      key = this.store.registryKeys().then((rows) => {
        const row = rows.find((k) => k.kid === kid);
        if (!row) throw new Error(`registry key ${kid}: no such key`);
        return this.opened.get(kid) ?? this.open(row);
      });
      // A failure is not kept: the next batch asks again.
      key.catch(() => this.byKidOpening.delete(kid));
      this.byKidOpening.set(kid, key);
    }
    return key;
  }

  private async open(row: RegistryKeyRow): Promise<SigningKey> {
    const { plaintext, protectedHeader } = await compactDecrypt(row.privateJwkSealed, this.sealKey());
    const key = signingKeyFromJwk(new TextDecoder().decode(plaintext));
    // The sealed key must be the row's: a row's sealed half swapped for another key's is not used.
    if (protectedHeader.kid !== row.kid || key.kid !== row.kid) throw new Error(`registry key ${row.kid}: the sealed key is another`);
    this.opened.set(row.kid, key);
    return key;
  }

  /** Every registry key and every kiosk key, retired ones included: they verify what they signed. */
  async keySet(): Promise<KeySet> {
    const [registry, kiosks] = await Promise.all([this.store.registryKeys(), this.store.allKioskKeys()]);
    return { keys: [...registry.map(publishedRegistryKey), ...kiosks.map(publishedKioskKey)] };
  }

  private sealKey(): Uint8Array {
    return this.store.rules.keyer.derivedKey(SEAL_PURPOSE);
  }
}
