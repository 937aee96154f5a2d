// The store manager's queue tool: `npm run queue -- <command> --db FILE`. See sync/store/README.md.
// Output is for people (and CSV/JSON lines for programs); log lines go to stderr, never personal data.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { failureLine, isEntryPoint, processIo, runCommandLine, UsageError, type CommandIo, type OptionValues } from '../../common/cli.js';
import { loadStatements, type StatementCatalog } from '../consent/statements.js';
import {
  DEFAULT_STALE_AFTER_MS,
  discardDeadLetter,
  exportConsentReceiptsCsv,
  importPaperLines,
  listFailed,
  queueStatus,
  retryDeadLetters,
  samplePaperLines,
} from '../manager/operations.js';
import { configureLogging, logLevel } from '../log.js';
import { runSyncCommand } from './sync-command.js';
import { asStoreError } from '../store/errors.js';
import { resolveCliKey } from '../store/key-file.js';
import { STUCK_AFTER_ATTEMPTS } from '../store/outbox-items.js';
import { assertExistingDatabase, openStore, type Store } from '../store/open.js';
import { DEFAULT_POLICY } from '../store/policy.js';

const USAGE = `usage: npm run queue -- <command> [options]
  status  --db FILE [--stale-hours H]   counts per state, oldest pending, last sync, registry reachable
  failed  --db FILE                     items that are not moving, with their reasons: dead-letter, and
                                        pending after ${STUCK_AFTER_ATTEMPTS} failed attempts
  retry   --db FILE (KEY... | --all)    those items back to pending, due now
  discard --db FILE KEY                 give up on one of them (its personal data is purged)
  export  --db FILE [--out FILE]        consent receipts as CSV (stdout unless --out)
  import  --db FILE --kiosk ID FILE     queue staff-keyed paper enrollments (JSON lines) for this kiosk
  sample  N [--seed S] [--start ISO] [--chain ID] [--store ID] [--kiosk ID]
                                        print N valid synthetic import lines
  sync    --db FILE --registry URL [--token-file FILE] [--ca PEM] [--once]
                                        send the queue to the registry; --once exits when nothing is
                                        left (0), or 3 dead-lettered, 4 still unsent, 5 token refused
                                        token: --token-file FILE or KIOSK_REGISTRY_TOKEN (never argv: ps shows it)
options: --statements DIR (consent statements; default resources/consent)
key: KIOSK_DB_KEY (64 hex) or the file <db>.key beside the database (created 0600 with a new database)`;

export interface CliIo extends CommandIo {
  readonly env: Record<string, string | undefined>;
  readonly now: () => Date;
  /** The published consent statements (DIR from --statements, else resources/consent); tests inject their own. */
  readonly statements: (dir: string | undefined) => StatementCatalog;
}

const STORE_COMMANDS = new Set(['status', 'failed', 'retry', 'discard', 'export', 'import']);

