// An HTTP proxy on 127.0.0.1 between the sync client and the registry, with scripted faults per
// request: the failures a kiosk's network and a sick registry produce, on a real socket.
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export const FAULTS = {
  /** Forward untouched. */
  pass: 'forwarded',
  /** Drop the connection before the registry sees the request. */
  'drop-before-forward': 'not forwarded',
  /** Forward, let the registry commit, then drop the connection before answering. */
  'drop-after-commit': 'forwarded',
  /** Answer 500 without forwarding. */
  'status-500': 'not forwarded',
  /** Never answer: the client must time out. */
  hang: 'not forwarded',
  /** Answer 200 with a body that is not JSON. */
  garbage: 'not forwarded',
  /** Forward, then answer 200 with the registry's body cut in half. */
  truncated: 'forwarded',
  /** Answer 200 with valid JSON of the wrong shape. */
  'wrong-shape': 'not forwarded',
  /** Forward, then answer the registry's body with every idempotency key replaced by a stranger's. */
  'foreign-keys': 'forwarded',
} as const;
export type Fault = keyof typeof FAULTS;

export interface FaultProxy {
  readonly url: string;
  /** Faults for the next requests, in order; once used up, requests pass. */
  script(...faults: Fault[]): void;
  /** The fault each request got, in arrival order. */
  readonly history: readonly Fault[];
  close(): Promise<void>;
}

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const queue: Fault[] = [];
  const history: Fault[] = [];

  const server = createServer((req, res) => {
    const fault = queue.shift() ?? 'pass';
    history.push(fault);
    readBody(req)
      .then((body) => handle(fault, req, body, res))
      .catch(() => res.destroy());
  });

  async function handle(fault: Fault, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    if (fault === 'hang') return; // close() ends it with closeAllConnections()
    if (fault === 'drop-before-forward') return drop(res);
    if (fault === 'status-500') return answer(res, 500, '{"code":"INTERNAL","message":"injected"}');
    if (fault === 'garbage') return answer(res, 200, '<html>502 Bad Gateway</html>');
    if (fault === 'wrong-shape') return answer(res, 200, '{"ok":true,"results":"all good"}');
    const upstream = await forward(target, req, body);
    if (fault === 'drop-after-commit') return drop(res);
    if (fault === 'truncated') return answer(res, 200, upstream.body.subarray(0, Math.floor(upstream.body.length / 2)));
    if (fault === 'foreign-keys') return answer(res, upstream.status, replaceKeys(upstream.body.toString('utf8')));
    answer(res, upstream.status, upstream.body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    script: (...faults) => void queue.push(...faults),
    history,
    close: async () => {
      queue.length = 0;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function drop(res: ServerResponse): void {
  res.socket?.destroy();
}

function answer(res: ServerResponse, status: number, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Upstream {
  status: number;
  body: Buffer;
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
    delete headers.connection;
    const up = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false },
      (res) => {
        readBody(res)
          .then((b) => resolve({ status: res.statusCode ?? 502, body: b }))
          .catch(reject);
      },
    );
    up.on('error', reject);
    up.end(body);
  });
}

function replaceKeys(json: string): string {
  try {
    const parsed = JSON.parse(json) as { results?: { idempotencyKey?: string }[] };
    for (const r of parsed.results ?? []) r.idempotencyKey = randomUUID();
    return JSON.stringify(parsed);
  } catch {
    return json;
  }
}
