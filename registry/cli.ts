// `npm run registry -- <command>`: run the reference registry and administer kiosk credentials.
//   serve     --port N --db FILE|postgres://... [--host 127.0.0.1] [--cert FILE --key FILE] [--smtp URL [--mail-from ADDR]]
//   provision --db ... --kiosk ID --chain CHAIN --store STORE     prints the new token (shown once)
//   revoke    --db ... --kiosk ID
//   stats     --db ...                                             prints JSON counts
//   purge     --db ...                                             erases what is past its retention, prints JSON counts
//   kiosks    --db ... [--chain C] [--json]                        the fleet with each kiosk's last heartbeat, silent and stuck flagged
//   back-office-token --db ... --chain C [--revoke]                prints a new back-office token (or revokes the chain's)
//   enroll-code --db ... --kiosk ID --chain C --store S [--ttl-minutes N] [--update-url URL --update-public-key KEY]
//                                                                  prints a one-time code for the kiosk's set-up, and its QR
//   keys rotate --db ...                                           a new registry signing key (the old ones stay published)
//   keys export --db ...                                           prints the published key set (GET /v1/keys), to verify offline
//   verify-receipt TEXT|FILE [--keys FILE]                         checks a signed receipt (the QR's URL or its JWS) offline
//   proof     --db ... --chain C --format 27560|kantara [--since ISO] [--subject FILE] [--out FILE]
//                                                                  the chain's records (or one person's) in a standard form
//   audit     --db ... --chain C [--keys FILE]                     re-verifies every record of the chain; exit 1 on any failure
// The matching secret: REGISTRY_MATCH_KEY, or --match-key-file FILE, or <db>.match-key beside a SQLite file.
// Exit codes as every command line of the project (common/cli.ts): 0 done, 1 failed, 2 usage.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import QRCode from 'qrcode';
import type { z } from 'zod';
import { interrupted, isEntryPoint, processIo, runCommandLine, UsageError, type OptionValues, type StoppableIo } from '../common/cli.js';
import { loadStatements } from '../sync/consent/statements.js';
import { configureLogging, logLevel } from '../sync/log.js';
import { KeySet } from '../sync/proof/key-set.js';
import { readQrText, receiptView } from '../sync/proof/compact-receipt.js';
import { verifyReceipt } from '../sync/proof/signatures.js';
import { SubjectIdentification } from '../sync/wire/registry-api.js';
import { RegistryError } from './errors.js';
import { auditRows, auditText } from './proof/audit.js';
import { ProofError } from './proof/errors.js';
import { PROOF_FORMATS, proofDocument, type ProofFormat } from './proof/export.js';
import { fleetTable } from './fleet-table.js';
import { ENROLL_CODE_TTL_MINUTES, issueBackOfficeToken, issueEnrollCode, provisionKiosk } from './provisioning.js';
import { DEFAULT_HOST, serve } from './server.js';
import { RegistrySigningKeys } from './signing-keys.js';
import { openRegistryStore, type RegistryStore } from './store.js';

