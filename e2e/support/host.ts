// The real kiosk host as a child process (`npm run kiosk -- serve`), the way a browser kiosk runs
// it, plus a plain WebSocket client of its API so a test can ask the host itself what it still holds.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { URL_LINE_PREFIX, LOOPBACK_PATH, SECRET_ENV, TICKET_PARAM, TOKEN_PARAM } from '../../api/loopback-frames.js';
import { ticketFor } from '../../host/loopback/ticket.js';
import type { CallInput, CallName, Result } from '../../api/contract.js';
import { DEMO_STAFF_CODE_PREFIX } from '../../host/staff-codes.js';

export interface HostOptions {
  idleSeconds?: number;
  /** Our own registry instead of the demo's, so a test can take it down and up. */
  registry?: { url: string; tokenFile: string };
  db?: string;
  /** A statements folder other than resources/consent (a newer version, for re-consent). */
  statements?: string;
  /** The SMTP server the demo's own registry sends its e-mail to (KIOSK_DEMO_SMTP): a test reads the customer's mail there. */
  smtp?: string;
  /** Flags for the host's own node (tsx passes them on), e.g. the bench's `--expose-gc`. */
  nodeArgs?: string[];
  /** A kiosk not provisioned yet (no --demo): this data folder, empty, so the host serves its set-up screen. */
  setupDataDir?: string;
}

export interface RunningHost {
  /** A page's address, with a one-time ticket of its own (a fresh one at every read). */
  url: string;
  origin: string;
  /** The session secret; a call with it takes over the host's one live connection from the page. */
  token: string;
  /** The demo staff member's code, as the demo prints it on stderr (its manager PIN is the fixed 1234). */
  staffCode(): string;
  stop(): Promise<void>;
  /** What the host has written to stderr so far (e.g. the inspector's address under `--inspect`). */
  stderr(): string;
  /** One call over a fresh connection of the loopback API, as any client of the host would make it. */
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<unknown>>;
}

export const READER = 'Virtual PCD 00 01';
export const SLOT = 1;

export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  const settings = options.setupDataDir !== undefined ? ['--data-dir', options.setupDataDir] : ['--demo'];
  const args = ['tsx', ...(options.nodeArgs ?? []), 'host/cli.ts', 'serve', '--port', '0', ...settings, '--reader', READER];
  if (options.idleSeconds !== undefined) args.push('--idle-seconds', String(options.idleSeconds));
  if (options.registry) args.push('--registry', options.registry.url, '--token-file', options.registry.tokenFile);
  if (options.db) args.push('--db', options.db);
  if (options.statements) args.push('--statements', options.statements);
  // Its own process group: npx, tsx and the host's node below them all stop together.
  // The page gets the one-time ticket of the URL line; the harness knows the session secret from the
  // start (in the environment, never on a command line), so it can ask the host itself.
  const token = randomBytes(32).toString('base64url');
  const env = { ...process.env, [SECRET_ENV]: token, ...(options.smtp ? { KIOSK_DEMO_SMTP: options.smtp } : {}) };
  const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith(URL_LINE_PREFIX)) resolve(line.slice(URL_LINE_PREFIX.length).trim());
    });
    child.once('exit', (code) => reject(new Error(`kiosk serve exited (${code}):\n${stderr.join('').slice(-2000)}`)));
    setTimeout(() => reject(new Error(`kiosk serve printed no URL in 60 s:\n${stderr.join('').slice(-2000)}`)), 60_000);
  });
  const origin = new URL(url).origin;
  let tickets = 0;
  return {
    // Each page of the worker's tests opens the host with a ticket of its own (the URL line's is number 0).
    get url() {
      return tickets++ === 0 ? url : `${origin}/#${TICKET_PARAM}=${ticketFor(token, tickets - 1, Date.now())}`;
    },
    origin,
    token,
    // Read when asked: stderr is its own pipe, so the line may land after the URL on stdout.
    staffCode: () => /^(\d{6})/.exec(stderr.join('').split(DEMO_STAFF_CODE_PREFIX)[1] ?? '')?.[1] ?? '',
    stop: () => stopChild(child),
    stderr: () => stderr.join(''),
    call: (name, input) => callOnce(origin, token, name, input),
  };
}

/** SIGTERM to the whole group (a signal to npx alone would leave the host running), SIGKILL after 10 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  const group = -child.pid!;
  const alive = () => {
    try {
      process.kill(group, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(group, 'SIGTERM');
  for (let waited = 0; waited < 10_000 && alive(); waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(group, 'SIGKILL');
}

function callOnce(origin: string, token: string, name: string, input: unknown): Promise<Result<unknown>> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}${LOOPBACK_PATH}?${TOKEN_PARAM}=${token}`, { origin });
  return new Promise((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ t: 'call', id: 1, name, input })));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { t: string; id?: number; result?: Result<unknown> };
      if (frame.t === 'result' && frame.id === 1) {
        ws.close();
        resolve(frame.result!);
      }
    });
    ws.once('error', reject);
  });
}
