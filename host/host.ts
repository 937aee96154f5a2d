// The kiosk host: one customer session at a time, as a state machine. Every call of the contract is
// validated against its schema and then against the session's step; a call out of order is refused
// with WRONG_STEP before anything changes. The host owns the read (only after the customer's tap),
// the policy, the consent records, the commit, the sync status, the manager operations and the wipe.
// Plain Node: Electron (or the loopback server) only carries calls and events to it.
import type { PcscSession } from '../card-reader/pcsc/session.js';
import { isCardError } from '../card-reader/errors.js';
import type { TrustStore } from '../card-reader/verify/trust-store.js';
import type { SyncClient } from '../sync/client/sync-client.js';
import { TypedEmitter } from '../sync/client/typed-emitter.js';
import type { Party, StatementCatalog } from '../sync/consent/statements.js';
import { discardDeadLetter, exportConsentReceiptsCsv, listFailed, queueStatus, retryDeadLetters } from '../sync/manager/operations.js';
import { commitConsentEvent, commitEnrollment } from '../sync/store/commit.js';
import type { Store } from '../sync/store/open.js';
import type { ChainPolicy } from '../sync/store/policy.js';
import type { ConsentLookupResponse } from '../sync/wire/registry-api.js';
import { isFullDate } from '../sync/wire/registry-match.js';
import type { EnrollmentPayload, Language, Person } from '../sync/wire/schemas.js';
import { logger } from '../sync/log.js';
import { issuePath } from '../sync/zod-issues.js';
import {
  calls,
  type ApiError,
  type CallName,
  type CallOutput,
  type ConsentOverview,
  type EventName,
  type EventPayload,
  type Result,
} from '../api/contract.js';
import { namesOnCard, readPermittedCard, verdictViews, wireVerification, type PermittedRead } from './card-read.js';
import { buildRecords, purposeTitle, statementScreen, type Decision } from './consent-records.js';
import { HostError, toApiError, wrongStep } from './errors.js';
import { validateContact, validateManual, type Contact } from './manual-form.js';
import type { PinStore } from './pin.js';
import { buildReceipt } from './receipt.js';
import type { Identification, RegistryDesk } from './registry-desk.js';
import { withdrawalRecords } from './withdrawal.js';
import type { z } from 'zod';

