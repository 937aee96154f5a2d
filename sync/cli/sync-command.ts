// `npm run queue -- sync --registry URL [--token-file F] [--once] --db FILE`: the store's sync client
// (client/compose-sync.ts, as the kiosk host's). With `once` it resolves to an exit code when nothing is
// left to send or it gave up; without, it runs until SIGINT/SIGTERM (or the given signal).
import { readFileSync } from 'node:fs';
import { logger } from '../log.js';
import type { OutboxPort } from '../outbox/port.js';
import { resolveCliKey } from '../store/key-file.js';
import { openStore } from '../store/open.js';
import type { BackoffPolicy } from '../client/backoff.js';
import { composeSync } from '../client/compose-sync.js';
import type { BatchOutcome, SyncClient, SyncStatus } from '../client/sync-client.js';

const log = logger('sync-command');

export const SYNC_EXIT = {
  OK: 0,
  /** The registry refused some items (conflict or rejected): they wait in dead-letter for the manager. */
  DEAD_LETTERED: 3,
  /** Items are still pending after the bounded attempts or time. */
  UNSENT: 4,
  CREDENTIALS_REJECTED: 5,
} as const;
export type SyncExitCode = (typeof SYNC_EXIT)[keyof typeof SYNC_EXIT];

export interface SyncCommandOptions {
  dbFile: string;
  registryUrl: string;
  token: string;
  /** PEM file of the registry's CA. */
  caFile?: string;
  once: boolean;
  /** The store key, 32 bytes; defaults to the queue CLI's: env KIOSK_DB_KEY (64 hex) or `<db>.key`. */
  key?: Uint8Array;
  kioskId?: string;
  /** `once` gives up after this many consecutive failed batches (default 5)... */
  maxAttempts?: number;
  /** ...or after this long (default 2 minutes). */
  maxDurationMs?: number;
  requestTimeoutMs?: number;
  backoff?: BackoffPolicy;
  batchSize?: number;
  /** Ends the long-running mode, like SIGINT/SIGTERM. */
  signal?: AbortSignal;
  onStatus?: (status: SyncStatus) => void;
  onBatch?: (outcome: BatchOutcome) => void;
}

/** A short backoff for `once`, which an operator is waiting on. */
const ONCE_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 10_000 };

export async function runSyncCommand(options: SyncCommandOptions): Promise<SyncExitCode> {
  const key = options.key ?? resolveCliKey(options.dbFile, process.env);
  const store = openStore({ path: options.dbFile, key });
  try {
    const backoff = options.backoff ?? (options.once ? ONCE_BACKOFF : undefined);
    const { client, outbox } = composeSync({
      store,
      registry: {
        registryUrl: options.registryUrl,
        token: options.token,
        ...(options.caFile ? { ca: readFileSync(options.caFile) } : {}),
        ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      },
      ...(options.kioskId ? { kioskId: options.kioskId } : {}),
      ...(backoff ? { backoff } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    });
    if (options.onStatus) client.on('status', options.onStatus);
    if (options.onBatch) client.on('batch', options.onBatch);
    const code = options.once ? await runOnce(client, outbox, options) : await runUntilSignalled(client, options.signal);
    await client.stop();
    log.info({ code, unsent: outbox.unsentCount() }, 'sync command finished');
    return code;
  } finally {
    store.close();
  }
}

function runOnce(client: SyncClient, outbox: OutboxPort, options: SyncCommandOptions): Promise<SyncExitCode> {
  const maxAttempts = options.maxAttempts ?? 5;
  let failures = 0;
  let deadLettered = 0;
  return new Promise((resolve) => {
    const finish = (code: SyncExitCode) => {
      clearTimeout(deadline);
      unsubscribe();
      resolve(code);
    };
    const deadline = setTimeout(() => finish(SYNC_EXIT.UNSENT), options.maxDurationMs ?? 120_000);
    const unsubscribe = client.on('batch', (outcome) => {
      deadLettered += outcome.deadLettered;
      failures = outcome.error ? failures + 1 : 0;
      if (outcome.error?.code === 'CREDENTIALS_REJECTED') finish(SYNC_EXIT.CREDENTIALS_REJECTED);
      else if (outbox.unsentCount() === 0) finish(deadLettered > 0 ? SYNC_EXIT.DEAD_LETTERED : SYNC_EXIT.OK);
      else if (failures >= maxAttempts) finish(SYNC_EXIT.UNSENT);
    });
    if (outbox.unsentCount() === 0) finish(SYNC_EXIT.OK);
    else client.start();
  });
}

function runUntilSignalled(client: SyncClient, signal: AbortSignal | undefined): Promise<SyncExitCode> {
  return new Promise((resolve) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      signal?.removeEventListener('abort', finish);
      resolve(SYNC_EXIT.OK);
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    signal?.addEventListener('abort', finish);
    if (signal?.aborted) finish();
    else client.start();
  });
}
