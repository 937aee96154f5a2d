// What the IPC binding checks before a call reaches the host, as a pure function (tested under Node,
// no Electron): the sender is our app's main frame (the custom protocol's origin, not a subframe, not
// a page navigated elsewhere), the call is in the contract, and its payload passes its schema.
import { calls, type ApiError, type CallName } from '../api/contract.js';

export const APP_SCHEME = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

export interface SenderFrame {
  url: string;
  /** frame.parent === null */
  isMainFrame: boolean;
}

export type IpcVerdict = { ok: true; name: CallName; input: unknown } | { ok: false; error: ApiError };

export function isOurFrame(frame: SenderFrame | null | undefined): boolean {
  if (!frame?.isMainFrame) return false;
  try {
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function checkIpcCall(frame: SenderFrame | null | undefined, name: string, input: unknown): IpcVerdict {
  if (!isOurFrame(frame) || !Object.hasOwn(calls, name)) return { ok: false, error: { code: 'INVALID_REQUEST' } };
  const call = name as CallName;
  const parsed = calls[call].input.safeParse(input);
  if (!parsed.success) return { ok: false, error: { code: 'INVALID_REQUEST' } };
  return { ok: true, name: call, input: parsed.data };
}
