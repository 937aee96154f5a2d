// RegistryStore: everything the registry keeps, behind one interface. One implementation of the
// logic over two engines (storage/sqlite.ts by default, storage/postgres.ts for postgres:// URLs).
import { bundledStatements, type StatementCatalog } from '../sync/consent/statements.js';
import type { ItemResult } from '../sync/wire/schemas.js';
import type {
  ConsentLookupRequest,
  ConsentLookupResponse,
  ConsentWithdrawRequest,
  ConsentWithdrawResponse,
  FeedEvent,
  FleetKiosk,
  Heartbeat,
  RegistryStats,
  SubjectAccessResponse,
  SubjectChallengeRequest,
  SubjectEraseResponse,
  SubjectIdentification,
} from '../sync/wire/registry-api.js';
import { claimDueMail, markMailFailed, markMailSent, waitingMail, type MailChannel, type QueuedMail } from './mail/outbox.js';
import { challengeSubject, proveSubject } from './subject-proof.js';
import type { PreparedItem } from './apply.js';
import type { BatchRequestContext, RegistryRules } from './batch-context.js';
import { lookupConsents, withdrawConsents } from './consent-desk.js';
import { RegistrySigningKeys } from './signing-keys.js';
import type { SigningKey } from '../sync/proof/ed25519.js';
import { BatchGroups } from './group-commit.js';
import { truncateWal } from './storage/erasure.js';
import { accessSubject, eraseSubject, purgeExpired, type PurgeResult } from './subject-desk.js';
import { chainFeed } from './storage/feed.js';
import { resolveMatchSecret } from './match-secret.js';
import { MatchKeyer } from './matching.js';
import { fleet, recordHeartbeat } from './storage/fleet.js';
import { addEnrollCode, redeemEnrollCode, type EnrollGrant } from './storage/enroll-codes.js';
import {
  backOfficeByTokenHash,
  issueBackOfficeToken,
  kioskByTokenHash,
  provisionKiosk,
  revokeBackOfficeTokens,
  revokeKiosk,
  type BackOfficeRow,
  type KioskIdentity,
  type KioskRow,
} from './storage/kiosks.js';
import {
  addRegistryKey,
  allKioskKeys,
  kioskKeysOf,
  registerKioskKey,
  registryKeys,
  type KioskKeyRow,
  type RegistryKeyRow,
} from './storage/signing-keys.js';
import { ANALYZE_SQL, StatisticsKeeper } from './storage/pg-statistics.js';
import { openPostgresDriver } from './storage/postgres.js';
import { run, type SqlDriver } from './storage/sql.js';
import { openSqliteDriver } from './storage/sqlite.js';
import { registryStats } from './storage/stats.js';
import { chainProofRows, type StoredProofRow } from './storage/proof-records.js';
import { subjectProofRows } from './proof/subject.js';
import { PublishedStatements } from './published-notices.js';
import { startSqliteWriter, type Writer } from './sqlite-writer.js';
import { withKioskCache } from './kiosk-cache.js';
import { uuidv7 } from '../sync/uuid7.js';

export type { PreparedItem } from './apply.js';
export type { BatchContext, BatchRequestContext } from './batch-context.js';
export type { BackOfficeRow, KioskIdentity, KioskRow } from './storage/kiosks.js';
export type { EnrollGrant } from './storage/enroll-codes.js';
export type { StoredProofRow } from './storage/proof-records.js';
export type { KioskKeyRow, RegistryKeyRow } from './storage/signing-keys.js';

