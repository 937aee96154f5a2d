// Issuing a kiosk credential: the token is returned once and only its hash is kept.
import { hashToken, newKioskToken, type RandomBytes } from './auth.js';
import type { KioskIdentity, RegistryStore } from './store.js';

export async function provisionKiosk(store: RegistryStore, kiosk: KioskIdentity, now: Date, random?: RandomBytes): Promise<string> {
  const token = newKioskToken(random);
  await store.provisionKiosk(kiosk, hashToken(token), now);
  return token;
}
