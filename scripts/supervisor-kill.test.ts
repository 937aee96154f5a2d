// The supervisor's promise (operations.md, "Run unattended"), proved as a shop runs it: the supervisor
// (scripts/start.ts --demo, its store kept in --db) as an ordinary user under its own Xvfb, the window
// driven over Chromium's remote debugging (KIOSK_CHROMIUM_ARGS, start.ts's hook for tests). The host
// is killed with SIGKILL at the consent screen, then right after a commit: each time the supervisor
// opens a new window on the attract screen, the half-done session left nothing in the queue and the
// committed enrollment is still there. A window killed is reopened on the same host with a ticket
// of its own (the first window's is spent), and connects. Needs root, Xvfb, xhost, runuser, Chromium and pcscd
// (scripts/setup.sh --tests, scripts/services.sh start); run it under `flock /tmp/pcscd.lock`.
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, typeOnScreen } from '../e2e/support/keyboard.js';
import { fill, statementText, ui } from '../e2e/support/strings.js';
import { LANGUAGE_NAMES, SCREENSHOTS } from '../e2e/support/fixtures.js';

const root = join(import.meta.dirname, '..');
const USER = 'eidtest';
/** Starting a host (tsx, the demo registry, the test PKI) and a Chromium takes a while on a busy machine. */
const WINDOW_TIMEOUT_MS = 90_000;
const fr = ui('fr');
const nl = ui('nl');

const run = (cmd: string, args: string[], env?: NodeJS.ProcessEnv) => spawnSync(cmd, args, { encoding: 'utf8', cwd: root, env });

let xvfb: ChildProcess | undefined;
let own = '';
let db = '';
let env: NodeJS.ProcessEnv = {};
let supervisor: ChildProcess | undefined;
let output = '';
let browser: Browser | undefined;

/** A free loopback port for Chromium's remote debugging (it binds 127.0.0.1 only). */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

/** `read` satisfies `predicate` within `ms`, or the test fails saying what the supervisor said. */
async function waitFor<T>(what: string, read: () => T | Promise<T>, predicate: (value: T) => boolean, ms = WINDOW_TIMEOUT_MS): Promise<T> {
  for (const started = Date.now(); ;) {
    const value = await read();
    if (predicate(value)) return value;
    if (Date.now() - started > ms) throw new Error(`${what} within ${ms} ms; the supervisor said:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The page of the supervisor's `n`th window, over remote debugging, once that window is open. */
async function window(n: number, port: number): Promise<Page> {
  await waitFor(
    `window ${n} opened`,
    () => output.split('start: opening ').length - 1,
    (opened) => opened >= n,
  );
  // Only our connection to the window before (it disconnects, Chromium stays).
  await browser?.close();
  const connect = async () => {
    try {
      const b = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 5_000 });
      const page = b
        .contexts()[0]
        ?.pages()
        .find((p) => p.url().startsWith('http://127.0.0.1:'));
      if (page) return { b, page };
      await b.close();
    } catch {
      // Chromium is still starting: its debugging port is not open yet.
    }
    return undefined;
  };
  const found = await waitFor(`window ${n} reachable over remote debugging`, connect, (c) => c !== undefined);
  browser = found!.b;
  return found!.page;
}

/** The host the supervisor started: its only host/cli.ts, killed without a chance to clean up. */
function killHost(): void {
  const pids = run('pgrep', ['-u', USER, '-f', 'host/cli.ts serve']).stdout.split('\n').filter(Boolean);
  expect(pids).toHaveLength(1);
  process.kill(Number(pids[0]), 'SIGKILL');
}

/** The queue's counts per state, read by the store manager's tool as the kiosk's user (its files stay theirs). */
function queueCounts(): Record<string, number> {
  const r = run('runuser', ['-u', USER, '--', process.execPath, '--import', 'tsx', 'sync/cli/queue.ts', 'status', '--db', db], env);
  expect(r.status, r.stderr).toBe(0);
  const counts: Record<string, number> = {};
  for (const [, state, n] of r.stdout.matchAll(/^(pending|sending|acknowledged|dead-letter|discarded) +(\d+)$/gm)) {
    counts[state!] = Number(n);
  }
  return counts;
}

/**
 * The attract screen in the store's language: a new customer's start, nothing of the one before.
 * Its title names the chain, which only the host tells (kiosk.info): the window is connected.
 */
async function expectAttract(page: Page, shot: string): Promise<void> {
  await page.getByRole('heading', { name: fill(nl.attract.title, { chain: 'Demo Retail NV' }) }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: nl.attract.useForm }).waitFor();
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('nl');
  // Kept with the e2e suite's screenshots: what the next customer sees after the restart.
  await page.screenshot({ path: `${SCREENSHOTS}/${shot}-nl-1280x800.png` });
}

/** A customer in French fills the form and reaches the chain's consent screen. */
async function formToChainConsent(page: Page): Promise<void> {
  await page.getByRole('button', { name: LANGUAGE_NAMES.fr, exact: true }).click();
  await page.getByRole('button', { name: fr.attract.useForm }).click();
  await page.getByRole('heading', { name: fr.form.title }).waitFor();
  const typed: [string, string][] = [
    [fr.fields.surname, 'Dupont'],
    [fr.fields.firstNames, 'Françoise'],
    [fr.fields.mobile, '0470123456'],
  ];
  for (const [label, text] of typed) {
    await field(page, label).click();
    await typeOnScreen(page, fr, text);
  }
  await page.getByRole('button', { name: fr.form.continue }).click();
  await page.getByRole('heading', { name: statementText('demo-retail-loyalty', 'fr').title }).waitFor();
}

beforeAll(async () => {
  for (const tool of ['Xvfb', 'xhost', 'chromium', 'runuser']) {
    if (run('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is missing: run scripts/setup.sh --tests`);
  }
  if (process.getuid?.() !== 0) throw new Error('this test runs the supervisor as another user (it refuses root): run it as root');
  // Built here, as the checkout's owner: the supervisor's user may not write in it (as start-kiosk.sh does).
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) expect(run('npm', ['run', '-s', 'build:ui']).status).toBe(0);
  if (run('id', ['-u', USER]).status !== 0) expect(run('useradd', ['--create-home', '--shell', '/bin/bash', USER]).status).toBe(0);
  // -displayfd: Xvfb picks a free display number and writes it on fd 3 when it is ready.
  const x = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  xvfb = x;
  const display = await new Promise<string>((resolve, reject) => {
    x.stdio[3]!.once('data', (chunk: Buffer) => resolve(`:${chunk.toString().trim()}`));
    x.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
  expect(run('xhost', [`+SI:localuser:${USER}`], { ...process.env, DISPLAY: display }).status).toBe(0);
  // The user's own temporary folder: what root left in /tmp (the test PKI, tsx's cache) is not theirs to read.
  own = mkdtempSync(join(tmpdir(), 'eid-kiosk-kill-'));
  chownSync(own, Number(run('id', ['-u', USER]).stdout), Number(run('id', ['-g', USER]).stdout));
  db = join(own, 'kiosk.db');
  env = { ...process.env, DISPLAY: display, TMPDIR: own };
  delete env.XAUTHORITY;
}, 60_000);

