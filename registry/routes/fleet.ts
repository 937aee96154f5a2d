// The fleet (operations.md, "Watch"). POST /v1/heartbeat: a kiosk, with its own token, says how it
// is; the latest one is kept. GET /v1/fleet: the chain's back office, with its token, reads its
// active kiosks with their latest heartbeat, the silent and the stuck ones flagged.
import type { FastifyPluginAsync } from 'fastify';
import { FleetResponse, Heartbeat, HeartbeatResponse } from '../../sync/wire/registry-api.js';
import { backOfficeOf, kioskOf } from '../http-auth.js';
import { errorResponses, jsonSchema } from '../json-schema.js';
import type { RegistryStore } from '../store.js';

const heartbeatSchema = {
  body: jsonSchema(Heartbeat, 'input'),
  response: { 200: jsonSchema(HeartbeatResponse, 'output'), ...errorResponses },
};
const fleetSchema = { response: { 200: jsonSchema(FleetResponse, 'output'), ...errorResponses } };

export const fleetRoutes: FastifyPluginAsync<{ store: RegistryStore; now: () => Date }> = async (app, { store, now }) => {
  app.post<{ Body: Heartbeat }>('/v1/heartbeat', { schema: heartbeatSchema }, async (request) => {
    const receivedAt = now();
    await store.recordHeartbeat(kioskOf(request).kioskId, request.body, receivedAt);
    return { receivedAt: receivedAt.toISOString() } satisfies HeartbeatResponse;
  });

  app.get('/v1/fleet', { schema: fleetSchema, config: { credential: 'back-office' } }, async (request) => {
    const { chainId } = backOfficeOf(request);
    const asOf = now();
    return { chainId, asOf: asOf.toISOString(), kiosks: await store.fleet(chainId, asOf) } satisfies FleetResponse;
  });
};