const USAGE = `usage: registry <command> [options]
  serve     --port N --db FILE|postgres://... [--host ${DEFAULT_HOST}] [--cert FILE --key FILE] [--statements DIR]
            [--smtp smtp://HOST:PORT [--mail-from ADDR]]
  provision --db FILE|postgres://... --kiosk ID --chain CHAIN --store STORE
  revoke    --db FILE|postgres://... --kiosk ID
  stats     --db FILE|postgres://...
  purge     --db FILE|postgres://...
  kiosks    --db FILE|postgres://... [--chain CHAIN] [--json]
  back-office-token --db FILE|postgres://... --chain CHAIN [--revoke]
  enroll-code --db FILE|postgres://... --kiosk ID --chain CHAIN --store STORE [--ttl-minutes N]
              [--update-url URL --update-public-key KEY]
  keys rotate|export --db FILE|postgres://...
  verify-receipt TEXT|FILE [--keys FILE]
  proof     --db FILE|postgres://... --chain CHAIN --format 27560|kantara [--since ISO] [--subject FILE] [--out FILE]
  audit     --db FILE|postgres://... --chain CHAIN [--keys FILE]
keys rotate makes a new registry signing key (earlier ones stay published, so what they signed still
verifies); keys export prints the JWK Set GET /v1/keys serves, for verify-receipt --keys (default
keys.json). verify-receipt takes the receipt's QR text (the verification URL, the JWS in its #r=
fragment) or the JWS, or a file holding either; it prints the receipt and exits 0 when its signature
is a published kiosk key's, 1 otherwise.
serve and purge take the matching secret from REGISTRY_MATCH_KEY (64 hex characters), --match-key-file FILE,
or, for SQLite, <db>.match-key (created 0600 with a new database). serve checks records against the
published statements in DIR (default resources/consent). kiosks lists the active kiosks with their last
heartbeat, flagging SILENT ones (none for 5 minutes) and STUCK ones (oldest pending over an hour, or
failed commits). back-office-token prints a new token for the chain's back office (its feed and fleet);
--revoke revokes every back-office token of the chain instead. serve sends the outbox's e-mail (one-time
codes, confirmations) through --smtp (STARTTLS when the server offers it); without it the messages wait
in the outbox. enroll-code prints a one-time code (and
its QR) that the kiosk's set-up screen or \`kiosk provision\` exchanges for the kiosk's token and
settings; it works once, within --ttl-minutes (default ${ENROLL_CODE_TTL_MINUTES}).
proof writes every consent record of the chain (refusals and withdrawals included) received at or after
--since, as ISO/IEC TS 27560 records in W3C DPV JSON-LD (--format 27560) or Kantara Consent Receipts v1.1
(--format kantara), to --out FILE (created 0600) or stdout; --subject FILE gives one person's, identified
as at a kiosk by the JSON in FILE: {"surname", "firstNames", and "birthDate", "email", "mobile" or
"withdrawalCode"}. audit re-verifies every record of the chain against the published statements (their
text hash, purposes, controller), the withdrawals against what was given and each record's signatures
against the registry's published keys, or the key set in --keys FILE (a JWKS as GET /v1/keys serves it,
saved earlier): each kiosk's JWS over the record as kept, by its key valid at the record's time, then the
registry's countersignature, prints a verdict per record
and a summary, and exits 1 when any record fails. proof, audit and serve read the statements in --statements
DIR (default resources/consent).`;

