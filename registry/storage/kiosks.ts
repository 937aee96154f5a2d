// Kiosk credentials: provisioning (a new token hash, un-revoking), revocation, lookup by hash.
import { get, run, type Work } from './sql.js';

export interface KioskIdentity {
  kioskId: string;
  /** The chain and store the kiosk is bound to; null when provisioned without them (items then carry their own). */
  chainId: string | null;
  storeId: string | null;
}

export interface KioskRow extends KioskIdentity {
  tokenHash: string;
  revokedAt: string | null;
}

export function* provisionKiosk(k: KioskIdentity, tokenHash: string, now: string): Work<void> {
  yield* run(
    `INSERT INTO kiosks (kiosk_id, chain_id, store_id, token_hash, provisioned_at, revoked_at)
     VALUES (?, ?, ?, ?, ?, NULL)
     ON CONFLICT (kiosk_id) DO UPDATE SET chain_id = excluded.chain_id, store_id = excluded.store_id,
       token_hash = excluded.token_hash, provisioned_at = excluded.provisioned_at, revoked_at = NULL`,
    k.kioskId,
    k.chainId,
    k.storeId,
    tokenHash,
    now,
  );
}

export function* revokeKiosk(kioskId: string, now: string): Work<boolean> {
  return (yield* run('UPDATE kiosks SET revoked_at = ? WHERE kiosk_id = ? AND revoked_at IS NULL', now, kioskId)) > 0;
}

export function* kioskByTokenHash(tokenHash: string): Work<KioskRow | undefined> {
  const r = yield* get<{
    kiosk_id: string;
    chain_id: string | null;
    store_id: string | null;
    token_hash: string;
    revoked_at: string | null;
  }>('SELECT kiosk_id, chain_id, store_id, token_hash, revoked_at FROM kiosks WHERE token_hash = ?', tokenHash);
  return r && { kioskId: r.kiosk_id, chainId: r.chain_id, storeId: r.store_id, tokenHash: r.token_hash, revokedAt: r.revoked_at };
}

/** A chain's back-office credential: reads that chain's feed and fleet, and nothing a kiosk does. */
export interface BackOfficeRow {
  chainId: string;
  tokenHash: string;
  revokedAt: string | null;
}

export function* issueBackOfficeToken(chainId: string, tokenHash: string, now: string): Work<void> {
  yield* run(
    'INSERT INTO back_office_tokens (token_hash, chain_id, issued_at, revoked_at) VALUES (?, ?, ?, NULL)',
    tokenHash,
    chainId,
    now,
  );
}

/** Revokes every active back-office token of the chain; how many were. */
export function* revokeBackOfficeTokens(chainId: string, now: string): Work<number> {
  return yield* run('UPDATE back_office_tokens SET revoked_at = ? WHERE chain_id = ? AND revoked_at IS NULL', now, chainId);
}

export function* backOfficeByTokenHash(tokenHash: string): Work<BackOfficeRow | undefined> {
  const r = yield* get<{ chain_id: string; token_hash: string; revoked_at: string | null }>(
    'SELECT chain_id, token_hash, revoked_at FROM back_office_tokens WHERE token_hash = ?',
    tokenHash,
  );
  return r && { chainId: r.chain_id, tokenHash: r.token_hash, revokedAt: r.revoked_at };
}
