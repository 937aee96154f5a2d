// `npm run kiosk -- <command>`: the kiosk host under plain Node.
//   serve   --port N [--demo] [--db FILE] [--registry URL --token-file F] [--reader NAME]
//           [--idle-seconds N] [--countdown-seconds N] [--pin-file F] [--trust CERT ...] [--config F] [--ui DIR]
//           [--statements DIR] [--demo-smtp smtp://HOST:PORT]
//   set-pin [--pin-file F] [--config F]          reads the PIN from stdin (never from argv)
//   provision --registry URL --code CODE [--ca PEM] [--data-dir DIR]   the manager PIN twice from stdin
// The settings (--config, kiosk.json in the data folder, the options, --demo) are resolved by settings.ts.
// Without any, `serve` runs the set-up screen (host/setup.ts), which provisions the kiosk and then runs it.
// `serve` prints one line `kiosk ui: http://127.0.0.1:PORT/#ticket=TICKET` on stdout (a one-time ticket, not the
// secret); logs go to stderr.
// Exit codes as every command line of the project (common/cli.ts): 0 done, 1 failed, 2 usage.
import {
  failureLine,
  interrupted,
  isEntryPoint,
  processIo,
  runCommandLine,
  UsageError,
  type OptionValues,
  type StoppableIo,
} from '../common/cli.js';
import { loadStatements } from '../sync/consent/statements.js';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadProfile } from '../card-reader/virtual/profiles.js';
import { ensureTestPki } from '../card-reader/virtual/test-pki.js';
import { provisionKiosk } from '../registry/provisioning.js';
import { serve as serveRegistry, type RunningRegistry } from '../registry/server.js';
import { resolveCliKey } from '../sync/store/key-file.js';
import { SECRET_ENV, URL_LINE_PREFIX } from '../api/loopback-frames.js';
import { startLoopback, type HostEndpoint } from './loopback/server.js';
import { composeHost } from './compose.js';
import { EspeakEngine } from '../speech/espeak.js';
import { Speaker } from '../speech/speaker.js';
import { HostError } from './errors.js';
import type { HostConfig } from './host.js';
import { configureHostLogging } from './logging.js';
import { PinStore } from './pin.js';
import { kioskOrSetup, provisionDataDir } from './setup.js';
import { DEMO_STAFF_CODE_PREFIX, StaffCodeStore, staffCodesPath } from './staff-codes.js';
import { defaultDataDir, registryCredentials, resolveSettings, type KioskSettings } from './settings.js';

const USAGE = `usage: kiosk <command> [options]
  serve   --port N [--demo] [--db FILE] [--registry URL --token-file F] [--reader NAME]
          [--idle-seconds N] [--countdown-seconds N] [--pin-file F] [--trust CERT ...] [--config F] [--ui DIR]
          [--statements DIR] [--demo-smtp smtp://HOST:PORT]
  set-pin [--pin-file F] [--config F]     (the PIN is read from stdin)
  provision --registry URL --code CODE [--ca PEM] [--data-dir DIR]
          (the manager PIN is read from stdin, twice)
without --config, the configuration is kiosk.json in the data folder (--data-dir, default
$XDG_DATA_HOME/eid-kiosk); without one serve opens the set-up screen; --demo needs none. The demo registry
sends its e-mail (one-time codes, confirmations) through --demo-smtp or KIOSK_DEMO_SMTP; without either it keeps it queued`;

export interface KioskCliIo extends StoppableIo {
  readonly env: Record<string, string | undefined>;
  /** The next line of stdin (set-pin, provision), undefined when there is none. */
  readonly readLine: () => Promise<string | undefined>;
}

