// `npm run registry -- <command>`: run the reference registry and administer kiosk credentials.
//   serve     --port N --db FILE|postgres://... [--host 127.0.0.1] [--cert FILE --key FILE]
//   provision --db ... --kiosk ID --chain CHAIN --store STORE     prints the new token (shown once)
//   revoke    --db ... --kiosk ID
//   stats     --db ...                                             prints JSON counts
//   purge     --db ...                                             erases what is past its retention, prints JSON counts
// The matching secret: REGISTRY_MATCH_KEY, or --match-key-file FILE, or <db>.match-key beside a SQLite file.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadStatements } from '../consent/statements.js';
import { RegistryError } from '../registry/errors.js';
import { provisionKiosk } from '../registry/provisioning.js';
import { DEFAULT_HOST, serve } from '../registry/server.js';
import { openRegistryStore, type RegistryStore } from '../registry/store.js';

const USAGE = `usage: registry <command> [options]
  serve     --port N --db FILE|postgres://... [--host ${DEFAULT_HOST}] [--cert FILE --key FILE] [--statements DIR]
  provision --db FILE|postgres://... --kiosk ID --chain CHAIN --store STORE
  revoke    --db FILE|postgres://... --kiosk ID
  stats     --db FILE|postgres://...
  purge     --db FILE|postgres://...
serve and purge take the matching secret from REGISTRY_MATCH_KEY (64 hex characters), --match-key-file FILE,
or, for SQLite, <db>.match-key (created 0600 with a new database). serve checks records against the
published statements in DIR (default resources/consent).`;

class UsageError extends Error {}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
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
    help: { type: 'boolean', short: 'h' },
  },
});

function required(name: 'db' | 'kiosk' | 'port' | 'chain' | 'store'): string {
  const v = values[name];
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

const matchKeyFile = values['match-key-file'] ? { matchKeyFile: values['match-key-file'] } : {};

async function withStore<T>(fn: (store: RegistryStore) => Promise<T>): Promise<T> {
  const store = await openRegistryStore(required('db'), matchKeyFile);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  switch (command) {
    case 'serve': {
      const port = Number(required('port'));
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0-65535');
      if (Boolean(values.cert) !== Boolean(values.key)) throw new RegistryError('TLS_INCOMPLETE', 'give both --cert and --key, or neither');
      const tls = values.cert && values.key ? { cert: readFileSync(values.cert), key: readFileSync(values.key) } : undefined;
      const statements = values.statements ? { statements: loadStatements(values.statements) } : {};
      const running = await serve({
        port,
        host: values.host ?? DEFAULT_HOST,
        db: required('db'),
        ...(tls ? { tls } : {}),
        ...matchKeyFile,
        ...statements,
      });
      console.log(`registry listening on ${running.url}`);
      const stop = (): void => {
        running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'provision': {
      // A kiosk is bound to one chain and one store: unbound, it could write for every chain.
      const identity = { kioskId: required('kiosk'), chainId: required('chain'), storeId: required('store') };
      const token = await withStore((store) => provisionKiosk(store, identity, new Date()));
      console.log(token);
      return;
    }
    case 'revoke': {
      const kioskId = required('kiosk');
      const revoked = await withStore((store) => store.revokeKiosk(kioskId, new Date()));
      if (!revoked) throw new RegistryError('UNKNOWN_KIOSK', `no active kiosk ${kioskId}`);
      console.log(`revoked ${kioskId}`);
      return;
    }
    case 'purge':
      console.log(JSON.stringify(await withStore((store) => store.purge(new Date()))));
      return;
    case 'stats':
      console.log(JSON.stringify(await withStore((store) => store.stats()), null, 2));
      return;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`error: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  const code = e instanceof RegistryError ? e.code : ((e as { code?: string }).code ?? 'failed');
  console.error(`error: ${code}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
