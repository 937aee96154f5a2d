// The loopback transport: the host's API over a WebSocket on 127.0.0.1, and the built UI beside it,
// for a browser where Electron is absent (Chromium's app mode, the end-to-end tests). Guards: it
// listens on loopback only; every request must name our Host (no DNS rebinding); the WebSocket needs
// the per-start secret and our exact Origin. The secret reaches the page in the URL's fragment, which
// a browser never sends to any server and no other origin can read. Generic over the contract's
// tables: a new call or event needs nothing here.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { isLoopbackHost } from '../../sync/loopback.js';
import { events, type EventName, type KioskApi, type Result } from '../../api/contract.js';
import { contentSecurityPolicy } from '../csp.js';
import { CallFrame, LOOPBACK_PATH, TOKEN_PARAM, type ServerFrame } from '../../api/loopback-frames.js';

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
  /** 32 random bytes by default; injected by tests. */
  secret?: string;
}

export interface LoopbackServer {
  /** http://127.0.0.1:PORT/#token=SECRET: open this. */
  url: string;
  origin: string;
  secret: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 256 * 1024;

const sameSecret = (given: string, secret: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
};

export async function startLoopback(opts: LoopbackOptions): Promise<LoopbackServer> {
  const secret = opts.secret ?? randomBytes(32).toString('base64url');
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
    const token = request.query[TOKEN_PARAM] ?? '';
    if (request.headers.origin !== origin || !sameSecret(token, secret)) return reply.code(403).send({ code: 'FORBIDDEN' });
  };
  app.get<{ Querystring: Record<string, string | undefined> }>(LOOPBACK_PATH, { websocket: true, preValidation: guard }, (socket) =>
    serveSocket(socket, opts.host),
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
  return { url: `${origin}/#${TOKEN_PARAM}=${secret}`, origin, secret, app, close: () => app.close() };
}

/** One page's connection: calls in, results and every host event out, until it closes. */
function serveSocket(socket: WebSocket, host: HostEndpoint): void {
  const send = (frame: ServerFrame) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
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
