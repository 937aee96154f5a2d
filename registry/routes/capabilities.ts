// GET /v1/capabilities: what this registry offers, so a kiosk learns it by asking rather than by
// probing a route (an empty erasure request would be a probe on a destructive endpoint).
// Authenticated like every kiosk route (the app's hook).
import type { FastifyPluginAsync } from 'fastify';
import { RegistryCapabilities } from '../../sync/wire/registry-api.js';
import { errorResponses, jsonSchema } from '../json-schema.js';

const schema = { response: { 200: jsonSchema(RegistryCapabilities, 'output'), ...errorResponses } };

/** The reference registry serves every right of the person at the kiosk (routes/subject.ts), and takes signed batches (signed-records.ts). */
const CAPABILITIES: RegistryCapabilities = { erasure: true, signedBatches: true };

export const capabilityRoutes: FastifyPluginAsync = async (app) => {
  app.get('/v1/capabilities', { schema }, async () => CAPABILITIES);
};
