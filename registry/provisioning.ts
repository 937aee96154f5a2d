// Issuing a credential (a kiosk's, a back office's): the token is returned once and only its hash is kept.
import { hashToken, newToken, type RandomBytes } from './auth.js';
import type { KioskIdentity, RegistryStore } from './store.js';

export async function provisionKiosk(store: RegistryStore, kiosk: KioskIdentity, now: Date, random?: RandomBytes): Promise<string> {
  const token = newToken(random);
  await store.provisionKiosk(kiosk, hashToken(token), now);
  return token;
}

/** A chain back office's credential: its change feed and its fleet, never a kiosk's routes. */
export async function issueBackOfficeToken(store: RegistryStore, chainId: string, now: Date, random?: RandomBytes): Promise<string> {
  const token = newToken(random);
  await store.issueBackOfficeToken(chainId, hashToken(token), now);
  return token;
}
