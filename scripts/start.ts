// `npm start [-- --kiosk-mode] [--config FILE | --demo] [--db FILE]`: the Electron kiosk where Electron's
// binary is installed; otherwise the same host under Node and the UI in Chromium's app mode over the
// loopback transport, supervised: this process stays in the foreground, restarts the host and the
// window when either dies, and stops both when the window is closed. It says which and why, and
// exits non-zero with the reason whenever the window cannot open. Without a configuration the window
// shows the kiosk's set-up screen (host/setup.ts), and the same host runs the kiosk once it is provisioned.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SECRET_ENV, TICKET_PARAM, URL_LINE_PREFIX } from '../api/loopback-frames.js';
import { ticketFor } from '../host/loopback/ticket.js';

const { values } = parseArgs({
  options: { 'kiosk-mode': { type: 'boolean' }, config: { type: 'string' }, demo: { type: 'boolean' }, db: { type: 'string' } },
});
const say = (line: string) => process.stdout.write(`start: ${line}\n`);
const root = join(import.meta.dirname, '..');
const ELECTRON_DIST = join(root, 'node_modules', 'electron', 'dist');
const electronBinary = join(ELECTRON_DIST, process.platform === 'win32' ? 'electron.exe' : 'electron');
/** More failures than this within a minute and the supervisor gives up: something is broken for good. */
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 60_000;
/** A first window that fails sooner than this never opened (no display, Chromium refusing to run): no retry. */
const WINDOW_SETTLE_MS = 5_000;
/** For tests only: more Chromium arguments, space-separated (a loopback remote-debugging port to drive the window). */
const TEST_CHROMIUM_ARGS = process.env.KIOSK_CHROMIUM_ARGS?.split(' ').filter(Boolean) ?? [];

class StartError extends Error {}

