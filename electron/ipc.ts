// The IPC transport of the contract (Electron main process side): one ipcMain.handle per call, named
// from the contract's table, each checked by ipc-guard.ts (sender frame, schema) before the host sees
// it; every host event is sent to the window. Adding a call never touches this file.
import { ipcMain, type WebContents } from 'electron';
import { calls, events, type CallName, type EventName, type Result } from '../api/contract.js';
import { callChannel, EVENT_CHANNEL } from '../api/ipc-channels.js';
import { checkIpcCall } from './ipc-guard.js';
import type { HostEndpoint } from '../host/loopback/server.js';

export function bindIpc(host: HostEndpoint, contents: WebContents): () => void {
  const names = Object.keys(calls) as CallName[];
  for (const name of names) {
    ipcMain.handle(callChannel(name), async (event, input: unknown): Promise<Result<unknown>> => {
      const frame = event.senderFrame;
      const verdict = checkIpcCall(frame ? { url: frame.url, isMainFrame: frame.parent === null } : null, name, input);
      if (!verdict.ok) return { ok: false, error: verdict.error };
      return host.call(verdict.name, verdict.input);
    });
  }
  const unsubscribe = (Object.keys(events) as EventName[]).map((name) =>
    host.on(name, (payload) => {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
    }),
  );
  return () => {
    for (const name of names) ipcMain.removeHandler(callChannel(name));
    unsubscribe.forEach((off) => off());
  };
}
