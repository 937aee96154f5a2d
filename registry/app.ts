// The registry's HTTP app, apart from any listening socket: tests drive it with app.inject, the
// server (server.ts) adds TLS and a port. Request bodies and personal data are never logged.
import rateLimit from '@fastify/rate-limit';
import fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { bundledStatements, type StatementCatalog } from '../sync/consent/statements.js';
import { logger as namedLogger } from '../sync/log.js';
import { assertNesting, BODY_LIMIT } from './body-limits.js';
import { RegistryError, errorBody } from './errors.js';
import { authenticate } from './http-auth.js';
import { batchRoutes } from './routes/batches.js';
import { capabilityRoutes } from './routes/capabilities.js';
import { challengeRoutes } from './routes/challenge.js';
import { consentRoutes } from './routes/consents.js';
import { feedRoutes } from './routes/feed.js';
import { fleetRoutes } from './routes/fleet.js';
import { keyRoutes } from './routes/keys.js';
import { provisionRoutes } from './routes/provision.js';
import { RegistrySigningKeys } from './signing-keys.js';
import { subjectRoutes } from './routes/subject.js';
import { verifyPageRoutes } from './verify/route.js';
import type { RegistryStore } from './store.js';
import { DEFAULT_SUBJECT_LIMIT, SubjectAttempts, type SubjectLimit } from './subject-attempts.js';

export interface AppDeps {
  store: RegistryStore;
  /** The registry's clock (receive times). */
  now: () => Date;
  logger?: Logger;
  /** Misses allowed per identified subject (name) per window; DEFAULT_SUBJECT_LIMIT when absent. */
  subjectLimit?: SubjectLimit;
  /** Requests per kiosk per window; DEFAULT_KIOSK_RATE when absent. */
  kioskRate?: KioskRate;
  /** The published statements (a provisioned kiosk learns the current versions); resources/consent when absent. */
  statements?: StatementCatalog;
}

export interface KioskRate {
  max: number;
  windowMs: number;
}

/**
 * Per kiosk: a kiosk draining a day's backlog sends a few batches, and splitting a refused batch a
 * few dozen more; 20 a second on average is far above that and far below what one kiosk could
 * make the registry spend.
 */
export const DEFAULT_KIOSK_RATE: KioskRate = { max: 1_200, windowMs: 60_000 };

export interface TlsMaterial {
  cert: string | Buffer;
  key: string | Buffer;
}

export function buildApp(deps: AppDeps, tls?: TlsMaterial): FastifyInstance {
  const options = {
    loggerInstance: deps.logger ?? namedLogger('registry'),
    bodyLimit: BODY_LIMIT,
    // One line per request instead (onResponse below): kiosk, route, status, time; never a body.
    logController: new LogController({ disableRequestLogging: true }),
    // Strict envelopes: no silent removal of unknown fields, no type coercion.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  };
  // Both servers serve the same routes; the instance type differs only in the raw server class.
  const app = (tls
    ? fastify<HttpsServer>({ ...options, https: { cert: tls.cert, key: tls.key } })
    : fastify(options)) as unknown as FastifyInstance;

  app.decorateRequest('kiosk', null);
  app.decorateRequest('backOffice', null);
  app.addHook('onRequest', authenticate(deps.store));
  // JSON as fastify parses it (prototype poisoning refused), after the nesting scan.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      assertNesting(body as string);
    } catch (e) {
      done(e as Error, undefined);
      return;
    }
    void parseJson(request, body as string, done);
  });
  // Keyed by the authenticated kiosk (the auth hook runs first, as an app-level hook), before the body is read.
  const rate = deps.kioskRate ?? DEFAULT_KIOSK_RATE;
  void app.register(rateLimit, {
    max: rate.max,
    timeWindow: rate.windowMs,
    keyGenerator: (request) => request.kiosk?.kioskId ?? (request.backOffice ? `back-office:${request.backOffice.chainId}` : request.ip),
    errorResponseBuilder: (_request, context) =>
      new RegistryError('RATE_LIMITED', `too many requests from this kiosk; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        kioskId: request.kiosk?.kioskId,
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof RegistryError) return reply.code(err.statusCode).send(errorBody(err.code, err.message));
    const e = err as { validation?: unknown; statusCode?: number; message: string; code?: unknown };
    if (e.validation) return reply.code(400).send(errorBody('INVALID_REQUEST', e.message));
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.code(413).send(errorBody('BODY_TOO_LARGE', `the body is larger than ${BODY_LIMIT} bytes`));
    if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send(errorBody('INVALID_REQUEST', e.message));
    }
    request.log.error({ err: { type: (err as Error).name, code: (err as { code?: unknown }).code } }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL', 'internal error'));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody('NOT_FOUND', 'no such route')));

  const signing = new RegistrySigningKeys(deps.store);
  void app.register(batchRoutes, { store: deps.store, signing, now: deps.now });
  void app.register(keyRoutes, { store: deps.store, signing, now: deps.now });
  void app.register(feedRoutes, { store: deps.store });
  void app.register(fleetRoutes, { store: deps.store, now: deps.now });
  void app.register(capabilityRoutes);
  void app.register(provisionRoutes, { store: deps.store, now: deps.now, statements: deps.statements ?? bundledStatements() });
  void app.register(verifyPageRoutes, { statements: deps.statements ?? bundledStatements() });
  const identification = {
    store: deps.store,
    now: deps.now,
    keyer: deps.store.rules.keyer,
    attempts: new SubjectAttempts(deps.subjectLimit ?? DEFAULT_SUBJECT_LIMIT, deps.now),
  };
  void app.register(consentRoutes, identification);
  void app.register(subjectRoutes, identification);
  void app.register(challengeRoutes, identification);
  return app;
}
