// GET /v1/feed?after=CURSOR&limit=N: the change feed of the authenticated kiosk's chain, in
// server-issued sequence order (never a timestamp cursor).
import type { FastifyPluginAsync } from 'fastify';
import { FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT, FeedQuery, FeedResponse } from '../../sync/wire/registry-api.js';
import { RegistryError } from '../errors.js';
import { kioskOf } from '../http-auth.js';
import { errorResponses, jsonSchema } from '../json-schema.js';
import type { RegistryStore } from '../store.js';

const schema = {
  querystring: jsonSchema(FeedQuery, 'input'),
  response: { 200: jsonSchema(FeedResponse, 'output'), ...errorResponses },
};

export const feedRoutes: FastifyPluginAsync<{ store: RegistryStore }> = async (app, { store }) => {
  app.get<{ Querystring: FeedQuery }>('/v1/feed', { schema }, async (request) => {
    const { chainId } = kioskOf(request);
    if (chainId === null) throw new RegistryError('KIOSK_UNBOUND', 'this kiosk is provisioned without a chain, so it has no feed');
    const after = request.query.after ?? '0';
    const limit = Math.min(Number(request.query.limit ?? FEED_DEFAULT_LIMIT), FEED_MAX_LIMIT);
    const { events, hasMore } = await store.feed(chainId, Number(after), limit);
    return { chainId, events, nextCursor: events.at(-1)?.sequence ?? after, hasMore } satisfies FeedResponse;
  });
};
