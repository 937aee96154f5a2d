// Command line for the card reader (npm run card -- ...):
//   read [--json] [--reader NAME] [--photo FILE] [--trust CERT ...] [--wait-ms N]
//       Reads and verifies the card in the first (or named) reader; --json prints one JSON object.
//       A card whose checks fail is still printed (exit 0); an error is one line on stderr (exit 1).
//   virtual (--profile NAME | --dir FOLDER) [--slot 0|1] [--delay-ms N] [--use-61xx] [--wrong-le]
//           [--not-activated] [--not-beid]
//       Inserts a virtual eID into a vpcd reader until SIGINT/SIGTERM.
// Exit codes as every command line of the project (common/cli.ts): 0 done, 1 failed (one line on
// stderr, `error: CODE: message`), 2 usage; --help prints the usage.
import type { KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { configureLogging, logLevel } from './log.js';
import { PcscSession } from './pcsc/session.js';
import { readCard, type CardRead } from './read-card.js';
import type { CardFiles } from './types.js';
import { loadTrustStore, productionTrustStore, type TrustStore } from './verify/trust-store.js';
import { PROFILE_NAMES, loadProfile, loadProfileDir, type ProfileName } from './virtual/profiles.js';
import { toPem } from './virtual/test-pki.js';
import { startVirtualCard, vpcdReaderName } from './virtual/vpcd-card.js';

const USAGE = `usage:
  npm run card -- read [--json] [--reader NAME] [--photo FILE] [--trust CERT ...] [--wait-ms N]
  npm run card -- virtual (--profile NAME | --dir FOLDER) [--slot 0|1] [--delay-ms N]
                  [--use-61xx] [--wrong-le] [--not-activated] [--not-beid]
profiles: ${PROFILE_NAMES.join(', ')}`;

export interface CardCliIo extends StoppableIo {
  readonly debug: boolean;
}

// One table for both commands, as every command line of the project: each takes the options it needs.
const OPTIONS = {
  json: { type: 'boolean', default: false },
  reader: { type: 'string' },
  photo: { type: 'string' },
  trust: { type: 'string', multiple: true, default: [] as string[] },
  'wait-ms': { type: 'string', default: '3000' },
  profile: { type: 'string' },
  dir: { type: 'string' },
  slot: { type: 'string', default: '0' },
  'delay-ms': { type: 'string', default: '0' },
  'use-61xx': { type: 'boolean', default: false },
  'wrong-le': { type: 'boolean', default: false },
  'not-activated': { type: 'boolean', default: false },
  'not-beid': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = OptionValues<typeof OPTIONS>;

/** The whole command line as a function: tests call it as the program does. */
export function runCardCommand(argv: readonly string[], io: CardCliIo): Promise<number> {
  // An error without a code is a bug: its stack when debugging, otherwise staff get one line.
  const describe = (e: unknown): string => (io.debug && e instanceof Error && !('code' in e) ? (e.stack ?? e.message) : failureLine(e));
  return runCommandLine(argv, io, { usage: USAGE, options: OPTIONS, describe }, async (command, values, args) => {
    if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
    if (command === 'read') return read(values, io);
    if (command === 'virtual') return virtual(values, io);
    throw new UsageError(`unknown command "${command}"`);
  });
}

async function read(values: Values, io: CardCliIo): Promise<number> {
  const trust = trustStore(values.trust);
  const session = await PcscSession.open();
  let result: CardRead;
  try {
    result = await readCard(session, {
      reader: values.reader,
      photo: true, // verification.photo needs it
      trust,
      now: () => new Date(),
      waitMs: count(values['wait-ms'], '--wait-ms'),
    });
  } finally {
    await session.close();
  }
  if (values.photo && result.photo) await writeFile(values.photo, Buffer.from(result.photo, 'base64'));
  const { photo: _photo, ...printable } = result;
  io.stdout(values.json ? `${JSON.stringify(printable, null, 2)}\n` : summary(printable));
  return 0;
}

function trustStore(extra: readonly string[]): TrustStore {
  const production = productionTrustStore();
  if (extra.length === 0) return production;
  const added = loadTrustStore(
    extra.map((file) => {
      try {
        return new Uint8Array(readFileSync(file));
      } catch (err) {
        throw new UsageError(`cannot read --trust ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    }),
  );
  return { roots: [...production.roots, ...added.roots] };
}

function summary(r: Omit<CardRead, 'photo'>): string {
  const { identity: id, address: a, verification: v } = r;
  const lines = [
    `${id.surname}, ${id.firstNames ?? ''} (${id.sex}, born ${id.birthDate}) - ${id.documentTypeLabel}`,
    `${a.street}, ${a.postalCode} ${a.municipality}`,
    `card: applet ${r.card.appletVersion} in "${r.card.reader}", ${r.apdus} APDUs in ${r.ms} ms`,
    ...Object.entries(v).map(([check, verdict]) => `${verdict.ok ? 'ok  ' : 'FAIL'} ${check}: ${verdict.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}

async function virtual(values: Values, io: CardCliIo): Promise<number> {
  if (!values.profile === !values.dir) throw new UsageError('give exactly one of --profile and --dir');
  const slot = count(values.slot, '--slot');
  if (slot > 1) throw new UsageError('--slot is 0 or 1');
  let files: CardFiles;
  let label: string;
  let basicPrivateKey: KeyObject | undefined;
  let rootPem: string | undefined;
  if (values.profile) {
    const name = values.profile;
    if (!isProfileName(name)) throw new UsageError(`unknown profile "${name}"`);
    const profile = await loadProfile(name);
    files = profile.files;
    basicPrivateKey = profile.basicPrivateKey;
    label = `profile ${name}`;
    rootPem = join(tmpdir(), `eid-kiosk-${name}-root.pem`);
    await writeFile(rootPem, toPem(profile.trustedRootDer));
  } else {
    files = await loadProfileDir(values.dir!);
    label = `folder ${values.dir}`;
  }
  const card = await startVirtualCard({
    files,
    basicPrivateKey,
    slot,
    delayMs: count(values['delay-ms'], '--delay-ms'),
    use61xx: values['use-61xx'],
    wrongLe: values['wrong-le'],
    notActivated: values['not-activated'],
    notBeid: values['not-beid'],
  });
  io.stderr(`virtual card (${label}) inserted in reader "${vpcdReaderName(slot)}"; Ctrl-C removes it\n`);
  if (rootPem) io.stderr(`test root for this card: --trust ${rootPem}\n`);
  await Promise.race([io.interrupted, card.removed]);
  await card.stop();
  io.stderr(`virtual card removed after ${card.apduCount} APDUs\n`);
  return 0;
}

const isProfileName = (name: string): name is ProfileName => (PROFILE_NAMES as readonly string[]).includes(name);

function count(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} takes a whole number, not "${text}"`);
  return Number(text);
}

if (isEntryPoint(import.meta.url)) {
  // Staff read one line on error, not the log: warnings only unless LOG_LEVEL asks for more.
  configureLogging(logLevel(process.env.LOG_LEVEL, 'warn'));
  process.exitCode = await runCardCommand(process.argv.slice(2), {
    ...processIo,
    interrupted: interrupted(),
    debug: process.env.LOG_LEVEL === 'debug',
  });
}
