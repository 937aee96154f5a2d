// The loopback transport over a real socket: the page's URL carries the secret in its fragment; the
// WebSocket refuses a wrong secret, a foreign Origin and a foreign Host; a bad payload gets
// INVALID_REQUEST and changes nothing; results and host events flow both ways.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LOOPBACK_PATH, ServerFrame, URL_LINE_PREFIX } from '../../api/loopback-frames.js';
import { testHost, type TestHost } from '../test-support.js';
import { startLoopback, type LoopbackServer } from './server.js';

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

const wsUrl = (token: string) => `${server.origin.replace('http', 'ws')}${LOOPBACK_PATH}?token=${encodeURIComponent(token)}`;

/** Opens a socket; resolves with it open, or with the HTTP status the upgrade was refused with. */
function connect(token: string, headers: Record<string, string> = { origin: server.origin }): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(token), { headers });
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
  it('serves the UI on 127.0.0.1 with a strict CSP, and gives the secret only in the URL fragment', async () => {
    expect(server.url).toBe(`${server.origin}/#token=${server.secret}`);
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await request(`${server.origin}/`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:`);
    expect(await res.body.text()).not.toContain(server.secret);
    expect(`${URL_LINE_PREFIX}${server.url}`).toMatch(/^kiosk ui: http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{43}$/);
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
