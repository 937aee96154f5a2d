// The Electron shell's kiosk, decided here under Node; electron/main.ts only hands in what Electron
// knows (architecture.md, principle 1). The data folder is the app's user-data folder; the store's
// key comes from safeStorage, asked for when first needed and then kept; the mode is the one
// `npm run kiosk -- serve` picks (kioskOrSetup): the provisioned kiosk, or without a configuration
// the set-up mode, which provisions that folder (the token sealed under that key) and switches to the
// kiosk on the same IPC binding: the `setup` event, on which the page starts afresh.
import { mkdirSync } from 'node:fs';
import { logger } from '../sync/log.js';
import { composeHost, type ComposedHost, type ComposeOptions } from './compose.js';
import type { KioskHost } from './host.js';
import type { HostEndpoint } from './loopback/server.js';
import { registryCredentials, resolveSettings, type KioskSettings } from './settings.js';
import { kioskOrSetup, provisionDataDir } from './setup.js';
import { EspeakEngine } from '../speech/espeak.js';
import { Speaker } from '../speech/speaker.js';

const log = logger('kiosk-shell');

export interface ShellOptions {
  /** app.getPath('userData'): kiosk.json, the store and its key, the PIN file, the sealed token. */
  readonly dataDir: string;
  /** `--config=FILE`; without it, kiosk.json in the data folder. */
  readonly configFile?: string | undefined;
  /** The store's 32-byte key (safeStorage, electron/key-storage.ts). */
  readonly storeKey: () => Uint8Array;
  readonly statementsDir: string;
  readonly quit: () => void;
  /** The kiosk runs with these settings, at start or once set up: the updater starts from them. */
  readonly onKiosk?: (settings: KioskSettings, host: KioskHost) => void;
  /** Tests: the clock, timers, sync interval and extra trust roots of the composed host. */
  readonly compose?: Pick<ComposeOptions, 'extraRoots' | 'now' | 'timers' | 'syncPollMs'>;
}

export interface ShellHost {
  /** What the IPC binding serves: the kiosk, or the set-up mode that becomes it. */
  readonly endpoint: HostEndpoint;
  readonly mode: 'kiosk' | 'setup';
  close(): Promise<void>;
}

export async function startShellHost(opts: ShellOptions): Promise<ShellHost> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  let key: Uint8Array | undefined;
  const storeKey = () => (key ??= opts.storeKey());
  let composed: ComposedHost | undefined;
  const start = async (): Promise<HostEndpoint> => {
    const settings = resolveSettings({ configFile: opts.configFile, dataDir: opts.dataDir });
    const dbKey = storeKey();
    composed = await composeHost({
      config: settings.host,
      dbPath: settings.dbPath,
      dbKey,
      pinFile: settings.pinFile,
      // The token that provisioning sealed opens with the same key.
      ...(settings.registry ? { registry: registryCredentials(settings.registry, dbKey) } : {}),
      ...(settings.receiptVerifyUrl !== undefined ? { receiptVerifyUrl: settings.receiptVerifyUrl } : {}),
      statementsDir: opts.statementsDir,
      quit: opts.quit,
      ...opts.compose,
    });
    opts.onKiosk?.(settings, composed.host);
    return composed.host;
  };
  const { endpoint, mode } = await kioskOrSetup({
    start,
    provision: (typed) => provisionDataDir({ ...typed, dataDir: opts.dataDir, storeKey, now: opts.compose?.now ?? (() => new Date()) }),
    speaker: new Speaker(new EspeakEngine()),
  });
  if (mode === 'setup') log.info({ dataDir: opts.dataDir }, 'no kiosk configuration: the set-up screen (it enrolls nobody)');
  return { endpoint, mode, close: async () => composed?.close() };
}