function npm(script: string): void {
  const r = spawnSync('npm', ['run', '-s', script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new StartError(`npm run ${script} failed (${r.status})`);
}

function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'].filter((c): c is string => Boolean(c));
  return candidates.find((c) => spawnSync('sh', ['-c', `command -v "${c}"`], { stdio: 'ignore' }).status === 0);
}

function startElectron(): void {
  say(
    `the Electron binary is installed (${electronBinary}): opening the Electron kiosk${values['kiosk-mode'] ? ' in kiosk mode' : ' in a window'}.`,
  );
  npm('build:electron');
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) npm('build:ui');
  const args = ['.', ...(values['kiosk-mode'] ? [] : ['--windowed']), ...(values.config ? [`--config=${values.config}`] : [])];
  const child = spawn(electronBinary, args, { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** A child in its own process group, so a signal to the group reaches whatever it started below it. */
interface Group {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startGroup(command: string, args: string[], stdio: ('ignore' | 'pipe' | 'inherit')[], env = process.env): Group {
  const child = spawn(command, args, { cwd: root, stdio, detached: true, env });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // A command that cannot be started at all exits like one that failed at once.
  child.once('error', () => child.emit('exit', 127, null));
  return { child, exited };
}

const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM to the whole group, SIGKILL to what is left after 5 s. */
async function stopGroup(group: Group | undefined): Promise<void> {
  const pid = group?.child.pid;
  if (pid === undefined || !groupAlive(pid)) return;
  process.kill(-pid, 'SIGTERM');
  for (let waited = 0; waited < 5_000 && groupAlive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
}

/**
 * The host under plain Node (not npx, whose signals never reach the node below it); resolves once it
 * serves, with a maker of window addresses. The supervisor holds the session secret (in the host's
 * environment, never on a command line), so each window it opens, a reopened one too, gets a one-time
 * ticket of its own, made as it opens (the URL line's ticket is spent by the first window, and stale
 * after a minute).
 */
async function startHost(): Promise<{ group: Group; windowUrl: () => string }> {
  const settings = values.config ? ['--config', values.config] : values.demo ? ['--demo'] : [];
  const secret = randomBytes(32).toString('base64url');
  const group = startGroup(
    process.execPath,
    ['--import', 'tsx', 'host/cli.ts', 'serve', '--port', '0', ...settings, ...(values.db ? ['--db', values.db] : [])],
    ['ignore', 'pipe', 'inherit'],
    { ...process.env, [SECRET_ENV]: secret },
  );
  const url = await new Promise<string | undefined>((resolve) => {
    createInterface({ input: group.child.stdout! }).on('line', (line) => {
      if (line.startsWith(URL_LINE_PREFIX)) resolve(line.slice(URL_LINE_PREFIX.length));
    });
    void group.exited.then(() => resolve(undefined));
  });
  if (url === undefined) {
    const { code } = await group.exited;
    throw new StartError(`the host exited (${code}) before serving: see its line above.`);
  }
  const { origin } = new URL(url);
  let tickets = 0;
  return { group, windowUrl: () => `${origin}/#${TICKET_PARAM}=${ticketFor(secret, ++tickets, Date.now())}` };
}

function startWindow(chromium: string, url: string, profile: string): Group & { output: string[] } {
  const group = startGroup(
    chromium,
    [
      `--app=${url}`,
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-translate',
      '--disable-features=TranslateUI',
      '--disable-pinch',
      '--overscroll-history-navigation=0',
      '--window-size=1280,800',
      ...(values['kiosk-mode'] ? ['--kiosk'] : []),
      ...TEST_CHROMIUM_ARGS,
    ],
    ['ignore', 'ignore', 'pipe'],
  );
  // Chromium is chatty; its last lines are kept to say why it would not open.
  const output: string[] = [];
  group.child.stderr?.on('data', (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    output.splice(0, output.length - 20);
  });
  return { ...group, output };
}

const describeExit = ({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }) =>
  signal ? `killed by ${signal}` : `exit code ${code}`;

async function supervise(): Promise<number> {
  say(`no Electron binary in ${ELECTRON_DIST} (scripts/setup.sh --tests and CI skip its download): running the host under Node`);
  if (process.getuid?.() === 0) {
    throw new StartError(
      'refusing to run as root: the kiosk window and the host must not hold root (and Chromium refuses to run as root). ' +
        'Run `bash scripts/start-kiosk.sh`, which runs them as the unprivileged user kiosk, or start this as an ordinary user.',
    );
  }
  if (values.demo) {
    const store = values.db ? `the store ${values.db}` : 'a temporary store';
    say(`with --demo (a local reference registry and ${store}; the manager PIN is 1234)`);
  }
  // The host decides: without kiosk.json in its data folder it serves the set-up screen, and runs the kiosk once provisioned.
  else if (!values.config) say('without --config: the kiosk in its data folder, or its set-up screen when it is not provisioned yet');
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new StartError('no display (neither DISPLAY nor WAYLAND_DISPLAY is set): start this from the counter PC’s desktop session.');
  }
  const chromium = findChromium();
  if (!chromium) throw new StartError('no Chromium found (install the chromium package, or set CHROMIUM=/path/to/chromium).');
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) npm('build:ui');

  const failures: number[] = [];
  const failed = (what: string): void => {
    const now = Date.now();
    failures.push(now);
    while (failures[0]! < now - FAILURE_WINDOW_MS) failures.shift();
    if (failures.length > MAX_FAILURES) throw new StartError(`${what}, ${failures.length} failures within a minute: giving up.`);
    say(`${what}: restarting.`);
  };
  let host: Group | undefined;
  let window: Group | undefined;
  let opened = false;
  const stopAll = async () => {
    await stopGroup(window);
    await stopGroup(host);
  };
  const stopping = new Promise<'signal'>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve('signal'));
  });
  const profile = mkdtempSync(join(tmpdir(), 'eid-kiosk-chromium-'));
  try {
    for (;;) {
      const started = await Promise.race([startHost(), stopping]);
      if (started === 'signal') return 0;
      host = started.group;
      // The address changes with every host, so a new host gets a new window.
      for (;;) {
        say(`opening ${chromium} in app mode over the loopback transport.`);
        const w = startWindow(chromium, started.windowUrl(), profile);
        window = w;
        const since = Date.now();
        const ended = await Promise.race([
          w.exited.then((e) => ({ who: 'window' as const, ...e })),
          host.exited.then((e) => ({ who: 'host' as const, ...e })),
          stopping,
        ]);
        if (ended === 'signal') return 0;
        if (ended.who === 'host') {
          await stopGroup(window);
          failed(`the host died (${describeExit(ended)})`);
          break;
        }
        if (ended.code === 0) {
          say('the window was closed: stopping the host.');
          return 0;
        }
        const early = Date.now() - since < WINDOW_SETTLE_MS;
        if (early && !opened) {
          throw new StartError(
            `Chromium exited at once (${describeExit(ended)}): the window could not open.\n${w.output.slice(-10).join('\n')}`,
          );
        }
        opened ||= !early;
        // Whatever it left behind (a zygote, a GPU process) goes with it.
        await stopGroup(window);
        failed(`the window died (${describeExit(ended)})`);
      }
    }
  } finally {
    await stopAll();
    rmSync(profile, { recursive: true, force: true });
  }
}

if (existsSync(electronBinary)) startElectron();
else
  supervise().then(
    (code) => process.exit(code),
    (e: unknown) => {
      say(e instanceof StartError ? e.message : String(e instanceof Error ? e.stack : e));
      process.exit(1);
    },
  );
