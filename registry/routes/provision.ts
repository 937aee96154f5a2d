// POST /v1/provision: a one-time code for the kiosk's token and settings. No token (the kiosk has
// none yet); limited per address as the identified routes are per kiosk. A code unknown, already
// used or expired is the same 404, so an answer tells a guesser nothing.
import type { FastifyPluginAsync } from 'fastify';
import type { StatementCatalog } from '../../sync/consent/statements.js';
import { ProvisionRequest, ProvisionResponse } from '../../sync/wire/provision.js';
import { RegistryError } from '../errors.js';
import { errorResponses, jsonSchema } from '../json-schema.js';
import { redeemEnrollCode } from '../provisioning.js';
import type { RegistryStore } from '../store.js';
import { KIOSK_IDENTIFICATION_LIMIT } from './identified.js';

const schema = {
  body: jsonSchema(ProvisionRequest, 'input'),
  response: { 200: jsonSchema(ProvisionResponse, 'output'), ...errorResponses },
};

export interface ProvisionRouteOptions {
  store: RegistryStore;
  now: () => Date;
  statements: StatementCatalog;
}

export const provisionRoutes: FastifyPluginAsync<ProvisionRouteOptions> = async (app, { store, now, statements }) => {
  app.post<{ Body: ProvisionRequest }>(
    '/v1/provision',
    { schema, config: { credential: 'none', rateLimit: KIOSK_IDENTIFICATION_LIMIT } },
    async (request) => {
      const redeemed = await redeemEnrollCode(store, request.body.code, now());
      if (!redeemed) throw new RegistryError('UNKNOWN_ENROLL_CODE');
      const { token, grant } = redeemed;
      const chain = statements.current('chain', 'en');
      const registry = statements.current('registry', 'en');
      return {
        token,
        settings: {
          chainId: grant.chainId,
          // The chain's published statement names it; a chain without one is named by its id.
          chainName: chain.controller.id === grant.chainId ? chain.controller.name : grant.chainId,
          storeId: grant.storeId,
          kioskId: grant.kioskId,
          // No keep-policy: the reference registry holds none of a chain's, so the kiosk keeps its default.
          statements: { chain: { id: chain.id, version: chain.version }, registry: { id: registry.id, version: registry.version } },
          ...(grant.updateUrl !== undefined ? { updateUrl: grant.updateUrl } : {}),
          ...(grant.updatePublicKey !== undefined ? { updatePublicKey: grant.updatePublicKey } : {}),
        },
      } satisfies ProvisionResponse;
    },
  );
};
