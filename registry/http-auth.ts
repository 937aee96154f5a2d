// Every request carries `Authorization: Bearer <token>`: unknown or revoked tokens are 401. Two
// kinds of token, each good for its own routes only: a kiosk's (every route by default) and a chain
// back office's (routes declaring `config: { credential: 'back-office' }`: the feed and the fleet).
// The wrong kind is a 403 FORBIDDEN, so a kiosk token, found in a shop, never reads the chain's feed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, hashToken, tokenMatches } from './auth.js';
import { RegistryError } from './errors.js';
import type { KioskIdentity, RegistryStore } from './store.js';

/** 'none': a route anyone may call (the one-time code's exchange, routes/provision.ts), rate-limited per address. */
export type Credential = 'kiosk' | 'back-office' | 'none';

export interface BackOfficeIdentity {
  chainId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    kiosk: KioskIdentity | null;
    backOffice: BackOfficeIdentity | null;
  }
  interface FastifyContextConfig {
    /** Which kind of token the route takes; 'kiosk' when absent. */
    credential?: Credential;
  }
}

export function authenticate(store: RegistryStore) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (request.routeOptions.config?.credential === 'none') return;
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new RegistryError('UNAUTHENTICATED', 'a bearer token is required');
    const wanted = request.routeOptions.config?.credential ?? 'kiosk';
    const hash = hashToken(token);
    // Kiosks first: they make nearly every request, and their lookup is cached (kiosk-cache.ts).
    const kiosk = await store.kioskByTokenHash(hash);
    if (kiosk && tokenMatches(token, kiosk.tokenHash)) {
      if (kiosk.revokedAt !== null) throw new RegistryError('KIOSK_REVOKED', 'this kiosk token was revoked');
      if (wanted !== 'kiosk') throw new RegistryError('FORBIDDEN', 'a kiosk token may not use this route');
      request.kiosk = { kioskId: kiosk.kioskId, chainId: kiosk.chainId, storeId: kiosk.storeId };
      return;
    }
    const office = await store.backOfficeByTokenHash(hash);
    if (!office || !tokenMatches(token, office.tokenHash) || office.revokedAt !== null) {
      throw new RegistryError('UNAUTHENTICATED', 'unknown or revoked token');
    }
    if (wanted !== 'back-office') throw new RegistryError('FORBIDDEN', 'a back-office token may not use this route');
    request.backOffice = { chainId: office.chainId };
  };
}

/** The authenticated kiosk (the auth hook runs before every route). */
export function kioskOf(request: FastifyRequest): KioskIdentity {
  if (!request.kiosk) throw new RegistryError('UNAUTHENTICATED', 'a kiosk bearer token is required');
  return request.kiosk;
}

/** The authenticated back office, on a route declaring `credential: 'back-office'`. */
export function backOfficeOf(request: FastifyRequest): BackOfficeIdentity {
  if (!request.backOffice) throw new RegistryError('UNAUTHENTICATED', 'a back-office bearer token is required');
  return request.backOffice;
}
