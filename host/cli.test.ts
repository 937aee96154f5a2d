// `npm run kiosk -- serve --demo` end to end: one machine-readable URL line on stdout, the API over
// the loopback WebSocket with the ticket from that line, the demo's registry and PIN, a clean exit.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LOOPBACK_PATH, ServerFrame, URL_LINE_PREFIX } from '../api/loopback-frames.js';

describe('npm run kiosk -- serve --demo', () => {
  it('prints its URL, answers over the WebSocket opened with its ticket, and exits cleanly on SIGTERM', async () => {
    // node itself (not npx), so the SIGTERM reaches the kiosk's own handler.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'host/cli.ts', 'serve', '--demo', '--port', '0', '--reader', 'Virtual PCD 00 00'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve) => {
        createInterface({ input: child.stdout }).on('line', (l) => {
          if (l.startsWith(URL_LINE_PREFIX)) resolve(l);
        });
      });
      const url = new URL(line.slice(URL_LINE_PREFIX.length));
      const ticket = new URLSearchParams(url.hash.slice(1)).get('ticket')!;
      const ws = new WebSocket(`ws://${url.host}${LOOPBACK_PATH}?ticket=${ticket}`, { headers: { origin: url.origin } });
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      let id = 0;
      const call = (name: string, input: unknown) =>
        new Promise<unknown>((resolve) => {
          const mine = ++id;
          const onMessage = (data: WebSocket.RawData) => {
            const frame = ServerFrame.parse(JSON.parse(String(data)));
            if (frame.t !== 'result' || frame.id !== mine) return;
            ws.off('message', onMessage);
            resolve(frame.result);
          };
          ws.on('message', onMessage);
          ws.send(JSON.stringify({ t: 'call', id: mine, name, input }));
        });
      expect(await call('kiosk.info', {})).toMatchObject({
        ok: true,
        value: { chainName: 'Demo Retail NV', canQuit: false, reader: { cardPresent: false } },
      });
      expect(await call('manager.unlock', { pin: '1234' })).toEqual({ ok: true, value: {} });
      expect(await call('manager.status', {})).toMatchObject({ ok: true, value: { counts: { pending: 0 } } });
      ws.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
