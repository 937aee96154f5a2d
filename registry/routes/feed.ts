// GET /v1/feed?after=CURSOR&limit=N: the change feed of the back office's chain, in server-issued
// sequence order (never a timestamp cursor). The back office's token only: a kiosk needs none of
// the chain's events, and a kiosk token lost in a shop must not read them (403).
import type { FastifyPluginAsync } from 'fastify';
import { FEED_DEFAULT_LIMIT, FEED_MAX_LIMIT, FeedQuery, FeedResponse } from '../../sync/wire/registry-api.js';
import { backOfficeOf } from '../http-auth.js';
import { errorResponses, jsonSchema } from '../json-schema.js';
import type { RegistryStore } from '../store.js';

const schema = {
  querystring: jsonSchema(FeedQuery, 'input'),
  response: { 200: jsonSchema(FeedResponse, 'output'), ...errorResponses },
};

export const feedRoutes: FastifyPluginAsync<{ store: RegistryStore }> = async (app, { store }) => {
  app.get<{ Querystring: FeedQuery }>('/v1/feed', { schema, config: { credential: 'back-office' } }, async (request) => {
    const { chainId } = backOfficeOf(request);
    const after = request.query.after ?? '0';
    const limit = Math.min(Number(request.query.limit ?? FEED_DEFAULT_LIMIT), FEED_MAX_LIMIT);
    const { events, hasMore } = await store.feed(chainId, Number(after), limit);
    return { chainId, events, nextCursor: events.at(-1)?.sequence ?? after, hasMore } satisfies FeedResponse;
  });
};