afterAll(async () => {
  if (supervisor?.exitCode === null) {
    const exited = new Promise((r) => supervisor!.once('exit', r));
    supervisor.kill('SIGTERM');
    await exited;
  }
  await browser?.close().catch(() => undefined);
  xvfb?.kill();
  if (own) rmSync(own, { recursive: true, force: true });
}, 30_000);

describe('the supervisor after its host is killed (SIGKILL)', () => {
  let port = 0;

  beforeAll(async () => {
    port = await freePort();
    supervisor = spawn('runuser', ['-u', USER, '--', process.execPath, '--import', 'tsx', 'scripts/start.ts', '--demo', '--db', db], {
      cwd: root,
      env: { ...env, KIOSK_CHROMIUM_ARGS: `--remote-debugging-port=${port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    supervisor.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    supervisor.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  });

  it('at the consent screen: a new window on the attract screen, nothing of the half-done session queued', async () => {
    const page = await window(1, port);
    await expectAttract(page, 'supervisor-first-window');
    await formToChainConsent(page);
    await page.screenshot({ path: `${SCREENSHOTS}/supervisor-killed-at-consent-fr-1280x800.png` });
    killHost();
    await waitFor(
      'the supervisor restarting the host',
      () => output,
      (o) => o.includes('the host died (killed by SIGKILL): restarting.'),
    );
    await expectAttract(await window(2, port), 'supervisor-after-kill-at-consent');
    expect(queueCounts()).toEqual({ pending: 0, sending: 0, acknowledged: 0, 'dead-letter': 0, discarded: 0 });
  }, 240_000);

  it('right after a commit: a new window on the attract screen, the enrollment still queued', async () => {
    const page = await window(2, port);
    await formToChainConsent(page);
    await page.getByRole('button', { name: fr.consent.yesToAll }).click();
    await page.getByRole('button', { name: fr.consent.confirm }).click();
    await page.getByRole('heading', { name: statementText('central-registry-profile', 'fr').title }).waitFor();
    await page.getByRole('button', { name: fr.consent.noToAll }).click();
    await page.getByRole('button', { name: fr.consent.confirm }).click();
    await page.getByRole('heading', { name: fr.confirm.title }).waitFor();
    killHost();
    await expectAttract(await window(3, port), 'supervisor-after-kill-after-commit');
    // Sent to the restarted demo registry or still waiting: either way kept, exactly once.
    const { pending, sending, acknowledged, ...rest } = queueCounts();
    expect((pending ?? 0) + (sending ?? 0) + (acknowledged ?? 0)).toBe(1);
    expect(rest).toEqual({ 'dead-letter': 0, discarded: 0 });
  }, 240_000);

  it('a window killed: reopened on the same host, it connects and shows the attract screen', async () => {
    await window(3, port);
    // A window that dies within 5 s of its start is taken for one that never opened (start.ts gives up).
    await new Promise((r) => setTimeout(r, 6_000));
    // The browser process (the oldest with the supervisor's profile); its helpers go with its group.
    const browserPid = run('pgrep', ['-o', '-u', USER, '-f', 'eid-kiosk-chromium-']).stdout.trim();
    process.kill(Number(browserPid), 'SIGKILL');
    await waitFor(
      'the supervisor reopening the window',
      () => output,
      (o) => o.includes('the window died (killed by SIGKILL): restarting.'),
    );
    await expectAttract(await window(4, port), 'supervisor-after-window-killed');
    // The same host: only the two kills above restarted it.
    expect(output.split('the host died').length - 1).toBe(2);
  }, 240_000);
});
