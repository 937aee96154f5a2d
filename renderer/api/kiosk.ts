// Which transport carries window.kiosk: the Electron preload's IPC bridge when present, else the
// loopback WebSocket of the same origin (a browser in front of `npm run kiosk -- serve`).
import type { KioskApi } from '../../electron/api/contract';
import { createLoopbackClient, tokenFromLocation } from './loopback';

declare global {
  interface Window {
    kiosk?: KioskApi;
  }
}

export function connectKiosk(): KioskApi {
  if (window.kiosk !== undefined) return window.kiosk;
  const token = tokenFromLocation(window.location) ?? '';
  const url = new URL('api', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = new URLSearchParams({ token }).toString();
  return createLoopbackClient(url.toString());
}
