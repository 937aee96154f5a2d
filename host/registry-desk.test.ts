// The registry desk learns whether erasure is offered from the registry's capabilities, never by
// calling the erase route: against the reference registry (through a proxy that logs each request)
// and against an older registry without the capabilities route.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../registry/test/fixtures/registry.js';
import { HttpTransport } from '../sync/client/transport.js';
import { startFaultProxy, type FaultProxy } from '../sync/test/fixtures/fault-proxy.js';
import { enrollmentItem } from '../sync/test/fixtures/payloads.js';
import type { ConsentOverview } from '../api/contract.js';
import { RegistryDesk } from './registry-desk.js';
import { CONFIG, testHost } from './test-support.js';

const CUSTOMER = { surname: 'Maes', firstNames: 'Noor', email: 'noor.maes@example.be' };
const LOOKUP = 'POST /v1/consents/lookup';
const CAPABILITIES = 'GET /v1/capabilities';
const ERASE = 'POST /v1/subject/erase';

describe('the desk with the reference registry', () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let desk: RegistryDesk;
  beforeAll(async () => {
    registry = await startRegistry({ db: 'sqlite' });
    const token = await registry.provisionKiosk(CONFIG.kioskId, CONFIG.chainId, CONFIG.storeId);
    const transport = new HttpTransport({ registryUrl: registry.url, token });
    const item = enrollmentItem(CONFIG, { source: 'manual', person: { ...CUSTOMER, birthDate: undefined } });
    expect((await transport.send({ kioskId: CONFIG.kioskId, sentAt: item.createdAt, items: [item] })).results[0]?.status).toBe('accepted');
    await transport.close();
    proxy = await startFaultProxy(registry.url);
    desk = new RegistryDesk({ registryUrl: proxy.url, token });
  });
  afterAll(async () => {
    await desk.close();
    await proxy.close();
    await registry.close();
  });

  it('asks the capabilities once, and calls the erase route only when the customer erases', async () => {
    const h = testHost({ desk });
    try {
      const lookUp = async () => {
        await h.ok('session.start', { language: 'en', intent: 'my-consents' });
        await h.ok('card.decline');
        await h.ok('manual.submit', CUSTOMER);
        return h.ok<ConsentOverview>('myConsents.lookup');
      };
      expect((await lookUp()).erasureOffered).toBe(true);
      await h.ok('session.end', { reason: 'done' });
      expect((await lookUp()).erasureOffered).toBe(true);
      expect([...proxy.requests].sort()).toEqual([CAPABILITIES, LOOKUP, LOOKUP]);

      // Typed details without the one-time code: the registry asks for it (one-time-code-mail.test.ts erases with it).
      expect(await h.code('myConsents.erase')).toBe('PROOF_REQUIRED');
      expect(proxy.requests.filter((r) => r === ERASE)).toHaveLength(1);
      expect(proxy.requests.filter((r) => r === CAPABILITIES)).toHaveLength(1);
    } finally {
      h.dispose();
    }
  });
});

describe('the desk with an older registry, without the capabilities route', () => {
  let server: Server;
  let url: string;
  const requests: string[] = [];
  /** The status GET /v1/capabilities answers next (404: the route is unknown). */
  const capabilities: number[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const request = `${req.method} ${req.url}`;
      requests.push(request);
      const status = request === LOOKUP ? 200 : request === CAPABILITIES ? (capabilities.shift() ?? 404) : 404;
      const body = status === 200 ? { chain: [], registry: [] } : status === 404 ? { code: 'NOT_FOUND', message: 'no such route' } : {};
      req.resume().on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('reads a 404 as no erasure, and then sends no erasure request', async () => {
    requests.length = 0;
    const desk = new RegistryDesk({ registryUrl: url, token: 't' });
    try {
      await desk.lookup(CUSTOMER);
      expect(await desk.erasureOffered()).toBe(false);
      expect(await desk.erase(CUSTOMER)).toBe(false);
      expect(requests).toEqual([LOOKUP, CAPABILITIES]);
    } finally {
      await desk.close();
    }
  });

  it('asks again after a failed ask, and keeps the answer once it has one', async () => {
    requests.length = 0;
    capabilities.push(503);
    const desk = new RegistryDesk({ registryUrl: url, token: 't' });
    try {
      await expect(desk.erasureOffered()).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE' });
      expect(await desk.erasureOffered()).toBe(false);
      expect(await desk.erasureOffered()).toBe(false);
      expect(requests).toEqual([CAPABILITIES, CAPABILITIES]);
    } finally {
      await desk.close();
    }
  });
});
