// The Electron main process: one locked-down kiosk window, nothing else. The kiosk host (card
// reading, consent, sync) is plain Node code in card-reader/ and sync/; it is composed here once the
// UI exists, so that this file stays the thin shell architecture.md asks for.
import { app, BrowserWindow, session } from 'electron';
import path from 'node:path';

const RENDERER_ENTRY = path.join(app.getAppPath(), 'renderer', 'index.html');

function lockDown(): void {
  // The kiosk never needs the camera, microphone, notifications or geolocation.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith('file://')) event.preventDefault();
    });
  });
}

function createWindow(): void {
  const kioskMode = !process.argv.includes('--windowed');
  const window = new BrowserWindow({
    kiosk: kioskMode,
    width: 1280,
    height: 800,
    backgroundColor: '#ffffff',
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  void window.loadFile(RENDERER_ENTRY);
}

app.enableSandbox();
void app.whenReady().then(() => {
  lockDown();
  createWindow();
});
app.on('window-all-closed', () => app.quit());
