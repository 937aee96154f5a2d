// The registry client's one I/O seam: send a batch, get the validated answer or a SyncError.
// HTTPS with the registry's own CA (undici Agent, connect.ca); plain http only to loopback, for tests.
import { Agent, request } from 'undici';
import { isLoopbackHost } from '../loopback.js';
import { BatchResponse, type BatchRequest } from '../wire/schemas.js';
import { describeIssues } from '../zod-issues.js';
import { errorCodeOf, SyncError } from './errors.js';

export interface RegistryTransport {
  /** Resolves to a schema-valid BatchResponse; rejects with a SyncError for anything else. */
  send(batch: BatchRequest): Promise<BatchResponse>;
  close(): Promise<void>;
}

export interface HttpTransportOptions {
  registryUrl: string;
  /** The kiosk's bearer token, issued at provisioning. */
  token: string;
  /** PEM of the registry's CA; the system store is used when absent. */
  ca?: string | Buffer;
  requestTimeoutMs?: number;
}

/** Rejects URLs that would send the kiosk token in clear over a real network. */
export function assertSafeRegistryUrl(registryUrl: string): URL {
  let url: URL;
  try {
    url = new URL(registryUrl);
  } catch (cause) {
    throw new SyncError('INSECURE_URL', 'not a URL', { cause });
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new SyncError('INSECURE_URL', `${url.protocol}//${url.hostname}`);
}

export class HttpTransport implements RegistryTransport {
  private readonly endpoint: URL;
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpTransportOptions) {
    this.endpoint = new URL('v1/batches', withTrailingSlash(assertSafeRegistryUrl(options.registryUrl)));
    this.agent = new Agent({ connect: options.ca ? { ca: options.ca } : {} });
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  async send(batch: BatchRequest): Promise<BatchResponse> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    let status: number;
    let text: string;
    try {
      const res = await request(this.endpoint, {
        dispatcher: this.agent,
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch),
        signal: abort.signal,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (cause) {
      if (abort.signal.aborted) throw new SyncError('TIMEOUT', `${this.timeoutMs} ms`, { cause });
      throw new SyncError('NETWORK', errorCodeOf(cause), { cause });
    } finally {
      clearTimeout(timer);
    }
    return parseAnswer(status, text);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function parseAnswer(status: number, text: string): BatchResponse {
  // Only 401 says the token is refused; any other 4xx is about the batch, which the client then splits.
  if (status === 401) throw new SyncError('CREDENTIALS_REJECTED', String(status));
  if (status === 429) throw new SyncError('RATE_LIMITED', String(status));
  if (status === 408) throw new SyncError('TIMEOUT', String(status));
  if (status >= 500) throw new SyncError('SERVER_ERROR', String(status));
  if (status < 200 || status >= 300) throw new SyncError('HTTP_STATUS', String(status));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SyncError('BAD_RESPONSE', 'not JSON', { cause });
  }
  const parsed = BatchResponse.safeParse(json);
  if (!parsed.success) {
    throw new SyncError('BAD_RESPONSE', describeIssues(parsed.error.issues, { limit: 1 }));
  }
  return parsed.data;
}

function withTrailingSlash(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.href}/`);
}