export interface HostConfig {
  chainId: string;
  chainName: string;
  storeId: string;
  kioskId: string;
  defaultLanguage: Language;
  /** Inactivity before the renderer asks "still there?". */
  idleSeconds: number;
  /** The countdown after that question; the host wipes when both have passed without a call. */
  countdownSeconds: number;
  policy: ChainPolicy;
  /** Pin one reader (tests pin a vpcd slot); default the first reader holding a card. */
  reader?: string;
  apduTimeoutMs?: number;
  /** The manager view locks itself after this long without a manager call. */
  managerIdleSeconds?: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HostDeps {
  config: HostConfig;
  store: Store;
  catalog: StatementCatalog;
  trust: TrustStore;
  pins: PinStore;
  /** Absent when pcscd is not reachable: reads then fail with NO_READER, the form still works. */
  pcsc?: PcscSession;
  sync?: SyncClient;
  /** Absent when no registry is configured: "my consents" answers REGISTRY_UNREACHABLE. */
  desk?: RegistryDesk;
  now: () => Date;
  /** UUIDs for enrollments and records: time-ordered (sync/uuid7.ts), so the registry's indexes grow at their end. */
  newId: () => string;
  random?: (n: number) => Uint8Array;
  timers?: Timers;
  utcOffsetMinutes?: (at: Date) => number;
  /** Leaves the kiosk (Electron only). */
  quit?: () => void;
}

type Step =
  | 'permission' // waiting for the tap that allows the read
  | 'reading' // the tap was given: waiting for a card, or reading it
  | 'read-failed' // a card error: read again, or the form
  | 'checked' // read and verified: staff confirm (enroll) or look up (my consents)
  | 'manual' // the form
  | 'consent' // one screen per party still to decide, in order
  | 'contact' // optional contact details (eID path)
  | 'ready' // everything decided: commit
  | 'identified' // my consents: the customer is identified
  | 'done'; // committed: nothing of the customer is left

interface Session {
  readonly enrollmentId: string;
  readonly intent: 'enroll' | 'my-consents';
  language: Language;
  step: Step;
  readTap: string[];
  read?: PermittedRead;
  person?: Omit<Person, 'language'>;
  source?: 'eid' | 'manual';
  toDecide: Party[];
  reconsent: Party[];
  decided: Map<Party, Decision>;
  identification?: Identification;
  /** My consents: the registry's last answer, and the withdrawals queued in this session (not yet in that answer). */
  known?: { answer: ConsentLookupResponse; erasureOffered: boolean };
  queued: { party: Party; purposeId: string }[];
}

type HostEvents = { [N in EventName]: EventPayload<N> };
type Handlers = { [N in CallName]: (input: z.infer<(typeof calls)[N]['input']>) => Promise<CallOutput<N>> | CallOutput<N> };

const log = logger('kiosk-host');
const PARTIES: readonly Party[] = ['chain', 'registry'];
const REGISTRY_CHECK_MS = 3000;
/** "My consents" look-ups per kiosk: enough for a queue of customers, too few to probe who is a customer. */
const LOOKUPS_PER_WINDOW = 10;
const LOOKUP_WINDOW_MS = 10 * 60 * 1000;

export class KioskHost extends TypedEmitter<HostEvents> {
  #session: Session | undefined;
  #idle: unknown;
  #managerUntil = 0;
  /** When the last look-ups were made (kiosk-wide: a new session does not reset it). */
  #lookups: number[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  readonly #timers: Timers;
  readonly #offset: (at: Date) => number;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(private readonly deps: HostDeps) {
    super((error) => log.error({ err: error instanceof Error ? error.name : 'unknown' }, 'event listener failed'));
    this.#timers = deps.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.#offset = deps.utcOffsetMinutes ?? ((at) => -at.getTimezoneOffset());
    const { pcsc, sync } = deps;
    if (pcsc) {
      const readerEvent = () => this.emit('reader', this.readerStatus());
      for (const name of ['reader-added', 'reader-removed', 'card-inserted', 'card-removed'] as const) {
        pcsc.on(name, readerEvent);
        this.#unsubscribe.push(() => pcsc.off(name, readerEvent));
      }
    }
    if (sync) this.#unsubscribe.push(sync.on('status', (s) => this.emit('sync', { online: s.online, pending: s.pending })));
  }

