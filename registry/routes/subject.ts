// POST /v1/subject/access and /v1/subject/erase: the person's rights of access and erasure at the
// registry, asked at a kiosk, behind strong identification and both rate limits (identified.ts).
import type { FastifyPluginAsync } from 'fastify';
import { SubjectAccessRequest, SubjectAccessResponse, SubjectEraseRequest, SubjectEraseResponse } from '../../sync/wire/registry-api.js';
import { kioskOf } from '../http-auth.js';
import { errorResponses, jsonSchema } from '../json-schema.js';
import { identified, identifiedRouteConfig, proveControl } from './identified.js';
import type { ConsentRouteOptions } from './consents.js';

const accessSchema = {
  body: jsonSchema(SubjectAccessRequest, 'input'),
  response: { 200: jsonSchema(SubjectAccessResponse, 'output'), ...errorResponses },
};
const eraseSchema = {
  body: jsonSchema(SubjectEraseRequest, 'input'),
  response: { 200: jsonSchema(SubjectEraseResponse, 'output'), ...errorResponses },
};

export const subjectRoutes: FastifyPluginAsync<ConsentRouteOptions> = async (app, opts) => {
  const { store, now } = opts;
  app.post<{ Body: SubjectAccessRequest }>(
    '/v1/subject/access',
    { schema: accessSchema, config: identifiedRouteConfig },
    async (request, reply) => identified(opts, reply, request.body, () => store.accessSubject(kioskOf(request), request.body, now())),
  );
  app.post<{ Body: SubjectEraseRequest }>(
    '/v1/subject/erase',
    { schema: eraseSchema, config: identifiedRouteConfig },
    async (request, reply) => {
      const result = await identified(opts, reply, request.body, async () => {
        await proveControl(opts, kioskOf(request), request.body);
        return store.eraseSubject(kioskOf(request), request.body, now());
      });
      request.log.info({ kioskId: request.kiosk?.kioskId }, 'profile erased on request');
      return result;
    },
  );
};
