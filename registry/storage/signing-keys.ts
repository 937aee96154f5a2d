// The keys of the proof (issue #16): each kiosk's public keys, registered with its token, and the
// registry's own signing keys, the private half sealed (signing-key-seal.ts). A key is never
// deleted: `not_after` marks when it stopped signing, and it still verifies what it signed before.
import type { Ed25519PublicJwk } from '../../sync/proof/key-set.js';
import { all, get, run, type Work } from './sql.js';

export interface KioskKeyRow {
  kid: string;
  chainId: string | null;
  kioskId: string;
  publicJwk: Ed25519PublicJwk;
  notBefore: string;
  notAfter: string | null;
}

export interface RegistryKeyRow {
  kid: string;
  publicJwk: Ed25519PublicJwk;
  privateJwkSealed: string;
  notBefore: string;
  notAfter: string | null;
}

type KioskKeyColumns = {
  kid: string;
  chain_id: string | null;
  kiosk_id: string;
  public_jwk: string;
  not_before: string;
  not_after: string | null;
};
const kioskKeyRow = (r: KioskKeyColumns): KioskKeyRow => ({
  kid: r.kid,
  chainId: r.chain_id,
  kioskId: r.kiosk_id,
  publicJwk: JSON.parse(r.public_jwk) as Ed25519PublicJwk,
  notBefore: r.not_before,
  notAfter: r.not_after,
});
const KIOSK_KEY_COLUMNS = 'kid, chain_id, kiosk_id, public_jwk, not_before, not_after';

/**
 * Registers a kiosk's key, retiring the kiosk's other keys from `notBefore` on. The same key again
 * changes nothing (a kiosk re-sends it at every start until the registry has it); a kid already
 * registered to another kiosk is refused (false).
 */
export function* registerKioskKey(key: Omit<KioskKeyRow, 'notAfter'>): Work<boolean> {
  const existing = yield* get<{ kiosk_id: string }>('SELECT kiosk_id FROM kiosk_keys WHERE kid = ?', key.kid);
  if (existing) return existing.kiosk_id === key.kioskId;
  yield* run(
    'UPDATE kiosk_keys SET not_after = ? WHERE kiosk_id = ? AND (not_after IS NULL OR not_after > ?)',
    key.notBefore,
    key.kioskId,
    key.notBefore,
  );
  yield* run(
    `INSERT INTO kiosk_keys (${KIOSK_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, NULL)`,
    key.kid,
    key.chainId,
    key.kioskId,
    JSON.stringify(key.publicJwk),
    key.notBefore,
  );
  return true;
}

export function* kioskKeysOf(kioskId: string): Work<KioskKeyRow[]> {
  return (yield* all<KioskKeyColumns>(`SELECT ${KIOSK_KEY_COLUMNS} FROM kiosk_keys WHERE kiosk_id = ? ORDER BY not_before`, kioskId)).map(
    kioskKeyRow,
  );
}

export function* allKioskKeys(): Work<KioskKeyRow[]> {
  return (yield* all<KioskKeyColumns>(`SELECT ${KIOSK_KEY_COLUMNS} FROM kiosk_keys ORDER BY kiosk_id, not_before`)).map(kioskKeyRow);
}

/** A new registry signing key; the one signing until now stops at `notBefore` (and stays published). */
export function* addRegistryKey(key: Omit<RegistryKeyRow, 'notAfter'>): Work<void> {
  yield* run('UPDATE registry_keys SET not_after = ? WHERE not_after IS NULL', key.notBefore);
  yield* run(
    'INSERT INTO registry_keys (kid, public_jwk, private_jwk_sealed, not_before, not_after) VALUES (?, ?, ?, ?, NULL)',
    key.kid,
    JSON.stringify(key.publicJwk),
    key.privateJwkSealed,
    key.notBefore,
  );
}

export function* registryKeys(): Work<RegistryKeyRow[]> {
  const rows = yield* all<{ kid: string; public_jwk: string; private_jwk_sealed: string; not_before: string; not_after: string | null }>(
    'SELECT kid, public_jwk, private_jwk_sealed, not_before, not_after FROM registry_keys ORDER BY not_before',
  );
  return rows.map((r) => ({
    kid: r.kid,
    publicJwk: JSON.parse(r.public_jwk) as Ed25519PublicJwk,
    privateJwkSealed: r.private_jwk_sealed,
    notBefore: r.not_before,
    notAfter: r.not_after,
  }));
}
