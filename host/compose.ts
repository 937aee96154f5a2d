// Builds a running host from plain values: the store (with the key the caller got from safeStorage
// or a key file), pcscd, the sync client and the registry desk when a registry is configured, the
// trust store, and the heartbeat to the registry. Used by the Electron shell and by `npm run kiosk -- serve`.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import pkg from '../package.json' with { type: 'json' };
import { PcscSession } from '../card-reader/pcsc/session.js';
import { loadTrustStore, productionTrustStore } from '../card-reader/verify/trust-store.js';
import { composeSync } from '../sync/client/compose-sync.js';
import { HEARTBEAT_TIMEOUT_MS, HeartbeatSender } from '../sync/client/heartbeat.js';
import { RegistryHttp } from '../sync/client/registry-http.js';
import type { SyncClient } from '../sync/client/sync-client.js';
import { loadStatements } from '../sync/consent/statements.js';
import { logger } from '../sync/log.js';
import { queueStatus } from '../sync/manager/operations.js';
import type { Heartbeat } from '../sync/wire/registry-api.js';
import { uuidv7 } from '../sync/uuid7.js';
import { openStore, type Store } from '../sync/store/open.js';
import { EspeakEngine } from '../speech/espeak.js';
import { Speaker } from '../speech/speaker.js';
import { KioskHost, type HostConfig, type Timers } from './host.js';
import { PinStore } from './pin.js';
import { StaffCodeStore, staffCodesPath } from './staff-codes.js';
import { registerKioskKey } from './kiosk-key.js';
import { verifyUrlOf } from './receipt.js';
import { RegistryDesk } from './registry-desk.js';

export interface ComposeOptions {
  config: HostConfig;
  dbPath: string;
  /** 32 bytes: from Electron safeStorage, or the command line's key file. */
  dbKey: Uint8Array;
  pinFile: string;
  registry?: { url: string; token: string; ca?: string };
  /** The receipt QR's verification page when phones reach the registry elsewhere; default the registry's own `/verify`. */
  receiptVerifyUrl?: string;
  /** Roots trusted beside the Belgian production roots (tests and the demo's virtual cards). */
  extraRoots?: readonly Uint8Array[];
  statementsDir?: string;
  quit?: () => void;
  now?: () => Date;
  timers?: Timers;
  /** How often the sync client looks at the outbox without a commit; default a minute. */
  syncPollMs?: number;
}

export interface ComposedHost {
  host: KioskHost;
  close(): Promise<void>;
}

const log = logger('kiosk-compose');

export async function composeHost(opts: ComposeOptions): Promise<ComposedHost> {
  const now = opts.now ?? (() => new Date());
  // The store refuses an item that names another kiosk: this kiosk's id comes from its own configuration.
  const store = openStore({ path: opts.dbPath, key: opts.dbKey, kioskId: opts.config.kioskId });
  const production = productionTrustStore();
  const trust = { roots: [...production.roots, ...(opts.extraRoots?.length ? loadTrustStore(opts.extraRoots).roots : [])] };
  let pcsc: PcscSession | undefined;
  try {
    pcsc = await PcscSession.open();
  } catch (e) {
    log.warn({ err: e instanceof Error ? e.message : 'unknown' }, 'no PC/SC: card reads will fail with NO_READER, the form works');
  }
  let sync: SyncClient | undefined;
  let desk: RegistryDesk | undefined;
  let beatHttp: RegistryHttp | undefined;
  let keyRegistered: Promise<boolean> | undefined;
  if (opts.registry) {
    const { url, token, ca } = opts.registry;
    const registry = { registryUrl: url, token, ...(ca ? { ca } : {}) };
    sync = composeSync({
      store,
      registry,
      kioskId: opts.config.kioskId,
      clock: now,
      ...(opts.syncPollMs ? { pollIntervalMs: opts.syncPollMs } : {}),
    }).client;
    desk = new RegistryDesk(registry);
    beatHttp = new RegistryHttp({ ...registry, timeoutMs: HEARTBEAT_TIMEOUT_MS });
    // A kiosk whose key the registry lacks (provisioned before, the demo) registers it now, not at its first sync.
    keyRegistered = registerKioskKey(store, registry);
  }
  const host = new KioskHost({
    config: opts.config,
    store,
    catalog: loadStatements(opts.statementsDir),
    trust,
    pins: new PinStore({ path: opts.pinFile, now }),
    staffCodes: new StaffCodeStore({ path: staffCodesPath(opts.pinFile), now }),
    ...(pcsc ? { pcsc } : {}),
    ...(sync ? { sync } : {}),
    ...(desk ? { desk } : {}),
    now,
    newId: () => uuidv7(),
    ...(opts.timers ? { timers: opts.timers } : {}),
    ...(opts.quit ? { quit: opts.quit } : {}),
    speaker: new Speaker(new EspeakEngine()),
    ...(opts.registry ? { receiptVerifyUrl: opts.receiptVerifyUrl ?? verifyUrlOf(opts.registry.url) } : {}),
  });
  const heartbeat =
    beatHttp &&
    new HeartbeatSender({
      http: beatHttp,
      collect: () => healthOf(host, store, opts.dbPath, now()),
      ...(sync ? { syncs: sync } : {}),
    });
  sync?.start();
  heartbeat?.start();
  return {
    host,
    close: async () => {
      host.close();
      await keyRegistered;
      await heartbeat?.stop();
      await beatHttp?.close();
      await sync?.stop();
      await desk?.close();
      await pcsc?.close();
      store.close();
    },
  };
}

/** The kiosk's health for the fleet: counts, ages and times only, nothing of any customer. */
function healthOf(host: KioskHost, store: Store, dbPath: string, now: Date): Heartbeat {
  const queue = queueStatus(store, now);
  return {
    appVersion: pkg.version,
    queue: queue.counts,
    oldestPendingAgeMs: queue.oldestPendingAgeMs === undefined ? null : Math.max(0, queue.oldestPendingAgeMs),
    lastSyncAt: queue.lastSuccessAt?.toISOString() ?? null,
    readerPresent: host.readerStatus().readers > 0,
    freeDiskBytes: freeBytes(dirname(dbPath)),
    failedCommits: host.failedCommits,
  };
}

function freeBytes(dir: string): number | null {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}