export interface RegistryCliIo extends StoppableIo {
  readonly now: () => Date;
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  db: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  kiosk: { type: 'string' },
  chain: { type: 'string' },
  store: { type: 'string' },
  'match-key-file': { type: 'string' },
  statements: { type: 'string' },
  json: { type: 'boolean' },
  revoke: { type: 'boolean' },
  smtp: { type: 'string' },
  'mail-from': { type: 'string' },
  'ttl-minutes': { type: 'string' },
  'update-url': { type: 'string' },
  'update-public-key': { type: 'string' },
  format: { type: 'string' },
  since: { type: 'string' },
  subject: { type: 'string' },
  out: { type: 'string' },
  keys: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = OptionValues<typeof OPTIONS>;

/** The whole command line as a function: tests call it as the program does. */
export const runRegistryCommand = (argv: readonly string[], io: RegistryCliIo): Promise<number> =>
  runCommandLine(argv, io, { usage: USAGE, options: OPTIONS }, (command, values, args) => run(command, values, args, io));

async function run(command: string, values: Values, args: string[], io: RegistryCliIo): Promise<number> {
  const required = (name: 'db' | 'kiosk' | 'port' | 'chain' | 'store'): string => {
    const v = values[name];
    if (!v) throw new UsageError(`--${name} is required`);
    return v;
  };
  const matchKeyFile = values['match-key-file'] ? { matchKeyFile: values['match-key-file'] } : {};
  const statements = values.statements ? { statements: loadStatements(values.statements) } : {};
  const withStore = async <T>(fn: (store: RegistryStore) => Promise<T>): Promise<T> => {
    const store = await openRegistryStore(required('db'), { ...matchKeyFile, ...statements });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  };
  switch (command) {
    case 'serve': {
      const port = Number(required('port'));
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0-65535');
      if (Boolean(values.cert) !== Boolean(values.key)) throw new RegistryError('TLS_INCOMPLETE', 'give both --cert and --key, or neither');
      const tls = values.cert && values.key ? { cert: readFileSync(values.cert), key: readFileSync(values.key) } : undefined;
      const running = await serve({
        port,
        host: values.host ?? DEFAULT_HOST,
        db: required('db'),
        ...(tls ? { tls } : {}),
        ...matchKeyFile,
        ...statements,
        ...(values.smtp ? { smtp: values.smtp } : {}),
        ...(values['mail-from'] ? { mailFrom: values['mail-from'] } : {}),
      });
      io.stdout(`registry listening on ${running.url}\n`);
      await io.interrupted;
      await running.close();
      return 0;
    }
    case 'provision': {
      // A kiosk is bound to one chain and one store: unbound, it could write for every chain.
      const identity = { kioskId: required('kiosk'), chainId: required('chain'), storeId: required('store') };
      const token = await withStore((store) => provisionKiosk(store, identity, io.now()));
      io.stdout(`${token}\n`);
      return 0;
    }
    case 'enroll-code': {
      const grant = { kioskId: required('kiosk'), chainId: required('chain'), storeId: required('store'), ...updateOf(values) };
      const ttl = Number(values['ttl-minutes'] ?? ENROLL_CODE_TTL_MINUTES);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 7 * 24 * 60) throw new UsageError('--ttl-minutes must be 1-10080');
      const { code, expiresAt } = await withStore((store) => issueEnrollCode(store, grant, io.now(), ttl));
      const qr = await QRCode.toString(code, { type: 'terminal', small: true });
      io.stdout(`${code}\n${qr}\nkiosk ${grant.kioskId}: works once, until ${expiresAt.toISOString()}\n`);
      return 0;
    }
    case 'revoke': {
      const kioskId = required('kiosk');
      const revoked = await withStore((store) => store.revokeKiosk(kioskId, io.now()));
      if (!revoked) throw new RegistryError('UNKNOWN_KIOSK', `no active kiosk ${kioskId}`);
      io.stdout(`revoked ${kioskId}\n`);
      return 0;
    }
    case 'kiosks': {
      const asOf = io.now();
      const kiosks = await withStore((store) => store.fleet(values.chain ?? null, asOf));
      io.stdout(values.json ? `${JSON.stringify({ asOf: asOf.toISOString(), kiosks }, null, 2)}\n` : fleetTable(kiosks));
      return 0;
    }
    case 'back-office-token': {
      const chainId = required('chain');
      if (values.revoke) {
        const revoked = await withStore((store) => store.revokeBackOfficeTokens(chainId, io.now()));
        io.stdout(`revoked ${revoked} back-office token${revoked === 1 ? '' : 's'} of ${chainId}\n`);
        return 0;
      }
      io.stdout(`${await withStore((store) => issueBackOfficeToken(store, chainId, io.now()))}\n`);
      return 0;
    }
    case 'keys': {
      const signing = (store: RegistryStore): RegistrySigningKeys => new RegistrySigningKeys(store);
      if (args[0] === 'rotate') {
        io.stdout(`${await withStore((store) => signing(store).rotate(io.now()))}\n`);
        return 0;
      }
      if (args[0] === 'export') {
        io.stdout(`${JSON.stringify(await withStore((store) => signing(store).keySet()), null, 2)}\n`);
        return 0;
      }
      throw new UsageError('keys rotate or keys export');
    }
    case 'verify-receipt': {
      const [input] = args;
      if (input === undefined) throw new UsageError('give the receipt (its QR text or JWS) or a file holding it');
      const keys = jsonFileOf('--keys', values.keys ?? 'keys.json', KeySet);
      const text = existsSync(input) ? readFileSync(input, 'utf8').trim() : input;
      const result = verifyReceipt(readQrText(text).jws, keys);
      if (!result.ok) {
        io.stderr(`error: RECEIPT_NOT_VERIFIED: ${result.failure}\n`);
        return 1;
      }
      io.stdout(
        `${JSON.stringify({ verified: true, kid: result.key.kid, kioskId: result.key.kioskId, receipt: receiptView(result.value) }, null, 2)}\n`,
      );
      return 0;
    }
    case 'proof': {
      const chainId = required('chain');
      const format = values.format;
      if (!PROOF_FORMATS.some((f) => f === format)) throw new UsageError(`--format must be ${PROOF_FORMATS.join(' or ')}`);
      const since = sinceOf(values.since);
      const who = values.subject === undefined ? undefined : jsonFileOf('--subject', values.subject, SubjectIdentification);
      const text = await withStore(async (store) => {
        const rows = who ? await store.subjectProofRows(chainId, since, who) : await store.proofRows(chainId, since);
        return proofDocument(format as ProofFormat, rows, store.rules.statements);
      });
      if (values.out === undefined) io.stdout(text);
      else writeFileSync(values.out, text, { mode: 0o600 });
      return 0;
    }
    case 'audit': {
      const chainId = required('chain');
      // An auditor who trusts nothing in the database passes the key set published earlier (GET /v1/keys, saved).
      const saved = values.keys === undefined ? undefined : jsonFileOf('--keys', values.keys, KeySet);
      const report = await withStore(async (store) => {
        const keys = saved ?? (await new RegistrySigningKeys(store).keySet());
        return auditRows(await store.proofRows(chainId, null), store.rules.statements, keys);
      });
      io.stdout(auditText(chainId, report));
      if (report.failed > 0)
        throw new ProofError('AUDIT_FAILED', `${report.failed} of ${report.verdicts.length} records of ${chainId} failed`);
      return 0;
    }
    case 'purge':
      io.stdout(`${JSON.stringify(await withStore((store) => store.purge(io.now())))}\n`);
      return 0;
    case 'stats':
      io.stdout(`${JSON.stringify(await withStore((store) => store.stats()), null, 2)}\n`);
      return 0;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

/** --since: a date or date-time (ISO 8601); records received from then on. */
function sinceOf(since: string | undefined): Date | null {
  if (since === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(since) || Number.isNaN(Date.parse(since)))
    throw new UsageError('--since must be an ISO 8601 date or date-time');
  return new Date(since);
}

/**
 * A JSON file an option names, checked against its schema. The person's identification comes from a
 * file (on the command line it would show in `ps` to every user), so a failure names the field, never its value.
 */
function jsonFileOf<T>(option: '--subject' | '--keys', file: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new RegistryError('INVALID_REQUEST', `${option} ${file} is not a readable JSON file`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new RegistryError('INVALID_REQUEST', `${option} ${file}: ${parsed.error.issues[0]?.path.join('.') || 'the object'} is invalid`);
  return parsed.data;
}

/** The chain's update server and key, given together or not at all; the server https only. */
function updateOf(values: Values): { updateUrl?: string; updatePublicKey?: string } {
  const url = values['update-url'];
  const key = values['update-public-key'];
  if (Boolean(url) !== Boolean(key)) throw new UsageError('give --update-url and --update-public-key together');
  if (!url || !key) return {};
  if (!URL.canParse(url) || new URL(url).protocol !== 'https:') throw new UsageError('--update-url must be an https URL');
  return { updateUrl: url, updatePublicKey: key };
}

if (isEntryPoint(import.meta.url)) {
  configureLogging(logLevel(process.env.LOG_LEVEL, 'info'));
  process.exitCode = await runRegistryCommand(process.argv.slice(2), { ...processIo, now: () => new Date(), interrupted: interrupted() });
}
