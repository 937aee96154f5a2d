// The loopback transport over a real socket: the page's URL carries a one-time ticket in its fragment,
// exchanged once for the session secret; the WebSocket refuses a spent or stale ticket, a wrong secret, a
// foreign Origin and a foreign Host; one live connection at a time, each starting with the manager
// view locked; a bad payload gets INVALID_REQUEST and changes nothing; results and host events flow.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LOOPBACK_PATH, REPLACED_CLOSE_CODE, ServerFrame, URL_LINE_PREFIX } from '../../api/loopback-frames.js';
import { testHost, type TestHost } from '../test-support.js';
import { startLoopback, type LoopbackServer } from './server.js';
import { TICKET_TTL_MS, ticketFor } from './ticket.js';

let t: TestHost;
let server: LoopbackServer;
let ui: string;

beforeAll(async () => {
  t = testHost();
  ui = mkdtempSync(join(tmpdir(), 'kiosk-ui-'));
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>kiosk</title>');
  server = await startLoopback({ host: t.host, port: 0, uiDir: ui });
});
afterAll(async () => {
  await server.close();
  t.dispose();
  rmSync(ui, { recursive: true, force: true });
});

const wsUrl = (value: string, param: string, target = server) =>
  `${target.origin.replace('http', 'ws')}${LOOPBACK_PATH}?${param}=${encodeURIComponent(value)}`;

/** Opens a socket; resolves with it open, or with the HTTP status the upgrade was refused with. */
function connect(
  token: string,
  headers: Record<string, string> = { origin: server.origin },
  param: 'token' | 'ticket' = 'token',
  target = server,
): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(token, param, target), { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

function client(ws: WebSocket) {
  let id = 0;
  const frames: ServerFrame[] = [];
  ws.on('message', (data) => frames.push(ServerFrame.parse(JSON.parse(String(data)))));
  return {
    frames,
    call: (name: string, input: unknown) =>
      new Promise<unknown>((resolve) => {
        const mine = ++id;
        const onMessage = (data: WebSocket.RawData) => {
          const frame = ServerFrame.parse(JSON.parse(String(data)));
          if (frame.t === 'result' && frame.id === mine) {
            ws.off('message', onMessage);
            resolve(frame.result);
          }
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ t: 'call', id: mine, name, input }));
      }),
  };
}

