// `npm start [-- --kiosk-mode] [--config FILE]`: the Electron kiosk where Electron's binary is installed;
// otherwise the same host under Node (`npm run kiosk -- serve`, with --demo unless a configuration
// is given) and the UI in Chromium's app mode over the loopback transport. It says which and why.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { URL_LINE_PREFIX } from '../api/loopback-frames.js';

const { values } = parseArgs({ options: { 'kiosk-mode': { type: 'boolean' }, config: { type: 'string' } } });
const say = (line: string) => process.stdout.write(`start: ${line}\n`);
const root = join(import.meta.dirname, '..');
const ELECTRON_DIST = join(root, 'node_modules', 'electron', 'dist');
const electronBinary = join(ELECTRON_DIST, process.platform === 'win32' ? 'electron.exe' : 'electron');

function npm(script: string): void {
  const r = spawnSync('npm', ['run', '-s', script], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
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

async function startBrowser(): Promise<void> {
  say(`no Electron binary in ${ELECTRON_DIST} (scripts/setup.sh --tests and CI skip its download): running the host under Node`);
  say(values.config ? `with ${values.config}` : 'with --demo (a local reference registry and a temporary store; the manager PIN is 1234)');
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) npm('build:ui');
  const host = spawn('npx', ['tsx', 'host/cli.ts', 'serve', '--port', '0', ...(values.config ? ['--config', values.config] : ['--demo'])], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await firstUrl(host);
  const chromium = findChromium();
  if (!chromium) {
    say(`no Chromium found (set CHROMIUM=/path/to/chromium): open ${url} in a browser on this machine.`);
    return;
  }
  say(`opening ${chromium} in app mode over the loopback transport.`);
  const profile = mkdtempSync(join(tmpdir(), 'eid-kiosk-chromium-'));
  const browser = spawn(
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
    ],
    { stdio: 'ignore' },
  );
  browser.on('exit', () => {
    rmSync(profile, { recursive: true, force: true });
    host.kill('SIGTERM');
  });
  host.on('exit', (code) => process.exit(code ?? 0));
}

function firstUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith(URL_LINE_PREFIX)) resolve(line.slice(URL_LINE_PREFIX.length));
    });
    child.on('exit', (code) => reject(new Error(`the host exited (${code}) before serving`)));
  });
}

if (existsSync(electronBinary)) startElectron();
else
  startBrowser().catch((e: unknown) => {
    say(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
