// POST /v1/consents/lookup and /v1/consents/withdraw: the kiosk's "my consents" screen, behind
// strong identification and both rate limits (identified.ts). A lookup with `scope: 'chain'` is the
// returning-customer check, answered for the asking chain only (consent-desk.ts identify).
import type { FastifyPluginAsync } from 'fastify';
import {
  ConsentLookupRequest,
  ConsentLookupResponse,
  ConsentWithdrawRequest,
  ConsentWithdrawResponse,
} from '../../sync/wire/registry-api.js';
import { kioskOf } from '../http-auth.js';
import { errorResponses, jsonSchema } from '../json-schema.js';
import type { RegistryStore } from '../store.js';
import { identified, identifiedRouteConfig, proveControl, type IdentifiedRouteOptions } from './identified.js';

export interface ConsentRouteOptions extends IdentifiedRouteOptions {
  store: RegistryStore;
  now: () => Date;
}

const lookupSchema = {
  body: jsonSchema(ConsentLookupRequest, 'input'),
  response: { 200: jsonSchema(ConsentLookupResponse, 'output'), ...errorResponses },
};
const withdrawSchema = {
  body: jsonSchema(ConsentWithdrawRequest, 'input'),
  response: { 200: jsonSchema(ConsentWithdrawResponse, 'output'), ...errorResponses },
};

export const consentRoutes: FastifyPluginAsync<ConsentRouteOptions> = async (app, opts) => {
  const { store, now } = opts;
  app.post<{ Body: ConsentLookupRequest }>(
    '/v1/consents/lookup',
    { schema: lookupSchema, config: identifiedRouteConfig },
    async (request, reply) => identified(opts, reply, request.body, () => store.lookupConsents(kioskOf(request), request.body)),
  );
  app.post<{ Body: ConsentWithdrawRequest }>(
    '/v1/consents/withdraw',
    { schema: withdrawSchema, config: identifiedRouteConfig },
    async (request, reply) => {
      const result = await identified(opts, reply, request.body, async () => {
        // Withdrawing a chain's consent needs no code: a wrong one costs nothing lasting, and it must stay as easy as giving.
        if (request.body.party === 'registry') await proveControl(opts, kioskOf(request), request.body);
        return store.withdrawConsents(kioskOf(request), request.body, now());
      });
      request.log.info({ kioskId: request.kiosk?.kioskId, purposes: result.withdrawn.purposes.length }, 'consent withdrawal');
      return result;
    },
  );
};
