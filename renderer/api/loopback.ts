// window.kiosk over the loopback WebSocket the host serves beside the UI (`npm run kiosk -- serve`),
// generic over the contract's tables: adding a call never touches this file. Every answer and
// event is checked against its schema here, at the boundary, before a screen sees it.
import { z } from 'zod';
import { ApiError, calls, events, type CallName, type EventName, type EventPayload, type KioskApi, type Result } from '../../api/contract';
import { LOOPBACK_PATH, REPLACED_CLOSE_CODE, ServerFrame, TICKET_PARAM, TOKEN_PARAM } from '../../api/loopback-frames';

const CallResult = z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: ApiError })]);

type Pending = { name: CallName; resolve: (r: Result<unknown>) => void };
type Listener = (payload: unknown) => void;

const failure = (code: ApiError['code']): Result<never> => ({ ok: false, error: { code } });
const RECONNECT_MS = 500;

/** Where the page keeps the session secret: it survives a reload of the page, not of the browser. */
const SECRET_KEY = 'kiosk.loopbackSecret';

/** The WebSocket URL with one credential in its query, from the page's own address (same origin). */
function socketUrl(location: Location, param: string, value: string): string {
  const url = new URL(LOOPBACK_PATH, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = new URLSearchParams({ [param]: value }).toString();
  url.hash = '';
  return url.toString();
}

/**
 * ws://host:port/api?ticket=TICKET from the URL fragment (which the browser never sends to a server),
 * or, for a page reloaded without one, ?token=SECRET as the host gave it before. The fragment is
 * removed from the address bar as soon as it is read: the ticket is spent on the first connection.
 */
export function loopbackUrl(location: Location): string {
  const ticket = new URLSearchParams(location.hash.slice(1)).get(TICKET_PARAM);
  if (ticket !== null) {
    history.replaceState(null, '', location.pathname + location.search);
    return socketUrl(location, TICKET_PARAM, ticket);
  }
  return socketUrl(location, TOKEN_PARAM, sessionStorage.getItem(SECRET_KEY) ?? '');
}

export function createLoopbackClient(firstUrl: string): KioskApi {
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<Listener>>();
  const outbox: string[] = [];
  let nextId = 1;
  let socket: WebSocket | undefined;
  // The ticket opens the first connection only; reconnections carry the secret the host answered with.
  let url = firstUrl;

  const open = (): void => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      for (const frame of outbox.splice(0)) ws.send(frame);
    });
    ws.addEventListener('message', (message) => receive(message.data));
    ws.addEventListener('close', (event) => {
      // Calls in flight cannot be answered any more; the screen shows the error and lets the person retry.
      for (const [id, call] of pending) {
        pending.delete(id);
        call.resolve(failure('INTERNAL'));
      }
      socket = undefined;
      // A newer connection took over: reconnecting would take it back, and so on forever.
      if (event.code !== REPLACED_CLOSE_CODE) setTimeout(open, RECONNECT_MS);
    });
  };

  const receive = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const frame = ServerFrame.safeParse(json);
    if (!frame.success) return;
    if (frame.data.t === 'secret') {
      sessionStorage.setItem(SECRET_KEY, frame.data.secret);
      const next = new URL(url);
      next.search = new URLSearchParams({ [TOKEN_PARAM]: frame.data.secret }).toString();
      url = next.toString();
      return;
    }
    if (frame.data.t === 'result') {
      const call = pending.get(frame.data.id);
      if (call === undefined) return;
      pending.delete(frame.data.id);
      const parsed = CallResult.safeParse(frame.data.result);
      if (!parsed.success) return call.resolve(failure('INTERNAL'));
      const result = parsed.data;
      if (!result.ok) return call.resolve(result);
      const value = calls[call.name].output.safeParse(result.value);
      call.resolve(value.success ? { ok: true, value: value.data } : failure('INVALID_REQUEST'));
      return;
    }
    const name = frame.data.name;
    if (!(name in events)) return;
    const payload = events[name as EventName].safeParse(frame.data.payload);
    if (!payload.success) return;
    for (const listener of listeners.get(name) ?? []) listener(payload.data);
  };

  open();

  return {
    call(name, input) {
      const id = nextId++;
      const frame = JSON.stringify({ t: 'call', id, name, input });
      return new Promise((resolve) => {
        pending.set(id, { name, resolve: resolve as Pending['resolve'] });
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
        else outbox.push(frame);
      });
    },
    on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void) {
      const set = listeners.get(name) ?? new Set<Listener>();
      listeners.set(name, set);
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
  };
}
