// "My consents" and the returning-customer check ask the registry directly (online only): POST
// /v1/consents/lookup, /v1/consents/withdraw, /v1/subject/challenge and /v1/subject/erase, with the kiosk's bearer token,
// and GET /v1/capabilities to know whether erasure is offered. The identification body is the
// person's name plus one confirming detail; it is sent, never logged. The returning-customer check
// is a lookup of scope 'chain': it runs before the customer decided for the registry.
import { RegistryHttp } from '../sync/client/registry-http.js';
import {
  ConsentLookupResponse,
  ConsentWithdrawResponse,
  ErrorResponse,
  RegistryCapabilities,
  type ConsentWithdrawRequest,
  type LookupScope,
  type SubjectIdentification,
  type SubjectChallengeRequest,
} from '../sync/wire/registry-api.js';
import type { RegistryErrorCode } from '../sync/wire/error-codes.js';
import type { ErrorCode } from '../api/contract.js';
import { HostError } from './errors.js';

export type Identification = SubjectIdentification;

export interface RegistryDeskOptions {
  registryUrl: string;
  token: string;
  ca?: string | Buffer;
  /** Default 5 s: a customer is waiting at the counter. */
  timeoutMs?: number;
}

export class RegistryDesk {
  readonly #http: RegistryHttp;
  /** What the registry offers, asked once per desk; a failed ask is forgotten, so the next one retries. */
  #capabilities: Promise<RegistryCapabilities> | undefined;

  constructor({ timeoutMs, ...opts }: RegistryDeskOptions) {
    this.#http = new RegistryHttp({ ...opts, timeoutMs: timeoutMs ?? 5000 });
  }

  /**
   * NOT_FOUND when the registry knows no such customer; REGISTRY_UNREACHABLE when offline. Scope
   * 'chain': answered for this kiosk's chain only, from its own keys and records.
   */
  async lookup(who: Identification, scope: LookupScope = 'registry'): Promise<ConsentLookupResponse> {
    // The default scope goes unsaid, so a registry older than the scope still answers "my consents".
    const { status, body } = await this.#call('POST', 'v1/consents/lookup', {
      ...who,
      ...(scope === 'chain' && { scope }),
      recordIds: true,
    });
    return parse(ConsentLookupResponse, expectOk(status, body));
  }

  async withdraw(body: ConsentWithdrawRequest): Promise<ConsentWithdrawResponse> {
    const answer = await this.#call('POST', 'v1/consents/withdraw', body);
    return parse(ConsentWithdrawResponse, expectOk(answer.status, answer.body));
  }

  /** Does this registry offer erasure? As its capabilities say; an older registry without them does not. */
  async erasureOffered(): Promise<boolean> {
    this.#capabilities ??= this.#askCapabilities().catch((e: unknown) => {
      this.#capabilities = undefined;
      throw e;
    });
    return (await this.#capabilities).erasure;
  }

  /** Asks the registry to send a one-time code to what it holds; it answers alike whether or not it knows the customer. */
  async challenge(req: SubjectChallengeRequest): Promise<void> {
    const { status, body } = await this.#call('POST', 'v1/subject/challenge', req);
    expectOk(status, body);
  }

  /** false when the registry does not offer erasure (nothing is sent); NOT_FOUND when it knows no such customer. */
  async erase(who: Identification & { oneTimeCode?: string }): Promise<boolean> {
    if (!(await this.erasureOffered())) return false;
    const { status, body } = await this.#call('POST', 'v1/subject/erase', who);
    expectOk(status, body);
    return true;
  }

  close(): Promise<void> {
    return this.#http.close();
  }

  async #askCapabilities(): Promise<RegistryCapabilities> {
    const { status, body } = await this.#call('GET', 'v1/capabilities');
    // The route came with the capabilities themselves: a registry without it offers nothing beyond batches.
    if (status === 404) return { erasure: false };
    return parse(RegistryCapabilities, expectOk(status, body));
  }

  async #call(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<{ status: number; body: unknown }> {
    const answer = await this.#http.call(method, path, payload).catch(() => {
      throw new HostError('REGISTRY_UNREACHABLE');
    });
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      body = undefined;
    }
    return { status: answer.status, body };
  }
}

const codeOf = (body: unknown): RegistryErrorCode | undefined => {
  const parsed = ErrorResponse.safeParse(body);
  return parsed.success ? parsed.data.code : undefined;
};

/** The registry's refusal as the host's code: a table over every registry code, so a new one cannot be missed. */
const HOST_CODE = {
  CONSUMER_NOT_FOUND: 'NOT_FOUND',
  PROOF_REQUIRED: 'PROOF_REQUIRED',
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
  UNKNOWN_ENROLL_CODE: 'REGISTRY_UNREACHABLE',
  FORBIDDEN: 'REGISTRY_UNREACHABLE',
  PLAIN_HTTP_REFUSED: 'REGISTRY_UNREACHABLE',
  TLS_INCOMPLETE: 'REGISTRY_UNREACHABLE',
  SCHEMA_TOO_NEW: 'REGISTRY_UNREACHABLE',
  BAD_MIGRATIONS: 'REGISTRY_UNREACHABLE',
  MIGRATION_FAILED: 'REGISTRY_UNREACHABLE',
  BAD_DATABASE_URL: 'REGISTRY_UNREACHABLE',
  NO_MATCH_KEY: 'REGISTRY_UNREACHABLE',
  KEY_REFUSED: 'REGISTRY_UNREACHABLE',
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