export interface RegistryStore {
  readonly engine: 'sqlite' | 'postgres';
  /** The matching secret's keyer and the published statements. */
  readonly rules: RegistryRules;
  /** Binds a kiosk to a token hash (a new one replaces the old and lifts a revocation). */
  provisionKiosk(kiosk: KioskIdentity, tokenHash: string, now: Date): Promise<void>;
  /** False when no active kiosk has this id. */
  revokeKiosk(kioskId: string, now: Date): Promise<boolean>;
  kioskByTokenHash(tokenHash: string): Promise<KioskRow | undefined>;
  /** Keeps a one-time enrollment code (its hash) for a kiosk until `expiresAt`. */
  addEnrollCode(codeHash: string, grant: EnrollGrant, now: Date, expiresAt: Date): Promise<void>;
  /** Takes the code (once, before it expires) and binds its kiosk to `tokenHash`; undefined for any other code. */
  redeemEnrollCode(codeHash: string, tokenHash: string, now: Date): Promise<EnrollGrant | undefined>;
  /** A new back-office credential for the chain (earlier ones stay valid until revoked). */
  issueBackOfficeToken(chainId: string, tokenHash: string, now: Date): Promise<void>;
  /** How many active back-office credentials of the chain were revoked. */
  revokeBackOfficeTokens(chainId: string, now: Date): Promise<number>;
  backOfficeByTokenHash(tokenHash: string): Promise<BackOfficeRow | undefined>;
  /** Keeps the kiosk's latest heartbeat, in place of the one before. */
  recordHeartbeat(kioskId: string, heartbeat: Heartbeat, receivedAt: Date): Promise<void>;
  /** The active kiosks of a chain (null: of every chain) with their latest heartbeat, flagged as of `now`. */
  fleet(chainId: string | null, now: Date): Promise<FleetKiosk[]>;
  /** One answer per item, in order; each accepted item committed with its idempotency key. */
  applyItems(ctx: BatchRequestContext, items: readonly PreparedItem[]): Promise<ItemResult[]>;
  feed(chainId: string, after: number, limit: number): Promise<{ events: FeedEvent[]; hasMore: boolean }>;
  lookupConsents(kiosk: KioskIdentity, who: ConsentLookupRequest): Promise<ConsentLookupResponse>;
  withdrawConsents(kiosk: KioskIdentity, req: ConsentWithdrawRequest, now: Date): Promise<ConsentWithdrawResponse>;
  /** What the registry holds on the identified consumer, as the asking chain may see it. */
  accessSubject(kiosk: KioskIdentity, who: SubjectIdentification, now: Date): Promise<SubjectAccessResponse>;
  /** Erases the identified consumer's profile; the consent proof stays for its period. */
  eraseSubject(kiosk: KioskIdentity, who: SubjectIdentification, now: Date): Promise<SubjectEraseResponse>;
  /** Sends the identified consumer a one-time code on file (subject-proof.ts); a miss throws CONSUMER_NOT_FOUND. */
  challengeSubject(kiosk: KioskIdentity, req: SubjectChallengeRequest, now: Date): Promise<void>;
  /** Uses up the identified consumer's one-time code: false when it is wrong, expired or none. */
  proveSubject(kiosk: KioskIdentity, who: SubjectIdentification, code: string, now: Date): Promise<boolean>;
  /** The outbox (mail/outbox.ts): claims what is due, records each send. */
  claimDueMail(channels: readonly MailChannel[], now: Date, limit: number): Promise<QueuedMail[]>;
  markMailSent(seq: number, now: Date): Promise<void>;
  markMailFailed(seq: number, nextAttemptAt: Date): Promise<void>;
  waitingMail(): Promise<number>;
  /** A chain's consent records as kept, received at or after `since`: what the proof exports and the audit read (proof/). */
  proofRows(chainId: string, since: Date | null): Promise<StoredProofRow[]>;
  /** The identified consumer's records at a chain, as proofRows (proof/subject.ts); a miss throws CONSUMER_NOT_FOUND. */
  subjectProofRows(chainId: string, since: Date | null, who: SubjectIdentification): Promise<StoredProofRow[]>;
  /** Registers a kiosk's public key (signing-keys.ts); false when the key belongs to another kiosk. */
  registerKioskKey(key: Omit<KioskKeyRow, 'notAfter'>): Promise<boolean>;
  kioskKeys(kioskId: string): Promise<KioskKeyRow[]>;
  allKioskKeys(): Promise<KioskKeyRow[]>;
  /** A new registry signing key; the signing one stops at its `notBefore`. */
  addRegistryKey(key: Omit<RegistryKeyRow, 'notAfter'>): Promise<void>;
  registryKeys(): Promise<RegistryKeyRow[]>;
  /** The retention purge (subject-desk.ts purgeExpired). */
  purge(now: Date): Promise<PurgeResult>;
  stats(): Promise<RegistryStats>;
  close(): Promise<void>;
}

/** The store's methods that write: on SQLite, `serve` runs them on the writer thread (sqlite-writer.ts). */
export const WRITE_METHODS = [
  'provisionKiosk',
  'revokeKiosk',
  'addEnrollCode',
  'redeemEnrollCode',
  'issueBackOfficeToken',
  'revokeBackOfficeTokens',
  'recordHeartbeat',
  'applyItems',
  'withdrawConsents',
  'eraseSubject',
  'challengeSubject',
  'proveSubject',
  'claimDueMail',
  'markMailSent',
  'markMailFailed',
  'purge',
  'registerKioskKey',
  'addRegistryKey',
] as const;
export type WriteMethod = (typeof WRITE_METHODS)[number];
type Writes = Pick<RegistryStore, WriteMethod>;

