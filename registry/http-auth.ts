// Every request carries `Authorization: Bearer <kiosk token>`: unknown or revoked tokens are 401.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, hashToken, tokenMatches } from './auth.js';
import { RegistryError } from './errors.js';
import type { KioskIdentity, RegistryStore } from './store.js';

declare module 'fastify' {
  interface FastifyRequest {
    kiosk: KioskIdentity | null;
  }
}

export function authenticate(store: RegistryStore) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new RegistryError('UNAUTHENTICATED', 'a kiosk bearer token is required');
    const kiosk = await store.kioskByTokenHash(hashToken(token));
    if (!kiosk || !tokenMatches(token, kiosk.tokenHash)) throw new RegistryError('UNAUTHENTICATED', 'unknown kiosk token');
    if (kiosk.revokedAt !== null) throw new RegistryError('KIOSK_REVOKED', 'this kiosk token was revoked');
    request.kiosk = { kioskId: kiosk.kioskId, chainId: kiosk.chainId, storeId: kiosk.storeId };
  };
}

/** The authenticated kiosk (the auth hook runs before every route). */
export function kioskOf(request: FastifyRequest): KioskIdentity {
  if (!request.kiosk) throw new RegistryError('UNAUTHENTICATED', 'a kiosk bearer token is required');
  return request.kiosk;
}
