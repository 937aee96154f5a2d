// GET /v1/stats: row counts, nothing personal.
import type { FastifyPluginAsync } from 'fastify';
import { RegistryStats } from '../../wire/registry-api.js';
import { errorResponses, jsonSchema } from '../json-schema.js';
import type { RegistryStore } from '../store.js';

const schema = { response: { 200: jsonSchema(RegistryStats, 'output'), ...errorResponses } };

export const statsRoutes: FastifyPluginAsync<{ store: RegistryStore }> = async (app, { store }) => {
  app.get('/v1/stats', { schema }, async () => store.stats());
};
