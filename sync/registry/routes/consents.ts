// POST /v1/consents/lookup and /v1/consents/withdraw: the kiosk's "my consents" screen.
import type { FastifyPluginAsync } from 'fastify';
import {
  ConsentLookupRequest,
  ConsentLookupResponse,
  ConsentWithdrawRequest,
  ConsentWithdrawResponse,
} from '../../wire/registry-api.js';
import { kioskOf } from '../http-auth.js';
import { errorResponses, jsonSchema } from '../json-schema.js';
import type { RegistryStore } from '../store.js';

export interface ConsentRouteOptions {
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

export const consentRoutes: FastifyPluginAsync<ConsentRouteOptions> = async (app, { store, now }) => {
  app.post<{ Body: ConsentLookupRequest }>('/v1/consents/lookup', { schema: lookupSchema }, async (request) =>
    store.lookupConsents(kioskOf(request), request.body),
  );
  app.post<{ Body: ConsentWithdrawRequest }>('/v1/consents/withdraw', { schema: withdrawSchema }, async (request) => {
    const result = await store.withdrawConsents(kioskOf(request), request.body, now());
    request.log.info({ kioskId: request.kiosk?.kioskId, purposes: result.withdrawn.purposes.length }, 'consent withdrawal');
    return result;
  });
};
