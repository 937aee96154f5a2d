// "My consents" and the returning-customer check ask the registry directly (online only): POST
// /v1/consents/lookup, /v1/consents/withdraw and /v1/subject/erase, with the kiosk's bearer token.
// The identification body is the person's name plus one confirming detail; it is sent, never logged.
import { Agent, request } from 'undici';
import { assertSafeRegistryUrl } from '../sync/client/transport.js';
import {
  ConsentLookupResponse,
  ConsentWithdrawResponse,
  ErrorResponse,
  type ConsentLookupRequest,
  type ConsentWithdrawRequest,
} from '../sync/wire/registry-api.js';
import type { RegistryErrorCode } from '../sync/wire/error-codes.js';
import type { ErrorCode } from '../api/contract.js';
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
    return !(status === 404 && codeOf(body) === 'NOT_FOUND');
  }

  /** false when the registry does not offer erasure; NOT_FOUND when it knows no such customer. */
  async erase(who: Identification): Promise<boolean> {
    const { status, body } = await this.#post('v1/subject/erase', who);
    if (status === 404 && codeOf(body) === 'NOT_FOUND') return false;
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

const codeOf = (body: unknown): RegistryErrorCode | undefined => {
  const parsed = ErrorResponse.safeParse(body);
  return parsed.success ? parsed.data.code : undefined;
};

/** The registry's refusal as the host's code: a table over every registry code, so a new one cannot be missed. */
const HOST_CODE = {
  CONSUMER_NOT_FOUND: 'NOT_FOUND',
  UNKNOWN_KIOSK: 'NOT_FOUND',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  INVALID_REQUEST: 'INVALID_REQUEST',
  BODY_TOO_DEEP: 'INVALID_REQUEST',
  BODY_TOO_LARGE: 'INVALID_REQUEST',
  UNAUTHENTICATED: 'REGISTRY_UNREACHABLE',
  KIOSK_REVOKED: 'REGISTRY_UNREACHABLE',
  KIOSK_MISMATCH: 'REGISTRY_UNREACHABLE',
  KIOSK_UNBOUND: 'REGISTRY_UNREACHABLE',
  PLAIN_HTTP_REFUSED: 'REGISTRY_UNREACHABLE',
  TLS_INCOMPLETE: 'REGISTRY_UNREACHABLE',
  SCHEMA_TOO_NEW: 'REGISTRY_UNREACHABLE',
  BAD_MIGRATIONS: 'REGISTRY_UNREACHABLE',
  MIGRATION_FAILED: 'REGISTRY_UNREACHABLE',
  BAD_DATABASE_URL: 'REGISTRY_UNREACHABLE',
  NO_MATCH_KEY: 'REGISTRY_UNREACHABLE',
  INTERNAL: 'REGISTRY_UNREACHABLE',
} as const satisfies Record<RegistryErrorCode, ErrorCode>;

function expectOk(status: number, body: unknown): unknown {
  if (status >= 200 && status < 300) return body;
  const code = codeOf(body);
  throw new HostError(code ? HOST_CODE[code] : 'REGISTRY_UNREACHABLE');
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HostError('REGISTRY_UNREACHABLE');
  return parsed.data;
}
