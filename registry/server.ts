// The listening registry: TLS when given a certificate and key; plain HTTP only on loopback.
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { StatementCatalog } from '../sync/consent/statements.js';
import { PURGE_EVERY_DAYS } from '../sync/consent/retention.js';
import { isLoopbackHost } from '../sync/loopback.js';
import { buildApp, type TlsMaterial } from './app.js';
import { RegistryError } from './errors.js';
import { MailDispatcher } from './mail/dispatcher.js';
import { SmtpSender, type EmailSender, type SmsSender } from './mail/senders.js';
import { openRegistryStore, type RegistryStore } from './store.js';
import type { SubjectLimit } from './subject-attempts.js';

export interface ServeOptions {
  port: number;
  host?: string;
  /** A SQLite file path, or a postgres:// URL. */
  db: string;
  tls?: TlsMaterial;
  now?: () => Date;
  newId?: () => string;
  pgSchema?: string;
  logger?: Logger;
  /** The matching secret, or a file holding it (else match-secret.ts decides). */
  matchSecret?: Buffer;
  matchKeyFile?: string;
  /** The published statements records must name; resources/consent by default. A chain's new
   *  version is published to the registry before its kiosks ask for it. */
  statements?: StatementCatalog;
  /** SQLite: write on a thread of its own (store.ts StoreOptions.writerThread); true unless false. */
  writerThread?: boolean;
  /** Misses allowed per identified subject per window (subject-attempts.ts). */
  subjectLimit?: SubjectLimit;
  /**
   * How often the retention purge runs (subject-desk.ts purgeExpired): every `PURGE_EVERY_DAYS` by
   * default, and never less often, since each retention rule counts on it (a test may run it more often).
   */
  purgeEveryMs?: number;
  /** The SMTP server the outbox's e-mail goes through (smtp://host:port); without one, e-mail waits in the outbox. */
  smtp?: string;
  /** Another e-mail sender than SMTP (a test's recorder); `smtp` is then ignored. */
  email?: EmailSender;
  /** The sender address of that e-mail. */
  mailFrom?: string;
  /** The SMS gateway; without one, SMS wait in the outbox. */
  sms?: SmsSender;
  /** How often the outbox is sent; every 5 s by default. */
  mailEveryMs?: number;
  /** The purge's and the outbox's timer; the global one by default (tests drive their own). */
  timer?: PurgeTimer;
}

export interface PurgeTimer {
  /** Calls `tick` every `ms` (it never rejects: failures are logged). */
  every(ms: number, tick: () => Promise<void>): { stop(): void };
}

const DAY_MS = 86_400_000;

const globalTimer: PurgeTimer = {
  every: (ms, tick) => {
    const handle = setInterval(() => void tick(), ms);
    handle.unref();
    return { stop: () => clearInterval(handle) };
  },
};

export interface RunningRegistry {
  url: string;
  app: FastifyInstance;
  store: RegistryStore;
  /** The outbox's sender: tests call `tick()` rather than wait for the timer. */
  mail: MailDispatcher;
  close(): Promise<void>;
}

export const DEFAULT_MAIL_FROM = 'registry@localhost';

export const DEFAULT_HOST = '127.0.0.1';

export function assertTransportAllowed(host: string, tls: boolean): void {
  if (!tls && !isLoopbackHost(host)) {
    throw new RegistryError(
      'PLAIN_HTTP_REFUSED',
      `refusing plain HTTP on ${host}: kiosks send personal data, so give --cert and --key, or bind to loopback (127.0.0.1 or ::1)`,
    );
  }
}

export async function serve(opts: ServeOptions): Promise<RunningRegistry> {
  const purgeEveryMs = opts.purgeEveryMs ?? PURGE_EVERY_DAYS * DAY_MS;
  if (purgeEveryMs > PURGE_EVERY_DAYS * DAY_MS)
    throw new RangeError(`purgeEveryMs: at most ${PURGE_EVERY_DAYS} day(s), or data outlive their retention`);
  const host = opts.host ?? DEFAULT_HOST;
  assertTransportAllowed(host, opts.tls !== undefined);
  const store = await openRegistryStore(opts.db, {
    ...(opts.newId ? { newId: opts.newId } : {}),
    ...(opts.pgSchema ? { pgSchema: opts.pgSchema } : {}),
    ...(opts.matchSecret ? { matchSecret: opts.matchSecret } : {}),
    ...(opts.matchKeyFile ? { matchKeyFile: opts.matchKeyFile } : {}),
    ...(opts.statements ? { statements: opts.statements } : {}),
    writerThread: opts.writerThread ?? true,
  });
  try {
    store.rules.keyer.assertReady();
  } catch (e) {
    await store.close();
    throw e;
  }
  const now = opts.now ?? (() => new Date());
  const app = buildApp(
    {
      store,
      now,
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.subjectLimit ? { subjectLimit: opts.subjectLimit } : {}),
      ...(opts.statements ? { statements: opts.statements } : {}),
    },
    opts.tls,
  );
  try {
    await app.listen({ port: opts.port, host });
  } catch (e) {
    await store.close();
    throw e;
  }
  const purge = (opts.timer ?? globalTimer).every(purgeEveryMs, async () => {
    try {
      app.log.info(await store.purge(now()), 'retention purge');
    } catch (err) {
      app.log.error({ err: { type: (err as Error).name, code: (err as { code?: unknown }).code } }, 'retention purge failed');
    }
  });
  const from = opts.mailFrom ?? DEFAULT_MAIL_FROM;
  const email = opts.email ?? (opts.smtp === undefined ? undefined : new SmtpSender(opts.smtp, from));
  const mail = new MailDispatcher({
    store,
    now,
    logger: app.log as Logger,
    domain: from.split('@')[1] ?? 'localhost',
    ...(email ? { email } : {}),
    ...(opts.sms ? { sms: opts.sms } : {}),
  });
  const mailLoop = (opts.timer ?? globalTimer).every(opts.mailEveryMs ?? 5_000, async () => {
    try {
      await mail.tick();
    } catch (err) {
      app.log.error({ err: { type: (err as Error).name, code: (err as { code?: unknown }).code } }, 'mail dispatch failed');
    }
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    app,
    store,
    mail,
    close: async () => {
      purge.stop();
      mailLoop.stop();
      await mail.tick().catch(() => undefined);
      email?.close();
      await app.close();
      await store.close();
    },
  };
}
