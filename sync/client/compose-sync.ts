// The sync client wired to the kiosk's store, written once for the kiosk host (host/compose.ts) and
// `queue sync` (cli/sync-command.ts): the store's outbox, the HTTPS transport, and every batch's
// outcome recorded for the manager view. The one client file that knows the store; the client
// itself sees only the OutboxPort. Not started: each caller starts it once it listens.
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import type { OutboxPort } from '../outbox/port.js';
import type { Store } from '../store/open.js';
import { recordSyncAttempt } from '../store/sync-status.js';
import { SyncError } from './errors.js';
import { SyncClient, type SyncClientOptions } from './sync-client.js';
import { batchSigning } from './batch-signing.js';
import { markKeyRegistered, registeredKid } from '../store/signing-key.js';
import { HttpTransport, type HttpTransportOptions, type RegistryTransport } from './transport.js';

export interface ComposeSyncOptions extends Omit<SyncClientOptions, 'outbox' | 'transport'> {
  store: Store;
  registry: HttpTransportOptions;
}

export interface ComposedSync {
  client: SyncClient;
  /** The outbox the client drains, for callers that count what is left. */
  outbox: OutboxPort;
}

export function composeSync({ store, registry, ...options }: ComposeSyncOptions): ComposedSync {
  const outbox = new SqliteOutbox(store);
  const client = new SyncClient({ ...options, outbox, transport: storeTransport(store, registry) });
  const clock = options.clock ?? (() => new Date());
  // "Last successful sync" and "registry reachable"; a failure as its code, as the client's status
  // names it (the message is for people, and may change between versions).
  client.on('batch', (b) => recordSyncAttempt(store.db, { at: clock(), ok: !b.error, ...(b.error ? { error: b.error.code } : {}) }));
  return { client, outbox };
}

/**
 * The HTTPS transport for this store's items, each batch signed by the store's key when the registry
 * takes signed batches (batch-signing.ts).
 * The registry refuses records signed by a key it does not know: the store's key goes before the
 * first batch of each run, even when an earlier run had it acknowledged (a registry restored from a
 * backup, or the demo's, which starts empty, would refuse every item otherwise; registering the
 * same key again changes nothing there).
 */
export function storeTransport(store: Store, registry: HttpTransportOptions): RegistryTransport {
  const http = new HttpTransport(registry);
  return batchSigning(store.signingKey, http, async () => {
    await registerSigningKey(store, http, { again: true });
    return http.takesSignedBatches();
  });
}

/** Registers the store's signing key unless the registry already acknowledged it (`again`: even then). */
export async function registerSigningKey(
  store: Store,
  http: Pick<HttpTransport, 'registerKey'>,
  { again = false }: { again?: boolean } = {},
): Promise<void> {
  const key = store.signingKey;
  if (!again && registeredKid(store.db) === key.kid) return;
  const kid = await http.registerKey({ publicJwk: key.publicJwk, notBefore: key.createdAt });
  if (kid !== key.kid) throw new SyncError('BAD_RESPONSE', 'the registry named the kiosk key by another kid');
  markKeyRegistered(store.db, kid);
}
