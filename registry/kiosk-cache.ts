// Every request's bearer token is looked up, and on PostgreSQL that was a round trip and a planned
// query per request, ahead of the batch's own. The kiosks found are kept for a few seconds: a
// provisioning or revocation through this store clears them at once, one by another process (the
// `registry revoke` command beside a running registry) takes effect within KIOSK_CACHE_MS.
import type { EnrollGrant } from './storage/enroll-codes.js';
import type { KioskIdentity, KioskRow } from './storage/kiosks.js';

export const KIOSK_CACHE_MS = 5_000;
/** Far above a chain's fleet; past it the cache starts over rather than grow. */
const MAX_KIOSKS = 20_000;

/** What the cache wraps of a RegistryStore. */
export interface KioskLookup {
  provisionKiosk(kiosk: KioskIdentity, tokenHash: string, now: Date): Promise<void>;
  revokeKiosk(kioskId: string, now: Date): Promise<boolean>;
  /** Binds a kiosk to a new token too (storage/enroll-codes.ts). */
  redeemEnrollCode(codeHash: string, tokenHash: string, now: Date): Promise<EnrollGrant | undefined>;
  kioskByTokenHash(tokenHash: string): Promise<KioskRow | undefined>;
}

export function withKioskCache<S extends KioskLookup>(store: S, clock: () => number = Date.now): S {
  const found = new Map<string, { row: KioskRow; until: number }>();
  // A lookup that began before a change is not kept after it: it may have read the row before.
  let generation = 0;
  const changed = <T>(change: Promise<T>): Promise<T> => {
    generation += 1;
    found.clear();
    return change.finally(() => {
      generation += 1;
      found.clear();
    });
  };
  return {
    ...store,
    kioskByTokenHash: async (tokenHash) => {
      const hit = found.get(tokenHash);
      if (hit && hit.until > clock()) return hit.row;
      const began = generation;
      const row = await store.kioskByTokenHash(tokenHash);
      if (row && began === generation) {
        if (found.size >= MAX_KIOSKS) found.clear();
        found.set(tokenHash, { row, until: clock() + KIOSK_CACHE_MS });
      }
      return row;
    },
    provisionKiosk: (...args) => changed(store.provisionKiosk(...args)),
    revokeKiosk: (...args) => changed(store.revokeKiosk(...args)),
    redeemEnrollCode: (...args) => changed(store.redeemEnrollCode(...args)),
  };
}
