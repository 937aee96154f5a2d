// Which transport carries window.kiosk: the Electron preload's IPC bridge when present, else the
// loopback WebSocket of the same origin (a browser in front of `npm run kiosk -- serve`).
import type { KioskApi } from '../../api/contract';
import { createLoopbackClient, loopbackUrl } from './loopback';

declare global {
  interface Window {
    kiosk?: KioskApi;
  }
}

export function connectKiosk(): KioskApi {
  if (window.kiosk !== undefined) return window.kiosk;
  return createLoopbackClient(loopbackUrl(window.location));
}
