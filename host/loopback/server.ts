// The loopback transport: the host's API over a WebSocket on 127.0.0.1, and the built UI beside it,
// for a browser where Electron is absent (Chromium's app mode, the end-to-end tests). Guards: it
// listens on loopback only; every request must name our Host (no DNS rebinding); the WebSocket needs
// our exact Origin and either the one-time ticket (the page's URL fragment, which a browser never
// sends to a server: accepted once and within a minute of its making, answered with the session
// secret) or the session secret (a reconnect). The secret is on no command line and in no log. One live connection at a time: a new
// one closes the old, and starts with the manager view locked, so an unlock belongs to the connection
// that made it. Generic over the contract's tables: a new call or event needs nothing here.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { isLoopbackHost } from '../../sync/loopback.js';
import { events, type EventName, type KioskApi, type Result } from '../../api/contract.js';
import { contentSecurityPolicy } from '../csp.js';
import { sameSecret, ticketFor, ticketNumber } from './ticket.js';
import { CallFrame, LOOPBACK_PATH, REPLACED_CLOSE_CODE, TICKET_PARAM, TOKEN_PARAM, type ServerFrame } from '../../api/loopback-frames.js';

/** What the transport needs of the host: its untyped entry point (it validates) and its events. */
export interface HostEndpoint {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  on: KioskApi['on'];
}

export interface LoopbackOptions {
  host: HostEndpoint;
  port: number;
  /** The built renderer (vite's output); a page saying so is served when it is missing. */
  uiDir: string;
  /** 32 random bytes by default; injected by tests and by a harness that starts the host (SECRET_ENV). */
  secret?: string;
  /** Milliseconds since the epoch; a ticket's age is measured with it. */
  now?: () => number;
}

export interface LoopbackServer {
  /** http://127.0.0.1:PORT/#ticket=TICKET: open this, once. */
  url: string;
  origin: string;
  secret: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 256 * 1024;

export async function startLoopback(opts: LoopbackOptions): Promise<LoopbackServer> {
  const secret = opts.secret ?? randomBytes(32).toString('base64url');
  const now = opts.now ?? Date.now;
  const usedTickets = new Set<number>();
  const app = Fastify({ logger: false, bodyLimit: 1024 });
  let origin = '';
  let hostHeader = '';

  app.addHook('onRequest', async (request, reply) => {
    if (!isLoopbackHost(request.socket.remoteAddress ?? '') || request.headers.host !== hostHeader) {
      return reply.code(403).send({ code: 'FORBIDDEN' });
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', contentSecurityPolicy(`'self' ws://${hostHeader}`));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cache-control', 'no-store');
    return payload;
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  const guard = async (
    request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
    reply: { code(n: number): { send(b: unknown): unknown } },
  ) => {
    if (request.headers.origin !== origin) return reply.code(403).send({ code: 'FORBIDDEN' });
    const given = request.query[TICKET_PARAM];
    const n = given === undefined ? undefined : ticketNumber(given, secret, usedTickets, now());
    if (n !== undefined) {
      usedTickets.add(n);
      return;
    }
    if (given !== undefined || !sameSecret(request.query[TOKEN_PARAM] ?? '', secret)) return reply.code(403).send({ code: 'FORBIDDEN' });
  };
  let live: WebSocket | undefined;
  app.get<{ Querystring: Record<string, string | undefined> }>(
    LOOPBACK_PATH,
    { websocket: true, preValidation: guard },
    (socket, request) => {
      live?.close(REPLACED_CLOSE_CODE, 'replaced');
      live = socket;
      socket.on('close', () => {
        if (live === socket) live = undefined;
      });
      // Queued before any call of the new connection: calls run one at a time.
      void opts.host.call('manager.lock', {});
      serveSocket(socket, opts.host, request.query[TICKET_PARAM] !== undefined ? secret : undefined);
    },
  );

  if (existsSync(opts.uiDir)) {
    await app.register(fastifyStatic, { root: opts.uiDir, index: 'index.html', wildcard: true });
  } else {
    app.get('/', async (_request, reply) =>
      reply.code(503).type('text/plain').send('The kiosk UI is not built: run `npm run build:ui` first.'),
    );
  }

  await app.listen({ port: opts.port, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  hostHeader = `127.0.0.1:${port}`;
  return { url: `${origin}/#${TICKET_PARAM}=${ticketFor(secret, 0, now())}`, origin, secret, app, close: () => app.close() };
}

/** One page's connection: (the secret, when it came with the ticket,) calls in, results and every host event out, until it closes. */
function serveSocket(socket: WebSocket, host: HostEndpoint, secret: string | undefined): void {
  const send = (frame: ServerFrame) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  if (secret !== undefined) send({ t: 'secret', secret });
  const unsubscribe = (Object.keys(events) as EventName[]).map((name) => host.on(name, (payload) => send({ t: 'event', name, payload })));
  socket.on('close', () => unsubscribe.forEach((off) => off()));
  socket.on('message', (data, isBinary) => {
    let frame: CallFrame;
    try {
      if (isBinary) throw new Error('binary');
      frame = CallFrame.parse(JSON.parse(String(data)));
    } catch {
      socket.close(1003, 'bad frame');
      return;
    }
    void host.call(frame.name, frame.input).then((result) => send({ t: 'result', id: frame.id, result }));
  });
}