const OPTIONS = {
  port: { type: 'string' },
  demo: { type: 'boolean' },
  db: { type: 'string' },
  registry: { type: 'string' },
  'token-file': { type: 'string' },
  reader: { type: 'string' },
  'idle-seconds': { type: 'string' },
  'countdown-seconds': { type: 'string' },
  'pin-file': { type: 'string' },
  'demo-smtp': { type: 'string' },
  statements: { type: 'string' },
  trust: { type: 'string', multiple: true, default: [] as string[] },
  config: { type: 'string' },
  ui: { type: 'string' },
  'data-dir': { type: 'string' },
  code: { type: 'string' },
  ca: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = OptionValues<typeof OPTIONS>;

/** The whole command line as a function: tests call it as the program does. */
export function runKioskCommand(argv: readonly string[], io: KioskCliIo): Promise<number> {
  const line = {
    usage: USAGE,
    options: OPTIONS,
    // A refused form names its fields, so the operator sees which.
    describe: (e: unknown) =>
      e instanceof HostError && e.extra.fields ? `${e.code} ${JSON.stringify(e.extra.fields)}: ${e.message}` : failureLine(e),
  };
  return runCommandLine(argv, io, line, async (command, values) => {
    if (command === 'serve') return serve(values, io);
    if (command === 'set-pin') return setPin(values, io);
    if (command === 'provision') return provision(values, io);
    throw new UsageError(`unknown command ${command}`);
  });
}

function portOf(values: Values): number {
  if (values.port === undefined) throw new UsageError('--port is required (0 picks a free one)');
  const n = Number(values.port);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError('--port must be an integer 0-65535');
  return n;
}

/** The data folder: --data-dir, else the user's (never a temporary one: it holds the store). */
const dataDirOf = (values: Values, env: KioskCliIo['env']): string => values['data-dir'] ?? defaultDataDir(env);

/** This command line's settings (host/settings.ts). */
const settingsOf = (values: Values, env: KioskCliIo['env'], demoDir?: string): KioskSettings =>
  resolveSettings({ configFile: values.config, options: values, dataDir: dataDirOf(values, env), demoDir });

/** The process's stdin, a line at a call. */
function stdinLines(): () => Promise<string | undefined> {
  let lines: AsyncIterator<string> | undefined;
  return async () => {
    lines ??= createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
    const next = await lines.next();
    return next.done ? undefined : next.value;
  };
}

/** The demo's own reference registry, in its folder, with this kiosk provisioned. */
async function startDemoRegistry(
  statementsDir: string | undefined,
  host: HostConfig,
  dir: string,
  smtp: string | undefined,
): Promise<{ registry: RunningRegistry; token: string }> {
  // The demo registry knows the statements this kiosk shows (a chain publishes a version to both).
  const statements = statementsDir ? { statements: loadStatements(statementsDir) } : {};
  // A short mail interval: the customer waits at the kiosk for the one-time code.
  const mail = smtp ? { smtp, mailEveryMs: 1000 } : {};
  const registry = await serveRegistry({ port: 0, host: '127.0.0.1', db: join(dir, 'registry.db'), ...statements, ...mail });
  const token = await provisionKiosk(registry.store, { kioskId: host.kioskId, chainId: host.chainId, storeId: host.storeId }, new Date());
  return { registry, token };
}

/** The demo trusts the virtual cards' test roots (never a real kiosk: vpcd readers are test tools). */
async function demoRoots(): Promise<Uint8Array[]> {
  const pki = await ensureTestPki();
  return [readFileSync(pki.rootPem.all), (await loadProfile('specimen-alice-rsa')).trustedRootDer];
}

async function serve(values: Values, io: KioskCliIo): Promise<number> {
  const port = portOf(values);
  if (Boolean(values.registry) !== Boolean(values['token-file'])) throw new UsageError('give --registry and --token-file together');
  const demoDir = values.demo ? mkdtempSync(join(tmpdir(), 'eid-kiosk-demo-')) : undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  if (demoDir) cleanups.push(() => rmSync(demoDir, { recursive: true, force: true }));
  const stop = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    const { endpoint, mode } = await kioskOrSetup({
      start: () => startKiosk(values, io, demoDir, cleanups),
      provision: (typed) => provisionUnderNode(values, io, typed),
      speaker: new Speaker(new EspeakEngine()),
    });
    if (mode === 'setup')
      io.stderr(`no kiosk configuration in ${dataDirOf(values, io.env)}: serving the set-up screen (it enrolls nobody)\n`);
    const ui = values.ui ?? join(process.cwd(), 'dist', 'renderer');
    const secret = io.env[SECRET_ENV];
    const server = await startLoopback({ host: endpoint, port, uiDir: ui, ...(secret ? { secret } : {}) });
    cleanups.push(() => server.close());
    io.stdout(`${URL_LINE_PREFIX}${server.url}\n`);
  } catch (e) {
    await stop();
    throw e;
  }
  await io.interrupted;
  await stop();
  return 0;
}

