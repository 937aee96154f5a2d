// The registry client's one I/O seam: send a batch, get the validated answer or a SyncError.
// The HTTP itself (pool, CA, token, time-out) is registry-http.ts, shared with the host's desk.
import { KioskKeyRegistered, type KioskKeyRegistration } from '../proof/key-set.js';
import { RegistryCapabilities } from '../wire/registry-api.js';
import { BatchResponse, type BatchRequest } from '../wire/schemas.js';
import { describeIssues } from '../zod-issues.js';
import { RegistryHttp } from './registry-http.js';
import { SyncError } from './errors.js';

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
  /** Default 30 s: batches go in the background, and a busy registry may take a while to commit a full one. */
  requestTimeoutMs?: number;
}

export class HttpTransport implements RegistryTransport {
  private readonly http: RegistryHttp;

  constructor({ requestTimeoutMs, ...options }: HttpTransportOptions) {
    this.http = new RegistryHttp({ ...options, timeoutMs: requestTimeoutMs ?? 30_000 });
  }

  async send(batch: BatchRequest): Promise<BatchResponse> {
    const { status, text } = await this.http.call('POST', 'v1/batches', batch);
    return parseAnswer(status, text);
  }

  /** Registers the kiosk's public key (POST /v1/kiosk-keys); resolves to its kid as the registry names it. */
  async registerKey(registration: KioskKeyRegistration): Promise<string> {
    const { status, text } = await this.http.call('POST', 'v1/kiosk-keys', registration);
    checkStatus(status);
    const parsed = KioskKeyRegistered.safeParse(parseJson(text));
    if (!parsed.success) throw new SyncError('BAD_RESPONSE', describeIssues(parsed.error.issues, { limit: 1 }));
    return parsed.data.kid;
  }

  /** Does the registry take signed batches? As GET /v1/capabilities says; a registry without the route (404) does not. */
  async takesSignedBatches(): Promise<boolean> {
    const { status, text } = await this.http.call('GET', 'v1/capabilities');
    if (status === 404) return false;
    checkStatus(status);
    const parsed = RegistryCapabilities.safeParse(parseJson(text));
    if (!parsed.success) throw new SyncError('BAD_RESPONSE', describeIssues(parsed.error.issues, { limit: 1 }));
    return parsed.data.signedBatches === true;
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

function checkStatus(status: number): void {
  // Only 401 says the token is refused; any other 4xx is about the batch, which the client then splits.
  if (status === 401) throw new SyncError('CREDENTIALS_REJECTED', String(status));
  if (status === 429) throw new SyncError('RATE_LIMITED', String(status));
  if (status === 408) throw new SyncError('TIMEOUT', String(status));
  if (status >= 500) throw new SyncError('SERVER_ERROR', String(status));
  if (status < 200 || status >= 300) throw new SyncError('HTTP_STATUS', String(status));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new SyncError('BAD_RESPONSE', 'not JSON', { cause });
  }
}

function parseAnswer(status: number, text: string): BatchResponse {
  checkStatus(status);
  const parsed = BatchResponse.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new SyncError('BAD_RESPONSE', describeIssues(parsed.error.issues, { limit: 1 }));
  }
  return parsed.data;
}
