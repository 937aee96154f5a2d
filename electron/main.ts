// The Electron main process: the thin shell around the plain-Node kiosk host (host/). One
// locked-down kiosk window, the UI from the custom protocol kiosk://app/ (never file://), a strict
// CSP, no navigation, no new windows, no permissions, no menu, no dev tools when packaged, one
// instance. The store's key comes from safeStorage (only with an OS keyring) and is handed to the
// host as a plain value. Which kiosk runs (the provisioned one, or without a configuration the
// set-up screen that provisions the app's data folder and then becomes it) is decided under Node by
// host/shell.ts. Updates come only as the chain signed them (update-verify.ts).
// Leaving needs the manager's PIN (the renderer's staff gesture opens the PIN screen; manager.quit).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, Menu, net, protocol, safeStorage, session } from 'electron';
import electronUpdater from 'electron-updater';
import { contentSecurityPolicy } from '../host/csp.js';
import type { KioskHost } from '../host/host.js';
import { configureHostLogging } from '../host/logging.js';
import { startShellHost, type ShellHost } from '../host/shell.js';
import { logger } from '../sync/log.js';
import { bindIpc } from './ipc.js';
import { APP_ORIGIN, APP_SCHEME, isOurFrame } from './ipc-guard.js';
import { keyStorageRefusal, storeKeyIn } from './key-storage.js';
import { channelFile, runVerifiedUpdate, updatePublicKey, UpdateError } from './update-verify.js';

const CSP = contentSecurityPolicy("'none'");
const log = logger('updates');
/** A kiosk runs for weeks: it looks for a release at start and then this often. */
const UPDATE_INTERVAL_MS = 6 * 60 * 60 * 1000;
/** How often a downloaded, verified release looks for a moment without a customer to install. */
const IDLE_POLL_MS = 30_000;

configureHostLogging(process.env);
const windowed = process.argv.includes('--windowed');
const configArg = process.argv.find((a) => a.startsWith('--config='))?.slice('--config='.length);
let shell: ShellHost | undefined;

// Must run before `ready`: kiosk:// behaves like https (standard, secure), so 'self' means it.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** Files of the built renderer only; anything outside its folder is a 404. */
function serveApp(): void {
  const root = path.join(app.getAppPath(), 'dist', 'renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    let file: string;
    try {
      file = path.normalize(path.join(root, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    } catch {
      return new Response('bad path', { status: 400 });
    }
    if (url.host !== 'app' || !file.startsWith(root + path.sep) || !existsSync(file)) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', CSP);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function lockDown(): void {
  Menu.setApplicationMenu(null);
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isOurFrame({ url, isMainFrame: true })) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // The usual ways out of a window (close, reload, dev tools) do nothing; leaving is manager.quit.
    contents.on('before-input-event', (event, input) => {
      const key = input.key.toLowerCase();
      if (
        (input.alt && key === 'f4') ||
        ((input.control || input.meta) && ['w', 'q', 'r', 'i'].includes(key)) ||
        key === 'f5' ||
        key === 'f12'
      ) {
        if (app.isPackaged || !windowed) event.preventDefault();
      }
    });
  });
}

/** Before anything is shown: a kiosk whose key a fixed password would guard must not even be set up. */
function refuseWeakKeyStorage(): void {
  const refusal = keyStorageRefusal({
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    ...(process.platform === 'linux' ? { backend: safeStorage.getSelectedStorageBackend() } : {}),
  });
  if (refusal !== undefined) throw new Error(refusal);
}

/**
 * The chain's own update server (electron-updater's generic provider), trusted only as far as its
 * signed metadata verifies with the pinned key: nothing downloads or installs on electron-updater's
 * word alone, and nothing installs on quit.
 */
function keepUpdated(updateUrl: string | undefined, publicKeyText: string | undefined, host: KioskHost): void {
  if (!app.isPackaged || updateUrl === undefined) return;
  if (publicKeyText === undefined) {
    log.warn({ code: 'UPDATE_KEY_MISSING' }, 'updateUrl without updatePublicKey: no update check');
    return;
  }
  const { autoUpdater } = electronUpdater;
  autoUpdater.setFeedURL({ provider: 'generic', url: updateUrl });
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  const options = {
    updateUrl,
    channelFile: channelFile(process.platform, process.arch),
    // Installing restarts the app: wait until no customer is at the kiosk.
    idle: () =>
      new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (host.sessionSnapshot() !== undefined) return;
          clearInterval(poll);
          resolve();
        }, IDLE_POLL_MS);
      }),
  };
  let running = false;
  const round = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const version = await runVerifiedUpdate(autoUpdater, { ...options, publicKey: updatePublicKey(publicKeyText) });
      if (version !== undefined) log.info({ version }, 'a verified update is installing');
    } catch (e) {
      // A refusal is a coded line; a network failure is retried at the next round.
      log.error(
        { code: e instanceof UpdateError ? e.code : 'UPDATE_FAILED', detail: e instanceof Error ? e.message : String(e) },
        'update refused',
      );
    } finally {
      running = false;
    }
  };
  void round();
  setInterval(() => void round(), UPDATE_INTERVAL_MS).unref();
}

async function start(): Promise<void> {
  refuseWeakKeyStorage();
  lockDown();
  serveApp();
  const dataDir = app.getPath('userData');
  // --config=FILE, else kiosk.json in the app's data folder; without either, the set-up screen.
  shell = await startShellHost({
    dataDir,
    configFile: configArg,
    storeKey: () => storeKeyIn(dataDir, safeStorage),
    statementsDir: path.join(app.getAppPath(), 'resources', 'consent'),
    quit: () => app.quit(),
    onKiosk: (settings, host) => keepUpdated(settings.updateUrl, settings.updatePublicKey, host),
  });
  const window = new BrowserWindow({
    kiosk: !windowed,
    fullscreen: !windowed,
    width: 1280,
    height: 800,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: !app.isPackaged,
      spellcheck: false,
    },
  });
  const unbind = bindIpc(shell.endpoint, window.webContents);
  window.on('closed', unbind);
  await window.loadURL(`${APP_ORIGIN}/`);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    void shell?.close();
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      process.stderr.write(`kiosk failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
      app.exit(1);
    });
}