export interface StoreOptions {
  /** Ids for receipts, profiles and withdrawal records; time-ordered (uuid7.ts) by default. */
  newId?: () => string;
  /** PostgreSQL only: the schema to work in (tests use a fresh one each). */
  pgSchema?: string;
  /** The matching secret (32 bytes); else resolved by match-secret.ts. */
  matchSecret?: Buffer;
  /** A file holding the matching secret (64 hex characters). */
  matchKeyFile?: string;
  /** The published consent statements records must name; the bundled resources/consent by default. */
  statements?: StatementCatalog;
  /**
   * SQLite only: write on a thread of its own (sqlite-writer.ts), so commits never stop the event
   * loop; what `serve` does. Ignored with a caller's own newId (a function stays on its thread).
   */
  writerThread?: boolean;
}

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//.test(db);
}

/** SQLite for a file path, PostgreSQL for a postgres:// URL; the kiosks it finds kept a few seconds (kiosk-cache.ts). */
export async function openRegistryStore(db: string, opts: StoreOptions = {}): Promise<RegistryStore> {
  return withKioskCache(await openEngineStore(db, opts));
}

async function openEngineStore(db: string, opts: StoreOptions): Promise<RegistryStore> {
  const postgres = isPostgresUrl(db);
  const secret = opts.matchSecret ?? resolveMatchSecret(db, postgres, opts.matchKeyFile);
  const driver = postgres
    ? await openPostgresDriver(db, opts.pgSchema === undefined ? {} : { schema: opts.pgSchema })
    : openSqliteDriver(db);
  const views = (opts.statements ?? bundledStatements()).all();
  const rules = { keyer: new MatchKeyer(secret), statements: new PublishedStatements(views) };
  const store = registryStore(driver, opts.newId ?? (() => uuidv7()), rules);
  if (postgres || db === ':memory:' || opts.newId || !opts.writerThread) return store;
  let writer: Writer;
  try {
    writer = await startSqliteWriter({ db, matchSecret: secret, statements: views });
  } catch (e) {
    await store.close();
    throw e;
  }
  const writes = Object.fromEntries(WRITE_METHODS.map((m) => [m, (...args: unknown[]) => writer.call(m, args)])) as unknown as Writes;
  return {
    ...store,
    ...writes,
    close: async () => {
      await writer.close();
      await store.close();
    },
  };
}

/** Once an erasure committed, on SQLite: nothing of it left in the WAL (erasure.ts truncateWal). */
async function afterErasure<T>(driver: SqlDriver, erased: Promise<T>): Promise<T> {
  const result = await erased;
  if (driver.engine === 'sqlite') await driver.read(() => truncateWal());
  return result;
}

/**
 * Transactions in flight at once. SQLite has one writer. On PostgreSQL two overlap one's round trips
 * with the other's work; more only contend for the same cores: with 200 kiosks paced at 1,250
 * items/s, p99 was 228 ms with one, 258 with two, 335-565 with four, 770 with eight, and flat out
 * two gave 2,190 items/s against one's 1,780 (2 cores shared with the fleet).
 */
const LANES = { sqlite: 1, postgres: 2 } as const;
const GROUP_ITEMS = 400;