  /** Validates, then runs one call at a time (a double tap cannot interleave two transitions). */
  call(name: string, input: unknown): Promise<Result<unknown>> {
    const run = this.#queue.then(() => this.#dispatch(name, input));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** For tests and the wipe checks: what the host holds of the customer right now (undefined = nothing). */
  sessionSnapshot(): Readonly<Omit<Session, 'decided'> & { decided: Party[] }> | undefined {
    const s = this.#session;
    return s && { ...s, decided: [...s.decided.keys()] };
  }

  readerStatus(): EventPayload<'reader'> {
    const readers = this.deps.pcsc?.readers() ?? [];
    const pinned = this.deps.config.reader;
    return { readers: readers.length, cardPresent: readers.some((r) => r.present && (!pinned || r.reader === pinned)) };
  }

  close(): void {
    this.#wipe();
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  async #dispatch(name: string, input: unknown): Promise<Result<unknown>> {
    if (!Object.hasOwn(calls, name)) return fail({ code: 'INVALID_REQUEST' });
    const call = name as CallName;
    const parsed = calls[call].input.safeParse(input);
    if (!parsed.success) {
      const fields = Object.fromEntries(parsed.error.issues.map((i) => [issuePath(i), 'INVALID']));
      return fail({ code: 'INVALID_REQUEST', fields });
    }
    try {
      const handler = this.#handlers[call] as (i: unknown) => Promise<unknown> | unknown;
      const value = await handler(parsed.data);
      if (this.#session && call.startsWith('session.') === false && !call.startsWith('manager.')) this.#armIdle();
      return { ok: true, value };
    } catch (e) {
      const error = toApiError(e);
      // The name and code only: a message might quote a value, and values are personal data here.
      if (error.code === 'INTERNAL')
        log.error({ call, err: e instanceof Error ? e.name : 'unknown', code: (e as { code?: unknown }).code }, 'call failed');
      return fail(error);
    }
  }

  readonly #handlers: Handlers = {
    'kiosk.info': () => {
      const { config } = this.deps;
      const keep = config.policy.keep;
      return {
        defaultLanguage: config.defaultLanguage,
        idleSeconds: config.idleSeconds,
        countdownSeconds: config.countdownSeconds,
        chainName: config.chainName,
        keeps: ['surname', 'firstNames', ...(['address', 'birthDate', 'sex'] as const).filter((k) => keep[k])],
        canQuit: this.deps.quit !== undefined,
        reader: this.readerStatus(),
      };
    },

    'session.start': ({ language, intent }) => {
      this.#wipe();
      this.#session = {
        enrollmentId: this.deps.newId(),
        intent,
        language,
        step: 'permission',
        readTap: [],
        toDecide: [],
        reconsent: [],
        decided: new Map(),
        queued: [],
      };
      this.#armIdle();
      return {};
    },
    'session.setLanguage': ({ language }) => {
      this.#current().language = language;
      this.#armIdle();
      return {};
    },
    'session.extend': () => {
      this.#current();
      this.#armIdle();
      return {};
    },
    'session.end': () => {
      this.#wipe();
      return {};
    },

    'card.allowRead': ({ controlsTouched }) => {
      const s = this.#at('permission', 'read-failed');
      s.readTap = [...controlsTouched];
      s.step = 'reading';
      void this.#read(s);
      return {};
    },
    'card.decline': () => {
      const s = this.#at('permission', 'reading', 'read-failed', 'checked');
      delete s.read;
      s.readTap = [];
      s.step = 'manual';
      return {};
    },
    'staff.confirm': () => {
      const s = this.#at('checked');
      if (s.intent !== 'enroll') throw wrongStep();
      if (!s.read?.genuine) throw new HostError('NOT_VERIFIED');
      const { identity, address } = s.read;
      s.person = {
        ...namesOnCard(identity),
        address: { ...address, country: 'BE' },
        birthDate: identity.birthDate,
        sex: identity.sex,
      };
      s.source = 'eid';
      s.toDecide = s.reconsent.length > 0 ? [...s.reconsent] : [...PARTIES];
      s.step = 'consent';
      return {};
    },

    'manual.submit': async (input) => {
      const s = this.#at('manual');
      const form = validateManual(input);
      if (s.intent === 'my-consents') {
        if (!form.email && !form.mobile) throw new HostError('INVALID_REQUEST', { fields: { email: 'REQUIRED' } });
        s.identification = form;
        s.source = 'manual';
        s.step = 'identified';
        return { reconsent: [] };
      }
      const reconsent = await this.#reconsentFor({ ...form });
      if (this.#session !== s || s.step !== 'manual') throw wrongStep(); // wiped while the registry answered
      s.person = form;
      s.source = 'manual';
      s.reconsent = reconsent;
      s.toDecide = reconsent.length > 0 ? [...reconsent] : [...PARTIES];
      s.step = 'consent';
      return { reconsent };
    },
    'contact.submit': (input) => {
      const s = this.#at('contact');
      const contact: Contact = validateContact(input);
      s.person = { ...s.person!, ...contact };
      s.step = 'ready';
      return {};
    },

    'statement.get': ({ party }) => {
      const s = this.#at('consent');
      if (s.toDecide[0] !== party) throw wrongStep();
      return statementScreen(this.deps.catalog.current(party, s.language), s.reconsent.includes(party));
    },
    'consent.decide': ({ party, decisions, controlsTouched }) => {
      const s = this.#at('consent');
      if (s.toDecide[0] !== party) throw wrongStep();
      const statement = this.deps.catalog.current(party, s.language);
      const ids = statement.purposes.map((p) => p.id);
      const unknown = Object.keys(decisions).filter((id) => !ids.includes(id));
      const missing = ids.filter((id) => typeof decisions[id] !== 'boolean');
      if (unknown.length > 0 || missing.length > 0) {
        throw new HostError('INVALID_REQUEST', {
          fields: Object.fromEntries([...missing.map((id) => [id, 'REQUIRED']), ...unknown.map((id) => [id, 'UNKNOWN'])]),
        });
      }
      s.decided.set(party, {
        statement,
        decisions: { ...decisions },
        controlsTouched: [...controlsTouched],
        at: this.deps.now(),
        reconsent: s.reconsent.includes(party),
      });
      s.toDecide.shift();
      if (s.toDecide.length === 0) s.step = s.source === 'eid' && s.reconsent.length === 0 ? 'contact' : 'ready';
      return {};
    },

    'enrollment.commit': async () => {
      const s = this.#at('ready', 'contact');
      const receipt = await this.#commit(s);
      this.deps.sync?.notify();
      return receipt;
    },

    'myConsents.lookup': async () => {
      const s = this.#identified();
      // Asked once per session: a later look-up (the language changed) re-titles that answer, so it
      // costs no registry call, works offline, and still shows a profile erased meanwhile.
      if (s.known) return this.#overview(s);
      this.#countLookup();
      const desk = this.#desk();
      const [known, erasureOffered] = await Promise.all([desk.lookup(s.identification!), desk.erasureOffered()]);
      if (this.#session !== s) throw new HostError('NO_SESSION'); // wiped while the registry answered
      s.known = { answer: known, erasureOffered };
      return this.#overview(s);
    },
    'myConsents.withdraw': async ({ party, purposes }) => {
      const s = this.#identified();
      if (!s.known) throw wrongStep(); // withdraws what the customer was shown
      const method = s.source === 'eid' ? 'kiosk-eid' : 'kiosk-manual';
      const { subjectRef } = s.known.answer;
      if (subjectRef === undefined) {
        // Known here only through a registry consent given at another chain: no enrollment of this
        // chain to name in a queued event, so the registry's own route takes it (online only).
        const answer = await this.#desk().withdraw({
          ...s.identification!,
          party,
          purposes,
          method,
          utcOffsetMinutes: this.#offset(this.deps.now()),
        });
        s.known.answer = answer;
        return { ...this.#overview(s), withdrawal: 'registered' as const };
      }
      const at = this.deps.now();
      // A second touch on a purpose already queued in this session queues nothing again.
      const fresh = purposes.filter((p) => !s.queued.some((q) => q.party === party && q.purposeId === p));
      const records = withdrawalRecords(
        { known: { ...s.known.answer, subjectRef }, party, purposes: fresh, language: s.language },
        this.deps.catalog,
        {
          method,
          storeId: this.deps.config.storeId,
          kioskId: this.deps.config.kioskId,
          now: at,
          utcOffsetMinutes: this.#offset(at),
          controlsTouched: purposes.map((p) => `withdraw:${party}:${p}`),
          newId: this.deps.newId,
        },
      );
      // Durable before the answer, as an enrollment is: the sync client delivers it when it can.
      for (const record of records) {
        commitConsentEvent(this.deps.store, record, at);
        s.queued.push(...record.purposes.map((p) => ({ party, purposeId: p.id })));
      }
      if (records.length > 0) this.deps.sync?.notify();
      return { ...this.#overview(s), withdrawal: 'queued' as const };
    },
    'myConsents.erase': async () => {
      const s = this.#identified();
      if (!(await this.#desk().erase(s.identification!))) throw new HostError('NOT_FOUND');
      return {};
    },

    'manager.unlock': ({ pin }) => {
      this.deps.pins.verify(pin);
      this.#touchManager();
      return {};
    },
    'manager.lock': () => {
      this.#managerUntil = 0;
      return {};
    },
    'manager.status': () => {
      this.#manager();
      const q = queueStatus(this.deps.store, this.deps.now());
      const online = this.deps.sync?.getStatus().online;
      return {
        counts: {
          pending: q.counts.pending,
          sending: q.counts.sending,
          acknowledged: q.counts.acknowledged,
          deadLetter: q.counts['dead-letter'],
          discarded: q.counts.discarded,
        },
        ...(q.oldestPendingAgeMs !== undefined ? { oldestPendingAgeSeconds: Math.floor(q.oldestPendingAgeMs / 1000) } : {}),
        stale: q.stale,
        ...(q.lastSuccessAt ? { lastSuccessfulSyncAt: q.lastSuccessAt.toISOString() } : {}),
        registryReachable: online ?? q.registryReachable ?? false,
      };
    },
    'manager.failed': () => {
      this.#manager();
      return listFailed(this.deps.store).map((f) => ({
        key: f.idempotencyKey,
        kind: f.kind,
        initials: f.initials ?? '',
        reasonCode: f.reasonCode,
        reason: f.reason,
        queuedAt: f.createdAt.toISOString(),
      }));
    },
    'manager.retry': ({ keys }) => {
      this.#manager();
      retryDeadLetters(this.deps.store, keys, this.deps.now());
      this.deps.sync?.notify();
      return {};
    },
    'manager.discard': ({ key }) => {
      this.#manager();
      discardDeadLetter(this.deps.store, key, this.deps.now());
      return {};
    },
    'manager.exportReceipts': () => {
      this.#manager();
      const day = this.deps.now().toISOString().slice(0, 10);
      return { filename: `consent-receipts-${this.deps.config.kioskId}-${day}.csv`, csv: exportConsentReceiptsCsv(this.deps.store) };
    },
    'manager.quit': () => {
      this.#manager();
      if (!this.deps.quit) throw wrongStep();
      this.#wipe();
      this.deps.quit();
      return {};
    },
  };

  // ---- the session ----

  #current(): Session {
    if (!this.#session) throw new HostError('NO_SESSION');
    return this.#session;
  }

  #at(...steps: Step[]): Session {
    const s = this.#current();
    if (!steps.includes(s.step)) throw wrongStep();
    return s;
  }

  /** My consents: identified by the form, or by a genuine card read (no staff step on this path). */
  #identified(): Session {
    const s = this.#current();
    if (s.intent !== 'my-consents') throw wrongStep();
    if (s.step === 'checked') {
      const read = s.read!;
      if (!read.genuine) throw new HostError('NOT_VERIFIED');
      // The full birth date confirms the name; a card with a partial one cannot identify anyone safely.
      if (!isFullDate(read.identity.birthDate)) throw new HostError('NOT_FOUND');
      s.identification = { ...namesOnCard(read.identity), birthDate: read.identity.birthDate };
      s.source = 'eid';
      delete s.read;
      s.step = 'identified';
    }
    if (s.step !== 'identified') throw wrongStep();
    return s;
  }

  #desk(): RegistryDesk {
    if (!this.deps.desk) throw new HostError('REGISTRY_UNREACHABLE');
    return this.deps.desk;
  }

  /** Everything of the customer goes: the session object, its read, its decisions; a read in flight is ignored. */
  #wipe(): void {
    this.#session = undefined;
    if (this.#idle !== undefined) this.#timers.clearTimeout(this.#idle);
    this.#idle = undefined;
  }

  #armIdle(): void {
    if (this.#idle !== undefined) this.#timers.clearTimeout(this.#idle);
    const { idleSeconds, countdownSeconds } = this.deps.config;
    const session = this.#session;
    this.#idle = this.#timers.setTimeout(
      () => {
        if (this.#session !== session) return;
        this.#wipe();
        this.emit('session', { state: 'wiped', reason: 'idle' });
      },
      (idleSeconds + countdownSeconds) * 1000,
    );
  }

  #countLookup(): void {
    const now = this.deps.now().getTime();
    this.#lookups = this.#lookups.filter((at) => at > now - LOOKUP_WINDOW_MS);
    if (this.#lookups.length >= LOOKUPS_PER_WINDOW) {
      throw new HostError('RATE_LIMITED', { retryAfterSeconds: Math.ceil((this.#lookups[0]! + LOOKUP_WINDOW_MS - now) / 1000) });
    }
    this.#lookups.push(now);
  }

  #touchManager(): void {
    this.#managerUntil = this.deps.now().getTime() + (this.deps.config.managerIdleSeconds ?? 300) * 1000;
  }

  #manager(): void {
    if (this.deps.now().getTime() >= this.#managerUntil) throw wrongStep();
    this.#touchManager();
  }

  async #read(s: Session): Promise<void> {
    const { config } = this.deps;
    const live = () => this.#session === s && s.step === 'reading';
    try {
      const read = await readPermittedCard({
        pcsc: this.deps.pcsc,
        reader: config.reader,
        trust: this.deps.trust,
        policy: config.policy,
        now: this.deps.now,
        random: this.deps.random,
        apduTimeoutMs: config.apduTimeoutMs,
        waitMs: (config.idleSeconds + config.countdownSeconds) * 1000,
        emit: (event) => {
          if (live()) this.emit('card', event);
        },
      });
      if (!live()) return;
      const reconsent =
        s.intent === 'enroll' && read.genuine
          ? await this.#reconsentFor({
              ...namesOnCard(read.identity),
              ...(isFullDate(read.identity.birthDate) ? { birthDate: read.identity.birthDate } : {}),
            })
          : [];
      if (!live()) return;
      s.read = read;
      s.reconsent = reconsent;
      s.step = 'checked';
      this.emit('card', { phase: 'verified', verdicts: verdictViews(read.verification), genuine: read.genuine, reconsent });
    } catch (e) {
      if (!live()) return;
      s.step = 'read-failed';
      const code = isCardError(e) ? e.code : 'INTERNAL';
      if (code === 'INTERNAL') log.error({ err: e instanceof Error ? e.name : 'unknown' }, 'card read failed');
      this.emit('card', { phase: 'error', code });
    }
  }

