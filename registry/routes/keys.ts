// The proof's keys (issue #16). GET /v1/keys, for anyone (no token; rate-limited per address as
// every route): the JWK Set of the registry's keys and every kiosk's, retired ones included, each
// with its validity and owner. POST /v1/kiosk-keys, with a kiosk's token: that kiosk's new public key.
import type { FastifyPluginAsync } from 'fastify';
import { jwkThumbprint } from '../../sync/proof/ed25519.js';
import { KeySet, KioskKeyRegistered, KioskKeyRegistration } from '../../sync/proof/key-set.js';
import { RegistryError } from '../errors.js';
import { kioskOf } from '../http-auth.js';
import { errorResponses, jsonSchema } from '../json-schema.js';
import type { RegistrySigningKeys } from '../signing-keys.js';
import type { RegistryStore } from '../store.js';

export interface KeyRouteOptions {
  store: RegistryStore;
  signing: RegistrySigningKeys;
  now: () => Date;
}

export const keyRoutes: FastifyPluginAsync<KeyRouteOptions> = async (app, { store, signing, now }) => {
  app.get(
    '/v1/keys',
    { config: { credential: 'none' }, schema: { response: { 200: jsonSchema(KeySet, 'output'), ...errorResponses } } },
    async (_request, reply) => {
      // A phone verifying a receipt fetches this; a kiosk key registered a minute ago can wait a minute.
      void reply.header('cache-control', 'public, max-age=60');
      // The first registry key is made here if none exists yet, so the set is never without one.
      await signing.current(now());
      return signing.keySet();
    },
  );

  app.post<{ Body: KioskKeyRegistration }>(
    '/v1/kiosk-keys',
    {
      schema: {
        body: jsonSchema(KioskKeyRegistration, 'input'),
        response: { 200: jsonSchema(KioskKeyRegistered, 'output'), ...errorResponses },
      },
    },
    async (request) => {
      const kiosk = kioskOf(request);
      const { publicJwk, notBefore } = request.body;
      const kid = jwkThumbprint(publicJwk);
      // Never later than now: a kiosk's clock ahead of ours must not date its key into the future.
      const from = new Date(Math.min(Date.parse(notBefore), now().getTime())).toISOString();
      const ok = await store.registerKioskKey({ kid, chainId: kiosk.chainId, kioskId: kiosk.kioskId, publicJwk, notBefore: from });
      if (!ok) throw new RegistryError('KEY_REFUSED', `key ${kid}`);
      request.log.info({ kioskId: kiosk.kioskId, kid }, 'kiosk key registered');
      return { kid };
    },
  );
};
