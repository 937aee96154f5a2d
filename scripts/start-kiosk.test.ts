// The README's start command, run as a shop would: `bash scripts/start-kiosk.sh --demo` under a
// virtual display (Xvfb), as root (the host and window then run as the system user kiosk) and as an
// ordinary user. The window must map, closing it must end the command with 0 and leave nothing it
// started running; without a configuration the window is the set-up screen; without a display or a
// working Chromium it must say why and fail.
// The supervisor restarts a killed host with a new window. Needs root, Xvfb, xdotool, xhost, Chromium
// and pcscd (scripts/setup.sh --tests, scripts/services.sh start); run it under `flock /tmp/pcscd.lock`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const ORDINARY_USER = 'eidtest';
const WINDOW_TIMEOUT_S = 90;

let xvfb: ChildProcess;
let display = '';

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });

beforeAll(async () => {
  for (const tool of ['Xvfb', 'xdotool', 'xhost', 'chromium', 'runuser']) {
    if (run('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} is missing: run scripts/setup.sh --tests`);
  }
  if (process.getuid?.() !== 0) throw new Error('this test runs the start command as root and as another user: run it as root');
  // -displayfd: Xvfb picks a free display number and writes it on fd 3 when it is ready.
  xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  display = await new Promise<string>((resolve, reject) => {
    xvfb.stdio[3]!.once('data', (chunk: Buffer) => resolve(`:${chunk.toString().trim()}`));
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
  if (run('id', ['-u', ORDINARY_USER]).status !== 0) {
    expect(run('useradd', ['--create-home', '--shell', '/bin/bash', ORDINARY_USER]).status).toBe(0);
  }
  expect(run('env', [`DISPLAY=${display}`, 'xhost', `+SI:localuser:${ORDINARY_USER}`]).status).toBe(0);
}, 60_000);

afterAll(() => {
  xvfb?.kill();
});

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The start command as `user` (root: as is), with extra environment; its output kept for the report. */
function startKiosk(user: string, args: string[], env: Record<string, string | undefined>): Started {
  const base: Record<string, string | undefined> = { ...process.env, DISPLAY: display, ...env };
  for (const [k, v] of Object.entries(base)) if (v === undefined) delete base[k];
  const command =
    user === 'root'
      ? ['bash', 'scripts/start-kiosk.sh', ...args]
      : ['runuser', '-u', user, '--', 'bash', 'scripts/start-kiosk.sh', ...args];
  const child = spawn(command[0]!, command.slice(1), { cwd: root, env: base, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  child.stdout!.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => chunks.push(c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => chunks.join(''), exited };
}

/** The visible Chromium windows on our display. */
function windows(sync: boolean): string[] {
  const args = ['search', ...(sync ? ['--sync'] : []), '--onlyvisible', '--class', 'chromium'];
  const r = spawnSync('timeout', [String(WINDOW_TIMEOUT_S), 'xdotool', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DISPLAY: display },
  });
  return r.stdout.split('\n').filter(Boolean);
}

/** A Chromium window maps within the time-out. */
function newWindow(): string {
  const [id] = windows(true);
  if (id === undefined) throw new Error('no Chromium window was mapped');
  return id;
}

/** `predicate` holds within `ms` (processes take a moment to go). */
async function eventually<T>(read: () => T, predicate: (value: T) => boolean, ms = 10_000): Promise<T> {
  let value = read();
  for (const started = Date.now(); !predicate(value) && Date.now() - started < ms; value = read()) {
    await new Promise((r) => setTimeout(r, 200));
  }
  return value;
}

/** Ctrl+W in the window, as a person closing it: Chromium exits normally (no window manager here). */
function closeWindow(id: string): void {
  const env = { ...process.env, DISPLAY: display };
  spawnSync('xdotool', ['mousemove', '--window', id, '200', '200'], { env });
  spawnSync('xdotool', ['key', '--clearmodifiers', 'ctrl+w'], { env });
}

/** What `user` still runs, once it had a few seconds to go (a zombie waiting for its parent's exit counts as gone). */
const processesLeft = (user: string): Promise<string[]> =>
  eventually(
    () =>
      run('pgrep', ['-a', '-u', user])
        .stdout.split('\n')
        .filter((l) => l.trim() !== '' && !l.endsWith('<defunct>')),
    (left) => left.length === 0,
  );

async function exitWithin(started: Started, ms: number): Promise<number | null> {
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms));
  const code = await Promise.race([started.exited, timeout]);
  if (code === 'timeout') {
    started.child.kill('SIGTERM');
    throw new Error(`the start command did not exit:\n${started.output()}`);
  }
  return code;
}

describe('bash scripts/start-kiosk.sh', () => {
  it('as root: runs the host and the window as kiosk, and closing the window ends it with 0 and nothing left', async () => {
    const started = startKiosk('root', ['--demo'], {});
    const window = newWindow();
    const pids = run('pgrep', ['-a', '-u', 'kiosk']).stdout;
    expect(pids).toContain('host/cli.ts');
    expect(pids).toContain('chromium');
    // Neither the host nor the window runs as root.
    expect(run('pgrep', ['-u', 'root', '-f', 'eid-kiosk-chromium-']).status).toBe(1);
    closeWindow(window);
    expect(await exitWithin(started, 30_000), started.output()).toBe(0);
    expect(await processesLeft('kiosk')).toEqual([]);
  }, 180_000);

  it('as an ordinary user (no sudo needed once set up): the same, with nothing of that user left', async () => {
    const own = mkdtempSync(join(tmpdir(), 'eid-kiosk-user-'));
    spawnSync('chown', [ORDINARY_USER, own]);
    try {
      const started = startKiosk(ORDINARY_USER, ['--demo'], { TMPDIR: own, XAUTHORITY: undefined });
      closeWindow(newWindow());
      expect(await exitWithin(started, 30_000), started.output()).toBe(0);
      expect(await processesLeft(ORDINARY_USER)).toEqual([]);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  }, 180_000);

  it('restarts the host and opens a new window when the host is killed', async () => {
    const started = startKiosk('root', ['--demo'], {});
    newWindow();
    expect(run('pkill', ['-KILL', '-u', 'kiosk', '-f', 'host/cli.ts']).status).toBe(0);
    // The old window goes with its host, and a new one opens on the new host's address.
    const opened = (await eventually(started.output, (o) => o.split('opening chromium').length === 3, 60_000)).split('\n');
    expect(opened).toContain('start: the host died (killed by SIGKILL): restarting.');
    closeWindow(newWindow());
    expect(await exitWithin(started, 30_000), started.output()).toBe(0);
    expect(await processesLeft('kiosk')).toEqual([]);
  }, 180_000);

  it('stops everything it started on SIGTERM', async () => {
    const started = startKiosk('root', ['--demo'], {});
    newWindow();
    started.child.kill('SIGTERM');
    await exitWithin(started, 30_000);
    expect(await processesLeft('kiosk')).toEqual([]);
  }, 180_000);

  it('without a display: exits non-zero and says so', async () => {
    const started = startKiosk('root', ['--demo'], { DISPLAY: undefined, WAYLAND_DISPLAY: undefined });
    expect(await exitWithin(started, 60_000)).toBe(1);
    expect(started.output()).toContain('no display');
  }, 90_000);

  it('without a configuration and without --demo: opens the set-up screen, never the demo', async () => {
    const started = startKiosk('root', [], {});
    await eventually(started.output, (o) => o.includes('opening chromium'), 60_000);
    closeWindow(newWindow());
    expect(await exitWithin(started, 30_000), started.output()).toBe(0);
    expect(started.output()).toContain('its set-up screen when it is not provisioned yet');
    expect(started.output()).not.toContain('with --demo');
    expect(await processesLeft('kiosk')).toEqual([]);
  }, 120_000);

  it('when Chromium exits at once: exits non-zero with the reason, nothing left', async () => {
    const started = startKiosk('root', ['--demo'], { CHROMIUM: '/bin/false' });
    expect(await exitWithin(started, 60_000)).toBe(1);
    expect(started.output()).toContain('Chromium exited at once (exit code 1)');
    expect(await processesLeft('kiosk')).toEqual([]);
  }, 90_000);
});

describe('npm start', () => {
  it('run directly as root: refuses with the reason', () => {
    const r = spawnSync('node', ['--import', 'tsx', 'scripts/start.ts', '--demo'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('refusing to run as root');
  });
});