  /** A returning customer whose consent was to an older statement version: which parties ask again. */
  async #reconsentFor(who: Identification): Promise<Party[]> {
    const { desk, catalog } = this.deps;
    if (!desk || (!who.birthDate && !who.email && !who.mobile)) return [];
    let known: ConsentLookupResponse;
    let timer: unknown;
    try {
      known = await Promise.race([
        desk.lookup(who),
        new Promise<never>((_, reject) => {
          timer = this.#timers.setTimeout(() => reject(new HostError('REGISTRY_UNREACHABLE')), REGISTRY_CHECK_MS);
        }),
      ]);
    } catch {
      return []; // unknown, or offline: asked as a new customer, which asks every party anyway
    } finally {
      this.#timers.clearTimeout(timer);
    }
    const versions: Record<Party, { statementId: string; version: string }[]> = { chain: known.chain, registry: known.registry };
    return PARTIES.filter((party) => {
      const current = catalog.current(party, 'en');
      return versions[party].some((v) => v.statementId !== current.id || v.version !== current.version);
    });
  }

  async #commit(s: Session): Promise<CallOutput<'enrollment.commit'>> {
    const { config, store, catalog, now, newId } = this.deps;
    const fromChip = s.source === 'eid';
    if (fromChip && !s.read?.genuine) throw new HostError('NOT_VERIFIED');
    const person: Person = { ...s.person!, language: s.language };
    const at = now();
    const consents = buildRecords(s.decided, {
      subjectRef: s.enrollmentId,
      person,
      policy: config.policy,
      fromChip,
      readTap: fromChip ? s.readTap : [],
      storeId: config.storeId,
      kioskId: config.kioskId,
      utcOffsetMinutes: this.#offset,
      newId,
    });
    const payload: EnrollmentPayload = {
      enrollmentId: s.enrollmentId,
      chainId: config.chainId,
      storeId: config.storeId,
      kioskId: config.kioskId,
      source: fromChip ? 'eid' : 'manual',
      enrolledAt: at.toISOString(),
      utcOffsetMinutes: this.#offset(at),
      person,
      ...(fromChip ? { eidVerification: wireVerification(s.read!) } : {}),
      consents,
    };
    commitEnrollment(store, { payload, policy: config.policy }, at);
    // Committed: from here on the host holds nothing of the customer but the step.
    this.#session = { ...s, step: 'done', readTap: [], toDecide: [], reconsent: [], decided: new Map() };
    delete this.#session.read;
    delete this.#session.person;
    delete this.#session.source;
    return buildReceipt(consents, s.language, catalog);
  }

  /** The registry's answer, with this session's queued withdrawals shown as done (the registry hears of them at the next sync). */
  #overview(s: Session): ConsentOverview {
    const { answer, erasureOffered } = s.known!;
    const view = (
      party: Party,
      states: readonly { purposeId: string; statementId: string; version: string; status: ConsentOverview['chain'][number]['status'] }[],
    ) =>
      states.map((c) => ({
        id: c.purposeId,
        title: purposeTitle(this.deps.catalog, c.statementId, c.version, s.language, c.purposeId),
        status: s.queued.some((q) => q.party === party && q.purposeId === c.purposeId) ? ('withdrawn' as const) : c.status,
      }));
    return { chain: view('chain', answer.chain), registry: view('registry', answer.registry), erasureOffered };
  }
}

const fail = (error: ApiError): Result<never> => ({ ok: false, error });
