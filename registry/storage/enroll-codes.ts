// One-time enrollment codes (operations.md, "Provision"): kept as their hash with their expiry and
// the kiosk they make; taking one marks it used and binds the kiosk to its new token in the same
// transaction, so a code provisions exactly one kiosk once.
import { provisionKiosk } from './kiosks.js';
import { get, run, type Work } from './sql.js';

/** What a code makes of the kiosk that uses it. */
export interface EnrollGrant {
  kioskId: string;
  chainId: string;
  storeId: string;
  /** The chain's update server and the public key its update metadata is signed with, when the code carries them. */
  updateUrl?: string;
  updatePublicKey?: string;
}

export function* addEnrollCode(codeHash: string, grant: EnrollGrant, now: string, expiresAt: string): Work<void> {
  yield* run(
    `INSERT INTO enroll_codes (code_hash, kiosk_id, chain_id, store_id, update_url, update_public_key, created_at, expires_at, used_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
    codeHash,
    grant.kioskId,
    grant.chainId,
    grant.storeId,
    grant.updateUrl ?? null,
    grant.updatePublicKey ?? null,
    now,
    expiresAt,
  );
}

/** The code's grant, once and before it expires, with the kiosk bound to `tokenHash`; undefined otherwise. */
export function* redeemEnrollCode(codeHash: string, tokenHash: string, now: string): Work<EnrollGrant | undefined> {
  // The guarded update is the one claim: of two exchanges racing, one changes the row.
  const taken = yield* run(
    'UPDATE enroll_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?',
    now,
    codeHash,
    now,
  );
  if (taken === 0) return undefined;
  const r = yield* get<{
    kiosk_id: string;
    chain_id: string;
    store_id: string;
    update_url: string | null;
    update_public_key: string | null;
  }>('SELECT kiosk_id, chain_id, store_id, update_url, update_public_key FROM enroll_codes WHERE code_hash = ?', codeHash);
  if (!r) return undefined;
  const grant: EnrollGrant = {
    kioskId: r.kiosk_id,
    chainId: r.chain_id,
    storeId: r.store_id,
    ...(r.update_url !== null ? { updateUrl: r.update_url } : {}),
    ...(r.update_public_key !== null ? { updatePublicKey: r.update_public_key } : {}),
  };
  yield* provisionKiosk({ kioskId: grant.kioskId, chainId: grant.chainId, storeId: grant.storeId }, tokenHash, now);
  return grant;
}