describe('the loopback server', () => {
  it('serves the UI on 127.0.0.1 with a strict CSP, and gives only a ticket, in the URL fragment', async () => {
    expect(server.url).toMatch(new RegExp(`^${server.origin}/#ticket=0\\.\\d+\\.[\\w-]{43}$`));
    expect(server.url).not.toContain(server.secret);
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await request(`${server.origin}/`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:`);
    expect(await res.body.text()).not.toContain(server.secret);
    expect(`${URL_LINE_PREFIX}${server.url}`).toMatch(/^kiosk ui: http:\/\/127\.0\.0\.1:\d+\/#ticket=0\.\d+\.[\w-]{43}$/);
  });

  it('accepts the ticket once, answering with the secret, and refuses it after', async () => {
    const ticket = new URLSearchParams(new URL(server.url).hash.slice(1)).get('ticket')!;
    expect(await connect(ticket, { origin: 'http://evil.example' }, 'ticket')).toBe(403);
    // Listening before it opens: the secret is the first frame, right behind the upgrade.
    const ws = new WebSocket(wsUrl(ticket, 'ticket'), { headers: { origin: server.origin } });
    const first = await new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    expect(first).toEqual({ t: 'secret', secret: server.secret });
    ws.close();
    expect(await connect(ticket, undefined, 'ticket')).toBe(403);
    expect(await connect(server.secret, undefined, 'ticket')).toBe(403);
    // The holder of the secret makes the next ticket; a forged or reused one is refused.
    expect(await connect(ticketFor('another secret', 1, Date.now()), undefined, 'ticket')).toBe(403);
    const ticket1 = ticketFor(server.secret, 1, Date.now());
    const next = await connect(ticket1, undefined, 'ticket');
    if (typeof next === 'number') throw new Error(`refused ${next}`);
    next.close();
    expect(await connect(ticket1, undefined, 'ticket')).toBe(403);
    // Made again with another time, a spent number is still spent.
    expect(await connect(ticketFor(server.secret, 1, Date.now() + 1), undefined, 'ticket')).toBe(403);
  });

  it('refuses a ticket left unused for longer than a minute, and one dated ahead', async () => {
    let clock = Date.parse('2026-12-07T10:00:00Z');
    const timed = await startLoopback({ host: t.host, port: 0, uiDir: ui, now: () => clock });
    try {
      const ticket = new URLSearchParams(new URL(timed.url).hash.slice(1)).get('ticket')!;
      const open = (value: string) => connect(value, { origin: timed.origin }, 'ticket', timed);
      clock += TICKET_TTL_MS + 1;
      expect(await open(ticket)).toBe(403);
      expect(await open(ticketFor(timed.secret, 1, clock + TICKET_TTL_MS + 1))).toBe(403);
      // A fresh one opens; the stale one was refused without being spent.
      const fresh = await open(ticketFor(timed.secret, 0, clock));
      if (typeof fresh === 'number') throw new Error(`refused ${fresh}`);
      fresh.close();
    } finally {
      await timed.close();
    }
  });

  it('keeps one live connection: a new one closes the old', async () => {
    const first = await connect(server.secret);
    if (typeof first === 'number') throw new Error(`refused ${first}`);
    const closed = new Promise<number>((resolve) => first.once('close', (code) => resolve(code)));
    const second = await connect(server.secret);
    if (typeof second === 'number') throw new Error(`refused ${second}`);
    try {
      expect(await closed).toBe(REPLACED_CLOSE_CODE);
      expect(await client(second).call('kiosk.info', {})).toMatchObject({ ok: true });
    } finally {
      second.close();
    }
  });

  it('gives the manager unlock to the connection that made it: a new connection starts locked', async () => {
    t.pins.set('4321');
    const first = await connect(server.secret);
    if (typeof first === 'number') throw new Error(`refused ${first}`);
    const a = client(first);
    expect(await a.call('manager.unlock', { pin: '4321' })).toEqual({ ok: true, value: {} });
    expect(await a.call('manager.status', {})).toMatchObject({ ok: true });
    const second = await connect(server.secret);
    if (typeof second === 'number') throw new Error(`refused ${second}`);
    try {
      expect(await client(second).call('manager.status', {})).toMatchObject({ ok: false, error: { code: 'WRONG_STEP' } });
    } finally {
      second.close();
    }
  });

  it('refuses a request naming another Host (DNS rebinding)', async () => {
    const res = await request(`${server.origin}/`, { headers: { host: 'attacker.example:80' } });
    expect(res.statusCode).toBe(403);
    await res.body.dump();
  });

  it('refuses a WebSocket with a wrong or missing secret', async () => {
    expect(await connect('wrong')).toBe(403);
    expect(await connect('')).toBe(403);
    expect(await connect(`${server.secret}x`)).toBe(403);
  });

  it('refuses a WebSocket from a foreign Origin, even with the right secret', async () => {
    expect(await connect(server.secret, { origin: 'http://evil.example' })).toBe(403);
    expect(await connect(server.secret, { origin: 'http://localhost:1' })).toBe(403);
    expect(await connect(server.secret, {})).toBe(403);
  });

  it('carries calls, refuses a bad payload with INVALID_REQUEST and no change, and forwards events', async () => {
    const ws = await connect(server.secret);
    if (typeof ws === 'number') throw new Error(`refused ${ws}`);
    const c = client(ws);
    try {
      expect(await c.call('kiosk.info', {})).toMatchObject({ ok: true, value: { defaultLanguage: 'nl', canQuit: false } });
      expect(await c.call('session.start', { language: 'en', intent: 'enroll' })).toEqual({ ok: true, value: {} });
      const before = JSON.stringify(t.host.sessionSnapshot());
      expect(await c.call('session.setLanguage', { language: 'klingon' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(await c.call('card.allowRead', null)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(await c.call('no.such.call', {})).toEqual({ ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(JSON.stringify(t.host.sessionSnapshot())).toBe(before);
      // The host's own wipe reaches the page as an event.
      t.timers.fireAll();
      await new Promise((r) => setTimeout(r, 100));
      expect(c.frames).toContainEqual({ t: 'event', name: 'session', payload: { state: 'wiped', reason: 'idle' } });
    } finally {
      ws.close();
    }
  });

  it('closes the socket on a frame that is not a call', async () => {
    const ws = await connect(server.secret);
    if (typeof ws === 'number') throw new Error(`refused ${ws}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{"t":"result","id":1}');
    expect(await closed).toBe(1003);
  });
});
