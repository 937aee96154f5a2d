// The one registry HTTP client: what it puts on the wire (paths under a base path, the token, a
// body only when there is one), its time-out, and which URLs it refuses. The transport's tests
// cover the rest over it (status mapping, dropped connections, the pinned CA over https).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeRegistryUrl, RegistryHttp } from './registry-http.js';

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let origin: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      // '/slow/...' never answers: the caller's time-out must end the call.
      if (!req.url?.startsWith('/slow/')) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function callOnce(registryUrl: string, ...args: Parameters<RegistryHttp['call']>): Promise<Seen> {
  const http = new RegistryHttp({ registryUrl, token: 'tok-1', timeoutMs: 2_000 });
  try {
    expect(await http.call(...args)).toEqual({ status: 200, text: '{"ok":true}' });
  } finally {
    await http.close();
  }
  return seen.at(-1)!;
}

describe('RegistryHttp', () => {
  it('joins paths under the base path, with or without its trailing slash', async () => {
    expect((await callOnce(`${origin}/registry`, 'GET', 'v1/capabilities')).url).toBe('/registry/v1/capabilities');
    expect((await callOnce(`${origin}/registry/`, 'GET', 'v1/capabilities')).url).toBe('/registry/v1/capabilities');
    expect((await callOnce(origin, 'GET', 'v1/capabilities')).url).toBe('/v1/capabilities');
  });

  it('sends the bearer token, and a JSON content type only with a body', async () => {
    const post = await callOnce(origin, 'POST', 'v1/consents/lookup', { surname: 'X' });
    expect(post).toMatchObject({ method: 'POST', body: '{"surname":"X"}' });
    expect(post.headers).toMatchObject({ authorization: 'Bearer tok-1', 'content-type': 'application/json' });
    const get = await callOnce(origin, 'GET', 'v1/capabilities');
    expect(get).toMatchObject({ method: 'GET', body: '' });
    expect(get.headers.authorization).toBe('Bearer tok-1');
    expect(get.headers['content-type']).toBeUndefined();
  });

  it('ends a call that outlives its time-out with TIMEOUT', async () => {
    const http = new RegistryHttp({ registryUrl: origin, token: 't', timeoutMs: 150 });
    await expect(http.call('GET', 'slow/v1/capabilities')).rejects.toMatchObject({ code: 'TIMEOUT', detail: '150 ms' });
    await http.close();
  });

  it('allows plain http only to loopback', () => {
    for (const ok of ['https://registry.example.be', 'http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:2']) {
      expect(() => assertSafeRegistryUrl(ok)).not.toThrow();
    }
    for (const bad of ['http://registry.example.be', 'http://10.0.0.1', 'ftp://127.0.0.1', 'not a url']) {
      expect(() => assertSafeRegistryUrl(bad)).toThrow(expect.objectContaining({ code: 'INSECURE_URL' }));
    }
    expect(() => new RegistryHttp({ registryUrl: 'http://registry.example.be', token: 't', timeoutMs: 1 })).toThrow(
      expect.objectContaining({ code: 'INSECURE_URL' }),
    );
  });
});
