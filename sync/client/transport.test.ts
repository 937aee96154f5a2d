// The HTTP transport against real servers on loopback (http, and https with a throw-away CA).
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeLoopbackPki } from '../test/fixtures/tls.js';
import type { BatchRequest } from '../wire/schemas.js';
import type { SyncError } from './errors.js';
import { HttpTransport } from './transport.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const batch: BatchRequest = { kioskId: 'kiosk-1', sentAt: '2025-01-01T00:00:00.000Z', items: [{ any: 'item' }] };
const okBody = JSON.stringify({ receivedAt: '2025-01-01T00:00:01.000Z', results: [] });

let servers: Server[] = [];
afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  servers = [];
});

async function listen(server: Server, handler: Handler, scheme: 'http' | 'https' = 'http'): Promise<string> {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const serve = (handler: Handler) => listen(createHttpServer(), handler);
const answer =
  (status: number, body: string): Handler =>
  (_req, _body, res) =>
    res.writeHead(status).end(body);

async function sendError(transport: HttpTransport): Promise<SyncError> {
  try {
    await transport.send(batch);
  } catch (e) {
    return e as SyncError;
  } finally {
    await transport.close();
  }
  throw new Error('send succeeded');
}

describe('HttpTransport', () => {
  it('posts the batch as JSON with the bearer token and returns the validated answer', async () => {
    let seen: { url?: string; auth?: string; body?: unknown } = {};
    const url = await serve((req, body, res) => {
      seen = { url: req.url, auth: req.headers.authorization, body: JSON.parse(body) };
      res.writeHead(200, { 'content-type': 'application/json' }).end(okBody);
    });
    const transport = new HttpTransport({ registryUrl: `${url}/registry`, token: 'tok-123' });
    await expect(transport.send(batch)).resolves.toEqual(JSON.parse(okBody));
    await transport.close();
    expect(seen).toEqual({ url: '/registry/v1/batches', auth: 'Bearer tok-123', body: batch });
  });

  it.each([
    [401, 'CREDENTIALS_REJECTED'],
    // Issue 8: only 401 is about the token; a 403 or 413 is about the batch, which the client splits.
    [403, 'HTTP_STATUS'],
    [413, 'HTTP_STATUS'],
    [500, 'SERVER_ERROR'],
    [503, 'SERVER_ERROR'],
    [429, 'RATE_LIMITED'],
    [408, 'TIMEOUT'],
  ])('maps HTTP %i to %s', async (status, code) => {
    const url = await serve(answer(status, '{}'));
    expect((await sendError(new HttpTransport({ registryUrl: url, token: 't' }))).code).toBe(code);
  });

  it.each([
    ['garbage', 'not json at all'],
    ['truncated JSON', okBody.slice(0, 20)],
    ['JSON of the wrong shape', JSON.stringify({ ok: true })],
    ['a result of the wrong shape', JSON.stringify({ receivedAt: '2025-01-01T00:00:01.000Z', results: [{ status: 'fine' }] })],
  ])('rejects %s as BAD_RESPONSE', async (_name, body) => {
    const url = await serve(answer(200, body));
    expect((await sendError(new HttpTransport({ registryUrl: url, token: 't' }))).code).toBe('BAD_RESPONSE');
  });

  it('times out on a registry that never answers', async () => {
    const url = await serve(() => undefined);
    const error = await sendError(new HttpTransport({ registryUrl: url, token: 't', requestTimeoutMs: 150 }));
    expect(error.code).toBe('TIMEOUT');
  });

  it('reports a dropped connection and a refused port as NETWORK', async () => {
    const url = await serve((req) => req.socket.destroy());
    expect((await sendError(new HttpTransport({ registryUrl: url, token: 't' }))).code).toBe('NETWORK');
    const closed = await serve(answer(200, okBody));
    for (const s of servers) s.close();
    expect((await sendError(new HttpTransport({ registryUrl: closed, token: 't' }))).code).toBe('NETWORK');
  });

  it('trusts the configured CA over https, and only it', async () => {
    const pki = makeLoopbackPki();
    const url = await listen(createHttpsServer({ cert: pki.cert, key: pki.key }), answer(200, okBody), 'https');
    const trusted = new HttpTransport({ registryUrl: url, token: 't', ca: pki.ca });
    await expect(trusted.send(batch)).resolves.toMatchObject({ results: [] });
    await trusted.close();
    const error = await sendError(new HttpTransport({ registryUrl: url, token: 't' }));
    expect(error.code).toBe('NETWORK');
  });
});
