// POST /v1/subject/challenge: sends the identified consumer a one-time code at the e-mail address
// or mobile number the registry holds (subject-proof.ts), the proof the typed path needs to erase or
// withdraw a registry consent. The same 202 whether anyone was found or not, behind the same rate
// limits as every identified route (identified.ts): a miss still counts against the name.
import type { FastifyPluginAsync } from 'fastify';
import { SubjectChallengeRequest, SubjectChallengeResponse } from '../../sync/wire/registry-api.js';
import { RegistryError } from '../errors.js';
import { kioskOf } from '../http-auth.js';
import { errorResponses, jsonSchema } from '../json-schema.js';
import type { ConsentRouteOptions } from './consents.js';
import { identified, identifiedRouteConfig } from './identified.js';

const challengeSchema = {
  body: jsonSchema(SubjectChallengeRequest, 'input'),
  response: { 202: jsonSchema(SubjectChallengeResponse, 'output'), ...errorResponses },
};

export const challengeRoutes: FastifyPluginAsync<ConsentRouteOptions> = async (app, opts) => {
  const { store, now } = opts;
  app.post<{ Body: SubjectChallengeRequest }>(
    '/v1/subject/challenge',
    { schema: challengeSchema, config: identifiedRouteConfig },
    async (request, reply) => {
      try {
        await identified(opts, reply, request.body, () => store.challengeSubject(kioskOf(request), request.body, now()));
      } catch (e) {
        if (!(e instanceof RegistryError && e.code === 'CONSUMER_NOT_FOUND')) throw e;
      }
      return reply.code(202).send({ sent: 'if-found' } satisfies SubjectChallengeResponse);
    },
  );
};