export function registryStore(driver: SqlDriver, newId: () => string, rules: RegistryRules): RegistryStore {
  const groups = new BatchGroups(driver, newId, { lanes: LANES[driver.engine], maxItems: GROUP_ITEMS });
  // SQLite's planner works without statistics (none are kept); PostgreSQL's must keep up (pg-statistics.ts).
  const statistics =
    driver.engine === 'postgres' ? new StatisticsKeeper(() => driver.write(() => run(ANALYZE_SQL)).then(() => undefined)) : undefined;
  // The registry signs the records it writes itself, in the transaction that writes them: its key
  // is opened here, on whichever thread writes (a writer thread has a store, and keys, of its own).
  const keys: Pick<RegistryStore, 'registryKeys' | 'addRegistryKey' | 'allKioskKeys'> = {
    allKioskKeys: () => driver.read(() => allKioskKeys()),
    addRegistryKey: (key) => driver.write(() => addRegistryKey(key)),
    registryKeys: () => driver.read(() => registryKeys()),
  };
  const signing = new RegistrySigningKeys({ rules, ...keys });
  let unnamedKey: Promise<SigningKey> | undefined;
  return {
    engine: driver.engine,
    rules,
    provisionKiosk: (kiosk, tokenHash, now) => driver.write(() => provisionKiosk(kiosk, tokenHash, now.toISOString())),
    revokeKiosk: (kioskId, now) => driver.write(() => revokeKiosk(kioskId, now.toISOString())),
    kioskByTokenHash: (tokenHash) => driver.read(() => kioskByTokenHash(tokenHash)),
    addEnrollCode: (codeHash, grant, now, expiresAt) =>
      driver.write(() => addEnrollCode(codeHash, grant, now.toISOString(), expiresAt.toISOString())),
    redeemEnrollCode: (codeHash, tokenHash, now) => driver.write(() => redeemEnrollCode(codeHash, tokenHash, now.toISOString())),
    issueBackOfficeToken: (chainId, tokenHash, now) => driver.write(() => issueBackOfficeToken(chainId, tokenHash, now.toISOString())),
    revokeBackOfficeTokens: (chainId, now) => driver.write(() => revokeBackOfficeTokens(chainId, now.toISOString())),
    backOfficeByTokenHash: (tokenHash) => driver.read(() => backOfficeByTokenHash(tokenHash)),
    recordHeartbeat: (kioskId, heartbeat, receivedAt) => driver.write(() => recordHeartbeat(kioskId, heartbeat, receivedAt.toISOString())),
    fleet: (chainId, now) => driver.read(() => fleet(chainId, now)),
    applyItems: async (ctx, items) => {
      // The route names the key that countersigned the batch; a caller naming none gets one key for all its batches.
      const registryKey = await (ctx.registryKid === undefined
        ? (unnamedKey ??= signing.current(new Date(ctx.receivedAt)))
        : signing.byKid(ctx.registryKid));
      const results = await groups.apply({ ctx: { ...ctx, rules, registryKey }, items });
      statistics?.wrote(results.filter((r) => r.status === 'accepted').length);
      return results;
    },
    feed: (chainId, after, limit) => driver.read(() => chainFeed(chainId, after, limit)),
    lookupConsents: (kiosk, who) => driver.read(() => lookupConsents(kiosk, rules.keyer, who)),
    withdrawConsents: async (kiosk, req, now) => {
      const registryKey = await signing.current(now);
      return driver.write(() => withdrawConsents(kiosk, rules.keyer, req, now.toISOString(), newId, registryKey));
    },
    accessSubject: (kiosk, who, now) => driver.read(() => accessSubject(kiosk, rules.keyer, who, now.toISOString())),
    eraseSubject: async (kiosk, who, now) => {
      const registryKey = await signing.current(now);
      return afterErasure(
        driver,
        driver.write(() => eraseSubject(kiosk, rules.keyer, who, now.toISOString(), newId, registryKey)),
      );
    },
    challengeSubject: (kiosk, req, now) => driver.write(() => challengeSubject(kiosk, rules.keyer, req, now)),
    proveSubject: (kiosk, who, code, now) => driver.write(() => proveSubject(kiosk, rules.keyer, who, code, now)),
    claimDueMail: (channels, now, limit) => driver.write(() => claimDueMail(channels, now, limit)),
    markMailSent: (seq, now) => driver.write(() => markMailSent(seq, now)),
    markMailFailed: (seq, at) => driver.write(() => markMailFailed(seq, at)),
    waitingMail: () => driver.read(() => waitingMail()),
    purge: (now) =>
      afterErasure(
        driver,
        driver.write(() => purgeExpired(now)),
      ),
    proofRows: (chainId, since) => driver.read(() => chainProofRows(chainId, since?.toISOString() ?? null)),
    subjectProofRows: (chainId, since, who) => driver.read(() => subjectProofRows(chainId, since?.toISOString() ?? null, rules.keyer, who)),
    registerKioskKey: (key) => driver.write(() => registerKioskKey(key)),
    kioskKeys: (kioskId) => driver.read(() => kioskKeysOf(kioskId)),
    ...keys,
    stats: () => driver.read(() => registryStats()),
    close: async () => {
      await statistics?.idle();
      await driver.close();
    },
  };
}
