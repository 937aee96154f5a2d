// "My consents" and the returning-customer check ask the registry directly (online only): POST
// /v1/consents/lookup, /v1/consents/withdraw and /v1/subject/erase, with the kiosk's bearer token.
// The identification body is the person's name plus one confirming detail; it is sent, never logged.
import { Agent, request } from 'undici';
import { assertSafeRegistryUrl } from '../../sync/client/transport.js';
import {
  ConsentLookupResponse,
  ConsentWithdrawResponse,
  ErrorResponse,
  type ConsentLookupRequest,
  type ConsentWithdrawRequest,
} from '../../sync/wire/registry-api.js';
import { HostError } from './errors.js';

export type Identification = ConsentLookupRequest;

export interface RegistryDeskOptions {
  registryUrl: string;
  token: string;
  ca?: string | Buffer;
  timeoutMs?: number;
}

export class RegistryDesk {
  readonly #base: URL;
  readonly #agent: Agent;
  readonly #timeoutMs: number;

  constructor(private readonly opts: RegistryDeskOptions) {
    const url = assertSafeRegistryUrl(opts.registryUrl);
    this.#base = url.pathname.endsWith('/') ? url : new URL(`${url.href}/`);
    this.#agent = new Agent({ connect: opts.ca ? { ca: opts.ca } : {} });
    this.#timeoutMs = opts.timeoutMs ?? 5000;
  }

  /** NOT_FOUND when the registry knows no such customer; REGISTRY_UNREACHABLE when offline. */
  async lookup(who: Identification): Promise<ConsentLookupResponse> {
    const { status, body } = await this.#post('v1/consents/lookup', who);
    return parse(ConsentLookupResponse, expectOk(status, body));
  }

  async withdraw(body: ConsentWithdrawRequest): Promise<ConsentWithdrawResponse> {
    const answer = await this.#post('v1/consents/withdraw', body);
    return parse(ConsentWithdrawResponse, expectOk(answer.status, answer.body));
  }

  /** Does this registry have the erasure route? An empty body is refused (400) by a route that exists. */
  async erasureOffered(): Promise<boolean> {
    const { status, body } = await this.#post('v1/subject/erase', {});
    return !(status === 404 && codeOf(body) === 'not-found');
  }

  /** false when the registry does not offer erasure; NOT_FOUND when it knows no such customer. */
  async erase(who: Identification): Promise<boolean> {
    const { status, body } = await this.#post('v1/subject/erase', who);
    if (status === 404 && codeOf(body) === 'not-found') return false;
    expectOk(status, body);
    return true;
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  async #post(path: string, payload: unknown): Promise<{ status: number; body: unknown }> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.#timeoutMs);
    try {
      const res = await request(new URL(path, this.#base), {
        dispatcher: this.#agent,
        method: 'POST',
        headers: { authorization: `Bearer ${this.opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: abort.signal,
      });
      const text = await res.body.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: res.statusCode, body };
    } catch {
      throw new HostError('REGISTRY_UNREACHABLE');
    } finally {
      clearTimeout(timer);
    }
  }
}

const codeOf = (body: unknown): string | undefined => {
  const parsed = ErrorResponse.safeParse(body);
  return parsed.success ? parsed.data.code : undefined;
};

function expectOk(status: number, body: unknown): unknown {
  if (status >= 200 && status < 300) return body;
  if (status === 404) throw new HostError('NOT_FOUND');
  if (status === 429) throw new HostError('RATE_LIMITED');
  if (status === 400 || status === 422) throw new HostError('INVALID_REQUEST');
  throw new HostError('REGISTRY_UNREACHABLE');
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HostError('REGISTRY_UNREACHABLE');
  return parsed.data;
}