const OPTIONS = {
  db: { type: 'string' },
  out: { type: 'string' },
  all: { type: 'boolean' },
  seed: { type: 'string' },
  start: { type: 'string' },
  chain: { type: 'string' },
  store: { type: 'string' },
  kiosk: { type: 'string' },
  statements: { type: 'string' },
  'stale-hours': { type: 'string' },
  registry: { type: 'string' },
  'token-file': { type: 'string' },
  ca: { type: 'string' },
  once: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = OptionValues<typeof OPTIONS>;

/** The whole command line as a function: tests call it as the program does. */
export function runQueueCommand(argv: readonly string[], io: CliIo): Promise<number> {
  // An SQLite failure not yet coded gets its DB_* code, so the line says what is wrong with the file.
  const line = {
    usage: USAGE,
    options: OPTIONS,
    describe: (e: unknown) => failureLine(asStoreError(e) ?? e),
    refused: { token: 'a token in the command line is visible to every user (ps); use --token-file FILE or KIOSK_REGISTRY_TOKEN' },
  };
  return runCommandLine(argv, io, line, async (command, values, args) => {
    if (command === 'sync') return sync(values, io);
    if (command === 'sample') return sample(args, values, io);
    return withStore(command, args, values, io);
  });
}

function sync(values: Values, io: CliIo): Promise<number> {
  const { db, registry, ca } = values;
  if (db === undefined || registry === undefined) {
    throw new UsageError('sync needs --db FILE --registry URL, and the token in --token-file FILE or KIOSK_REGISTRY_TOKEN');
  }
  const token = registryToken(values['token-file'], io.env);
  assertExistingDatabase(db);
  return runSyncCommand({
    dbFile: db,
    registryUrl: registry,
    token,
    once: values.once === true,
    ...(ca !== undefined ? { caFile: ca } : {}),
    key: resolveCliKey(db, io.env),
  });
}

/** The kiosk token from its file (the first line) or KIOSK_REGISTRY_TOKEN. */
function registryToken(file: string | undefined, env: CliIo['env']): string {
  let token: string | undefined;
  if (file !== undefined) {
    try {
      token = readFileSync(file, 'utf8').split(/\r?\n/)[0]?.trim();
    } catch (e) {
      throw new UsageError(`cannot read the token file: ${(e as { code?: string }).code ?? 'unreadable'}`);
    }
  } else token = env.KIOSK_REGISTRY_TOKEN?.trim();
  if (!token) throw new UsageError('sync needs the kiosk token in --token-file FILE or KIOSK_REGISTRY_TOKEN');
  return token;
}

/** A command on an existing queue (or, for import, a new one), opened for this command only. */
function withStore(command: string, args: string[], values: Values, io: CliIo): number {
  const dbPath = values.db;
  if (dbPath === undefined) throw new UsageError(`${command} needs --db FILE`);
  if (!STORE_COMMANDS.has(command)) throw new UsageError(`unknown command ${command}`);
  // Only an import may start a new queue; every other command works on an existing database.
  if (command !== 'import' || existsSync(dbPath)) assertExistingDatabase(dbPath);
  // The kiosk may be syncing right now: leave its 'sending' items alone (it recovers its own on open).
  const store = openStore({
    path: dbPath,
    key: resolveCliKey(dbPath, io.env),
    recoverInFlight: false,
    ...(values.kiosk !== undefined ? { kioskId: values.kiosk } : {}),
  });
  try {
    return runWithStore(command, args, values, store, io);
  } finally {
    store.close();
  }
}

function runWithStore(command: string, args: string[], values: Values, store: Store, io: CliIo): number {
  const now = io.now();
  switch (command) {
    case 'status': {
      const hours = values['stale-hours'] === undefined ? undefined : Number(values['stale-hours']);
      if (hours !== undefined && !(hours > 0)) throw new UsageError('--stale-hours must be a positive number');
      io.stdout(formatStatus(queueStatus(store, now, hours === undefined ? DEFAULT_STALE_AFTER_MS : hours * 3_600_000), hours ?? 24));
      return 0;
    }
    case 'failed': {
      const failed = listFailed(store);
      if (failed.length === 0) io.stdout('no failed items\n');
      for (const f of failed) {
        io.stdout(
          `#${f.sequence} ${f.idempotencyKey} ${f.kind}${f.initials ? ` ${f.initials}` : ''} ` +
            `created ${f.createdAt.toISOString()} attempts ${f.attempts}${f.state === 'pending' ? ' (still pending)' : ''}\n  ${f.reasonCode}: ${f.reason}\n`,
        );
      }
      return 0;
    }
    case 'retry': {
      if (Boolean(values.all) === args.length > 0) throw new UsageError('retry needs KEY... or --all, not both');
      const keys = retryDeadLetters(store, values.all ? 'all' : args, now);
      io.stdout(`${keys.length} item(s) queued again\n`);
      return 0;
    }
    case 'discard': {
      const [key] = args;
      if (key === undefined || args.length !== 1) throw new UsageError('discard needs exactly one KEY');
      discardDeadLetter(store, key, now);
      io.stdout(`discarded ${key}; its personal data is purged and a receipt remains\n`);
      return 0;
    }
    case 'export': {
      const csv = exportConsentReceiptsCsv(store);
      if (values.out === undefined) io.stdout(csv);
      else writeFileSync(values.out, csv, { mode: 0o600 });
      return 0;
    }
    case 'import': {
      const [file] = args;
      if (file === undefined || args.length !== 1) throw new UsageError('import needs exactly one FILE');
      if (values.kiosk === undefined) throw new UsageError('import needs --kiosk ID: the kiosk whose queue this is');
      const report = importPaperLines(store, readFileSync(file, 'utf8'), {
        kioskId: values.kiosk,
        statements: io.statements(values.statements),
        policy: DEFAULT_POLICY,
        now,
      });
      for (const e of report.errors) io.stderr(`line ${e.line}: ${e.reason}\n`);
      io.stdout(`${report.queued} enrollment(s) queued, ${report.errors.length} line(s) rejected\n`);
      return report.errors.length > 0 ? 1 : 0;
    }
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

function sample(args: string[], values: Values, io: CliIo): number {
  const count = Number(args[0]);
  if (args.length !== 1 || !Number.isInteger(count) || count < 0) throw new UsageError('sample needs a count N');
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
  const start = new Date(values.start ?? '2025-01-06T08:00:00Z');
  if (Number.isNaN(start.getTime())) throw new UsageError('--start must be an ISO 8601 time');
  const lines = samplePaperLines(count, io.statements(values.statements), {
    seed,
    start,
    chainId: values.chain ?? 'demo-chain',
    storeId: values.store ?? 'store-001',
    kioskId: values.kiosk ?? 'kiosk-01',
  });
  for (const line of lines) io.stdout(`${JSON.stringify(line)}\n`);
  return 0;
}

const formatAge = (ms: number): string => {
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
};

function formatStatus(s: ReturnType<typeof queueStatus>, staleHours: number): string {
  const lines = [
    ...Object.entries(s.counts).map(([state, n]) => `${state.padEnd(22)}${n}`),
    `${'oldest pending'.padEnd(22)}${
      s.oldestPendingAt && s.oldestPendingAgeMs !== undefined
        ? `${s.oldestPendingAt.toISOString()} (${formatAge(s.oldestPendingAgeMs)} ago)${s.stale ? `  WARNING: older than ${staleHours} h` : ''}`
        : 'none'
    }`,
    `${'last successful sync'.padEnd(22)}${s.lastSuccessAt?.toISOString() ?? 'never'}`,
    `${'registry reachable'.padEnd(22)}${
      s.registryReachable === undefined
        ? 'unknown (no sync attempt yet)'
        : s.registryReachable
          ? `yes (as of ${s.lastAttemptAt?.toISOString()})`
          : `no (as of ${s.lastAttemptAt?.toISOString()}: ${s.lastError ?? 'unknown error'})`
    }`,
  ];
  return `${lines.join('\n')}\n`;
}

if (isEntryPoint(import.meta.url)) {
  const argv = process.argv.slice(2);
  // The manager's commands print warnings only; `sync` keeps its progress lines (info). A loose
  // parse, only to see the command: the command's own parse reports what is wrong.
  const command = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false }).positionals[0];
  configureLogging(logLevel(process.env.LOG_LEVEL, command === 'sync' ? 'info' : 'warn'));
  process.exitCode = await runQueueCommand(argv, {
    ...processIo,
    env: process.env,
    now: () => new Date(),
    statements: (dir) => loadStatements(dir),
  });
}