/** Provisions this command line's data folder, the token sealed under the store's command-line key. */
function provisionUnderNode(values: Values, io: KioskCliIo, typed: { registryUrl: string; code: string; pin: string }) {
  const dataDir = dataDirOf(values, io.env);
  return provisionDataDir({
    ...typed,
    dataDir,
    storeKey: () => resolveCliKey(join(dataDir, 'kiosk.db'), io.env),
    now: () => new Date(),
    ...(values.ca ? { caFile: values.ca } : {}),
  });
}

/** The provisioned (or demo) kiosk's host, its closing added to `cleanups`. */
async function startKiosk(
  values: Values,
  io: KioskCliIo,
  demoDir: string | undefined,
  cleanups: (() => Promise<void> | void)[],
): Promise<HostEndpoint> {
  const settings = settingsOf(values, io.env, demoDir);
  mkdirSync(dirname(settings.dbPath), { recursive: true, mode: 0o700 });
  const dbKey = resolveCliKey(settings.dbPath, io.env);
  let registry = settings.registry ? registryCredentials(settings.registry, dbKey) : undefined;
  if (settings.demo?.ownRegistry) {
    const demo = await startDemoRegistry(
      values.statements,
      settings.host,
      settings.demo.dir,
      values['demo-smtp'] ?? io.env.KIOSK_DEMO_SMTP,
    );
    cleanups.push(() => demo.registry.close());
    registry = { url: demo.registry.url, token: demo.token };
  }
  if (settings.demo?.pin) {
    new PinStore({ path: settings.pinFile, now: () => new Date() }).set(settings.demo.pin);
    io.stderr(`demo: the manager PIN is ${settings.demo.pin}\n`);
  }
  if (settings.demo?.staffMember) {
    const member = new StaffCodeStore({ path: staffCodesPath(settings.pinFile), now: () => new Date() }).add(settings.demo.staffMember);
    io.stderr(`${DEMO_STAFF_CODE_PREFIX}${member.code} (${member.name})\n`);
  }
  const extraRoots = [...values.trust.map((f) => readFileSync(f)), ...(settings.demo ? await demoRoots() : [])];
  const composed = await composeHost({
    config: settings.host,
    dbPath: settings.dbPath,
    dbKey,
    pinFile: settings.pinFile,
    ...(registry ? { registry } : {}),
    ...(settings.receiptVerifyUrl !== undefined ? { receiptVerifyUrl: settings.receiptVerifyUrl } : {}),
    extraRoots,
    ...(values.statements ? { statementsDir: values.statements } : {}),
  });
  cleanups.push(() => composed.close());
  return composed.host;
}

async function provision(values: Values, io: KioskCliIo): Promise<number> {
  const registryUrl = values.registry;
  const code = values.code;
  if (!registryUrl || !code) throw new UsageError('give --registry URL and --code CODE');
  const dataDir = dataDirOf(values, io.env);
  if (existsSync(join(dataDir, 'kiosk.json')))
    throw new UsageError(`${dataDir} is provisioned already (kiosk.json): give another --data-dir`);
  io.stderr('the manager PIN (4-12 digits), then again:\n');
  const pin = (await io.readLine())?.trim();
  const again = (await io.readLine())?.trim();
  if (pin === undefined || again === undefined) throw new UsageError('give the manager PIN twice on stdin');
  if (pin !== again) throw new UsageError('the two PINs differ');
  const settings = await provisionUnderNode(values, io, { registryUrl, code, pin });
  io.stdout(`provisioned ${settings.kioskId} (${settings.chainName}, store ${settings.storeId}) in ${dataDir}\n`);
  return 0;
}

async function setPin(values: Values, io: KioskCliIo): Promise<number> {
  // Where serve keeps it: --pin-file, else the configuration's pinFile, else the data folder's.
  const path = values['pin-file'] ?? settingsOf(values, io.env).pinFile;
  const pin = (await io.readLine())?.trim();
  if (pin === undefined) throw new UsageError('no PIN on stdin');
  new PinStore({ path, now: () => new Date() }).set(pin);
  io.stdout(`PIN set in ${path}\n`);
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  configureHostLogging(process.env);
  // Exit at once, as before: the PC/SC context may hold the event loop after the host closed.
  process.exit(
    await runKioskCommand(process.argv.slice(2), { ...processIo, env: process.env, readLine: stdinLines(), interrupted: interrupted() }),
  );
}
