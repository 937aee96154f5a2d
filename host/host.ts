// The kiosk host's core: one customer session at a time, as a state machine. Every call of the
// contract is validated against its schema, then handed to its feature's handler (enrollment.ts,
// my-consents.ts, manager.ts; the session's own calls are here), which checks it against the
// session's step: a call out of order is refused with WRONG_STEP before anything changes. The core
// owns the session, the idle deadline and the wipe, the reader and sync events, and runs calls one at
// a time. Plain Node: Electron (or the loopback server) only carries calls and events to it.
import type { PcscSession } from '../card-reader/pcsc/session.js';
import type { TrustStore } from '../card-reader/verify/trust-store.js';
import type { SyncClient } from '../sync/client/sync-client.js';
import { TypedEmitter } from '../sync/client/typed-emitter.js';
import type { Party, StatementCatalog } from '../sync/consent/statements.js';
import type { Store } from '../sync/store/open.js';
import type { ChainPolicy } from '../sync/store/policy.js';
import type { Language } from '../sync/wire/schemas.js';
import { logger } from '../sync/log.js';
import { issuePath } from '../sync/zod-issues.js';
import { calls, type ApiError, type CallName, type EventName, type EventPayload, type Result } from '../api/contract.js';
import { enrollmentHandlers } from './enrollment.js';
import { HostError, toApiError, wrongStep } from './errors.js';
import { managerHandlers } from './manager.js';
import { myConsentsHandlers } from './my-consents.js';
import { speechHandlers } from './speech.js';
import type { PinStore } from './pin.js';
import type { RegistryDesk } from './registry-desk.js';
import type { StaffCodeStore } from './staff-codes.js';
import type { Speaker } from '../speech/speaker.js';
import type { CallsUnder, Handlers, Session, SessionCore } from './session.js';

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
  staffCodes: StaffCodeStore;
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
  /** Read aloud; absent: speech.say answers SPEECH_UNAVAILABLE. */
  speaker?: Speaker;
  /** The registry's receipt verification page, which the receipt's QR names (host/receipt.ts); absent without a registry. */
  receiptVerifyUrl?: string;
}

type HostEvents = { [N in EventName]: EventPayload<N> };

const log = logger('kiosk-host');

export class KioskHost extends TypedEmitter<HostEvents> {
  #session: Session | undefined;
  #idle: unknown;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #timers: Timers;
  readonly #unsubscribe: (() => void)[] = [];
  #failedCommits = 0;
  /** Every call of the contract, each feature's slice spread in: a call without a handler fails to compile. */
  readonly #handlers: Handlers<CallName>;

  constructor(private readonly deps: HostDeps) {
    super((error) => log.error({ err: error instanceof Error ? error.name : 'unknown' }, 'event listener failed'));
    const timers = deps.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.#timers = timers;
    const core: SessionCore = {
      deps,
      timers,
      offset: deps.utcOffsetMinutes ?? ((at) => -at.getTimezoneOffset()),
      current: () => this.#current(),
      at: (...steps) => {
        const s = this.#current();
        if (!steps.includes(s.step)) throw wrongStep();
        return s;
      },
      isCurrent: (s) => this.#session === s,
      committed: (s) => {
        const done: Session = { ...s, step: 'done', readTap: [], toDecide: [], reconsent: [], decided: new Map() };
        delete done.read;
        delete done.person;
        delete done.source;
        this.#session = done;
      },
      emitCard: (event) => this.emit('card', event),
    };
    this.#handlers = {
      ...this.#sessionHandlers(),
      ...enrollmentHandlers(core),
      ...myConsentsHandlers(core),
      ...managerHandlers(deps, () => this.#wipe()),
      ...speechHandlers(deps.speaker),
    };
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

  /**
   * Validates, then runs one call at a time (a double tap cannot interleave two transitions). Speech
   * touches no session: it runs beside them, so a tap's answer never waits for a section being spoken.
   */
  call(name: string, input: unknown): Promise<Result<unknown>> {
    if (name.startsWith('speech.')) return this.#dispatch(name, input);
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

  /** Enrollments the store could not commit since the host started: the fleet's heartbeat reports them. */
  get failedCommits(): number {
    return this.#failedCommits;
  }

  /** One enrollment the store could not commit (not a refusal such as WRONG_STEP or NOT_VERIFIED). */
  recordFailedCommit(): void {
    this.#failedCommits += 1;
  }

  close(): void {
    this.#wipe();
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  async #dispatch(name: string, input: unknown): Promise<Result<unknown>> {
    const parsed = parseCall(name, input);
    if ('code' in parsed) return fail(parsed);
    const { call } = parsed;
    try {
      const handler = this.#handlers[call] as (i: unknown) => Promise<unknown> | unknown;
      const value = await handler(parsed.input);
      // A customer's call moves the idle deadline; the session's own calls set it themselves, and
      // the manager's are not the customer's. Speech moves it too: a customer exploring by touch or
      // listening to a statement makes no other call (the page still wipes at its countdown's end).
      if (this.#session && !call.startsWith('session.') && !call.startsWith('manager.')) this.#armIdle();
      return { ok: true, value };
    } catch (e) {
      const error = toApiError(e);
      // The host's own refusals are HostErrors; anything else a commit threw is the store failing: a
      // customer's enrollment not kept (a full disk, a broken store), so always a line and a count.
      const commitFailed = call === 'enrollment.commit' && !(e instanceof HostError);
      if (commitFailed) this.recordFailedCommit();
      // The name and codes only: a message might quote a value, and values are personal data here.
      if (error.code === 'INTERNAL' || commitFailed)
        log.error(
          { call, code: error.code, cause: (e as { code?: unknown }).code, err: e instanceof Error ? e.name : 'unknown' },
          'call failed',
        );
      return fail(error);
    }
  }

  #sessionHandlers(): Handlers<CallsUnder<'kiosk' | 'session' | 'setup'>> {
    return {
      // A provisioned kiosk: its set-up is over (set-up mode is host/setup.ts).
      'setup.status': () => ({ provisioned: true }),
      'setup.provision': () => {
        throw wrongStep();
      },
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
          staffCheck: config.policy.staffCheck ?? 'code',
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
    };
  }

  #current(): Session {
    if (!this.#session) throw new HostError('NO_SESSION');
    return this.#session;
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
}

export const fail = (error: ApiError): Result<never> => ({ ok: false, error });

/** A call by name with its input as its schema parsed it, or the refusal: every endpoint (this host, set-up mode) checks alike. */
export function parseCall(name: string, input: unknown): { call: CallName; input: unknown } | ApiError {
  if (!Object.hasOwn(calls, name)) return { code: 'INVALID_REQUEST' };
  const call = name as CallName;
  const parsed = calls[call].input.safeParse(input);
  if (!parsed.success)
    return { code: 'INVALID_REQUEST', fields: Object.fromEntries(parsed.error.issues.map((i) => [issuePath(i), 'INVALID'])) };
  return { call, input: parsed.data };
}
