// The kiosk's one HTTP client for the registry, under the sync transport and the host's registry
// desk: one connection pool (undici Agent) trusting the registry's own CA, the bearer token, paths
// joined under the configured URL (a base path kept), and a time-out on every call. HTTPS only;
// plain http only to loopback, for tests.
import { Agent, request } from 'undici';
import { isLoopbackHost } from '../loopback.js';
import { errorCodeOf, SyncError } from './errors.js';

export interface RegistryHttpOptions {
  registryUrl: string;
  /** The kiosk's bearer token, issued at provisioning; absent only for the provisioning exchange itself. */
  token?: string;
  /** PEM of the registry's CA; the system store is used when absent. */
  ca?: string | Buffer;
  /** How long one call may take, answer included; each caller says its own (no shared default). */
  timeoutMs: number;
}

export interface RegistryAnswer {
  status: number;
  /** The body as received; each caller parses (and judges) it against its own schema. */
  text: string;
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

export class RegistryHttp {
  readonly #base: URL;
  readonly #agent: Agent;

  constructor(private readonly options: RegistryHttpOptions) {
    const url = assertSafeRegistryUrl(options.registryUrl);
    // Without the trailing slash, URL resolution would drop the base path's last segment.
    this.#base = url.pathname.endsWith('/') ? url : new URL(`${url.href}/`);
    this.#agent = new Agent({ connect: options.ca ? { ca: options.ca } : {} });
  }

  /** `path` is relative ('v1/batches'). Rejects with a SyncError TIMEOUT or NETWORK; any HTTP status resolves. */
  async call(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<RegistryAnswer> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.options.timeoutMs);
    try {
      const res = await request(new URL(path, this.#base), {
        dispatcher: this.#agent,
        method,
        // A content type without a body is refused by the registry's JSON parser.
        headers: {
          ...(this.options.token === undefined ? {} : { authorization: `Bearer ${this.options.token}` }),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
        signal: abort.signal,
      });
      return { status: res.statusCode, text: await res.body.text() };
    } catch (cause) {
      if (abort.signal.aborted) throw new SyncError('TIMEOUT', `${this.options.timeoutMs} ms`, { cause });
      throw new SyncError('NETWORK', errorCodeOf(cause), { cause });
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}
