// The preload (sandboxed, context-isolated): exposes exactly `window.kiosk` = { call, on } over IPC,
// one channel per call name. No other Electron or Node object reaches the page. It validates
// nothing itself (and so carries no zod): the main process checks every call (ipc-guard.ts).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, KioskApi, Result } from '../api/contract.js';
import { callChannel, EVENT_CHANNEL } from '../api/ipc-channels.js';

const kiosk: KioskApi = {
  call: async (name, input) => {
    try {
      return (await ipcRenderer.invoke(callChannel(name), input)) as Result<never>;
    } catch {
      // No handler: a name that is not in the contract.
      return { ok: false, error: { code: 'INVALID_REQUEST' } };
    }
  },
  on: (name, listener) => {
    const handler = (_event: IpcRendererEvent, eventName: EventName, payload: unknown) => {
      if (eventName === name) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.off(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('kiosk', kiosk);
