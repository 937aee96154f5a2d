// The kiosk's sync client: drains the outbox to the registry in batches. It runs at start-up, on a
// timer and after each commit (notify), backs off with full jitter on transport failures, sends
// per-item rejections to dead-letter without blocking the rest, splits a batch refused as a whole
// until the refused item is found, and stops on rejected credentials.
import type { OutboxPort } from '../outbox/port.js';
import { logger } from '../log.js';
import { MAX_BATCH_ITEMS, type ItemResult, type WireItem } from '../wire/schemas.js';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { errorCodeOf, SyncError, type SyncErrorCode } from './errors.js';
import type { RegistryTransport } from './transport.js';
import { TypedEmitter } from './typed-emitter.js';

const log = logger('sync-client');

export interface SyncStatus {
  /** The last exchange reached the registry and got a valid answer. */
  online: boolean;
  /** Items not yet acknowledged nor dead-lettered. */
  pending: number;
  /** Kiosk clock, ISO 8601 UTC, of the last valid answer. */
  lastSyncAt?: string;
  lastError?: { code: SyncErrorCode; message: string };
}

/** What one batch did; `error` is set when any item of it goes back to pending. */
export interface BatchOutcome {
  sent: number;
  acknowledged: number;
  deadLettered: number;
  retried: number;
  error?: SyncError;
  /** When `error` is set: the delay before the next attempt. */
  retryInMs?: number;
}

export interface SyncClientEvents extends Record<string, unknown> {
  status: SyncStatus;
  batch: BatchOutcome;
}

export interface SyncClientOptions {
  outbox: OutboxPort;
  transport: RegistryTransport;
  /** Defaults to the kiosk id the queued items carry. */
  kioskId?: string;
  clock?: () => Date;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** The timer that looks at the outbox even when nothing notified the client. */
  pollIntervalMs?: number;
  batchSize?: number;
}

const MIN_TIMER_MS = 25;

const EXPECTED_CODE: Record<ItemResult['status'], ItemResult['statusCode']> = {
  accepted: 201,
  duplicate: 200,
  conflict: 409,
  rejected: 422,
};

export class SyncClient extends TypedEmitter<SyncClientEvents> {
  private readonly outbox: OutboxPort;
  private readonly transport: RegistryTransport;
  private readonly kioskId: string | undefined;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;

  private started = false;
  private stopping = false;
  private inFlight: Promise<void> | undefined;
  private rerun = false;
  private timer: NodeJS.Timeout | undefined;
  /** True while a failure's retry timer is pending: commits then do not hammer a failing registry. */
  private backingOff = false;
  private failures = 0;
  private firstDrain = true;
  private status: SyncStatus = { online: false, pending: 0 };

  constructor(options: SyncClientOptions) {
    super((error) => log.error({ err: error }, 'status listener failed'));
    this.outbox = options.outbox;
    this.transport = options.transport;
    this.kioskId = options.kioskId;
    this.clock = options.clock ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.pollIntervalMs = options.pollIntervalMs ?? 60_000;
    this.batchSize = Math.min(options.batchSize ?? MAX_BATCH_ITEMS, MAX_BATCH_ITEMS);
  }

  getStatus(): SyncStatus {
    return { ...this.status };
  }

  /** Starts the start-up drain and the timer. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.publish({ pending: this.outbox.unsentCount() });
    this.kick();
  }

  /** Called after each commit: sends soon, unless a failure's backoff is running. */
  notify(): void {
    if (!this.started || this.stopping) return;
    this.publish({ pending: this.outbox.unsentCount() });
    if (!this.backingOff) this.kick();
  }

  /** Resolves once no drain is running (the timer may still start one later). */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** Stops the timer and waits for the batch in flight, so no item is left claimed. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.clearTimer();
    await this.settled();
    await this.transport.close();
  }

  private kick(): void {
    if (this.stopping) return;
    if (this.inFlight) {
      this.rerun = true;
      return;
    }
    this.clearTimer();
    this.inFlight = this.drain().finally(() => {
      this.inFlight = undefined;
    });
  }

  /** Sends batches while items are due; never rejects. Ends by arming the timer. */
  private async drain(): Promise<void> {
    let retryInMs: number | undefined;
    try {
      do {
        this.rerun = false;
        while (!this.stopping && retryInMs === undefined) {
          const outcome = await this.sendOneBatch();
          if (!outcome) break;
          this.emit('batch', outcome);
          retryInMs = outcome.retryInMs;
        }
      } while (this.rerun && retryInMs === undefined && !this.stopping);
    } catch (error) {
      // The local store failed (disk full, database locked): try again later like a transport
      // failure; items a failed release left 'sending' go back to pending when the store reopens.
      log.error({ err: error }, 'sync drain failed');
      retryInMs = backoffDelayMs(this.failures++, this.backoff, this.random);
      const failure = new SyncError('STORE_FAILED', errorCode(error));
      this.publish({ lastError: { code: failure.code, message: failure.message } });
    } finally {
      this.firstDrain = false;
    }
    this.backingOff = retryInMs !== undefined;
    this.arm(retryInMs ?? this.idleDelay());
  }

  /** Claims and sends one batch; undefined when nothing is due. */
  private async sendOneBatch(): Promise<BatchOutcome | undefined> {
    const now = this.clock();
    const items = this.outbox.claimDue(this.claimTime(now), this.batchSize);
    if (items.length === 0) return undefined;
    const run: Bisection = { kioskId: this.kioskId ?? kioskIdOf(items[0]!), sentAt: now.toISOString(), answered: false, suspects: [] };
    let part: PartTally;
    try {
      part = await this.sendPart(items, run);
    } catch (e) {
      // The registry has (part of) the batch but the store failed to record an answer (disk full):
      // the items must not sit 'sending' until the next restart, so they go back to pending (those
      // recorded are neither, and stay as they are); the resend is safe, the registry answers it
      // as duplicates. A store failing this too leaves them to the recovery on the next open.
      this.tryRelease(items, e);
      throw e;
    }
    // An item the registry failed on alone while it answered others is the culprit; when it
    // answered nothing at all, the registry is what fails, and the item waits like the rest.
    if (run.suspects.length > 0 && run.suspectError) {
      if (run.answered) part.deadLettered += this.deadLetter(run.suspects, run.suspectError);
      else {
        part.retry.push(...run.suspects.map((i) => i.idempotencyKey));
        part.error ??= run.suspectError;
      }
    }
    const outcome: BatchOutcome = {
      sent: items.length,
      acknowledged: part.acknowledged,
      deadLettered: part.deadLettered,
      retried: part.retry.length,
    };
    if (part.retry.length > 0) {
      outcome.error = part.error ?? new SyncError('BAD_RESPONSE', 'unanswered items');
      outcome.retryInMs = this.release(part.retry, outcome.error);
    }
    this.report(outcome);
    return outcome;
  }

  /**
   * Sends items and applies the answers. A batch the registry refuses as a whole (a 4xx other than
   * 401, or a 5xx or garbage on a second attempt in a row) is split in halves until the item it
   * is refused for is found: that one is dead-lettered, the others go through. `split` false: a
   * refused part is kept whole for later.
   */
  private async sendPart(items: readonly WireItem[], run: Bisection, attemptsAlone = 1, split = true): Promise<PartTally> {
    let results: readonly ItemResult[];
    try {
      results = (await this.transport.send({ kioskId: run.kioskId, sentAt: run.sentAt, items: [...items] })).results;
    } catch (cause) {
      const error = cause instanceof SyncError ? cause : new SyncError('NETWORK', 'unexpected', { cause });
      return this.refused(items, error, run, attemptsAlone, split);
    }
    run.answered = true;
    return this.record(() => this.applyAnswer(items, results));
  }

  private async refused(
    items: readonly WireItem[],
    error: SyncError,
    run: Bisection,
    attemptsAlone: number,
    split: boolean,
  ): Promise<PartTally> {
    const failing = isServerFailure(error.code) && isServerFailure(this.status.lastError?.code);
    if (!split || (error.code !== 'HTTP_STATUS' && !failing))
      return { acknowledged: 0, deadLettered: 0, retry: items.map((i) => i.idempotencyKey), error };
    if (items.length === 1) {
      // A 5xx may still be passing: the item is sent alone again. Whatever it got, it is judged once
      // the run is over (sendOneBatch): the culprit if the registry answered other items.
      if (failing && attemptsAlone < SUSPECT_ATTEMPTS) return this.sendPart(items, run, attemptsAlone + 1);
      run.suspects.push(...items);
      run.suspectError = error;
      return { acknowledged: 0, deadLettered: 0, retry: [] };
    }
    const half = Math.ceil(items.length / 2);
    const first = await this.sendPart(items.slice(0, half), run);
    // Until some part got an answer the other half goes whole: a registry (or an address) that fails
    // on everything gets a few requests per level, not one per item, and dead-letters nothing.
    return merge(first, await this.sendPart(items.slice(half), run, 1, run.answered));
  }

  /** Items the registry refused alone go to dead-letter with the refusal as their reason. */
  private deadLetter(items: readonly WireItem[], error: SyncError): number {
    const reason = { code: 'BATCH_REFUSED' as const, message: `the registry refused this item alone: ${error.message}` };
    const results = items.map((i): ItemResult => ({ idempotencyKey: i.idempotencyKey, status: 'rejected', statusCode: 422, reason }));
    this.record(() => this.outbox.applyResults(results, this.clock()));
    return items.length;
  }

  /** Marks a store failure apart from a transport one (the batch is then released, see sendOneBatch). */
  private record<T>(record: () => T): T {
    try {
      return record();
    } catch (cause) {
      throw new StoreFailure(cause);
    }
  }

  private tryRelease(items: readonly WireItem[], cause: unknown): void {
    try {
      const at = new Date(this.clock().getTime() + backoffDelayMs(this.failures, this.backoff, this.random));
      this.outbox.releaseForRetry(
        items.map((i) => i.idempotencyKey),
        `STORE_FAILED: ${errorCode(cause)}`,
        at,
      );
    } catch (again) {
      log.error({ err: again }, 'items left sending until the store reopens');
    }
  }

  /** Applies the answers that match a sent key; every other sent item counts as garbage. */
  private applyAnswer(items: readonly WireItem[], results: readonly ItemResult[]): PartTally {
    const unanswered = new Set(items.map((i) => i.idempotencyKey));
    const valid: ItemResult[] = [];
    for (const result of results) {
      if (!unanswered.has(result.idempotencyKey) || EXPECTED_CODE[result.status] !== result.statusCode) continue;
      unanswered.delete(result.idempotencyKey);
      valid.push(result);
    }
    if (valid.length > 0) this.outbox.applyResults(valid, this.clock());
    const deadLettered = valid.filter((r) => r.status === 'conflict' || r.status === 'rejected').length;
    const tally: PartTally = { acknowledged: valid.length - deadLettered, deadLettered, retry: [...unanswered] };
    if (unanswered.size > 0)
      tally.error = new SyncError('BAD_RESPONSE', `${unanswered.size} of ${items.length} items without a matching result`);
    return tally;
  }

  /**
   * Puts the items back to pending and returns the delay before the next attempt: full-jitter
   * backoff over the failure streak, or the cap when the registry refused the credentials (a revoked
   * token does not heal in seconds, and those items must not be dead-lettered).
   */
  private release(keys: readonly string[], error: SyncError): number {
    const delay = error.code === 'CREDENTIALS_REJECTED' ? this.backoff.capMs : backoffDelayMs(this.failures++, this.backoff, this.random);
    this.outbox.releaseForRetry(keys, `${error.code}: ${error.message}`, new Date(this.clock().getTime() + delay));
    return delay;
  }

  private report(outcome: BatchOutcome): void {
    const pending = this.outbox.unsentCount();
    const { error, ...counts } = outcome;
    if (error) {
      log.warn({ ...counts, code: error.code, detail: error.detail, failures: this.failures }, 'batch not acknowledged');
      this.publish({ online: false, pending, lastError: { code: error.code, message: error.message } });
    } else {
      log.debug(counts, 'batch acknowledged');
      this.failures = 0;
      this.publish({ online: true, pending, lastSyncAt: this.clock().toISOString(), lastError: undefined });
    }
  }

  /**
   * The time to claim at. At start-up everything pending is tried once, whatever backoff a previous
   * run left. A next-attempt time further ahead than any delay this client sets means the kiosk
   * clock went back: those items are due now, or they would wait out the clock's jump.
   */
  private claimTime(now: Date): Date {
    const horizon = now.getTime() + this.maxDelayMs();
    const due = this.outbox.nextDueAt()?.getTime();
    if (due !== undefined && due > horizon) return new Date(due);
    return this.firstDrain ? new Date(horizon) : now;
  }

  private maxDelayMs(): number {
    return Math.max(this.backoff.capMs, this.backoff.baseMs);
  }

  /** Until the next item is due; the floor keeps a store that reports a due item it will not hand out from spinning the loop. */
  private idleDelay(): number {
    const due = this.outbox.nextDueAt();
    if (!due) return this.pollIntervalMs;
    return Math.max(MIN_TIMER_MS, Math.min(this.pollIntervalMs, due.getTime() - this.clock().getTime()));
  }

  private arm(delayMs: number): void {
    if (this.stopping) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.backingOff = false;
      this.kick();
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private publish(change: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...change };
    if (this.status.lastError === undefined) delete this.status.lastError;
    this.emit('status', this.getStatus());
  }
}

/** One claimed batch on its way, however many requests it takes. */
interface Bisection {
  readonly kioskId: string;
  readonly sentAt: string;
  /** The registry gave a valid answer to some part of the batch. */
  answered: boolean;
  /** Items refused when sent alone (a 4xx, or a 5xx or garbage each time). */
  suspects: WireItem[];
  suspectError?: SyncError;
}

/** What happened to part of a batch: counted, or to be retried later. */
interface PartTally {
  acknowledged: number;
  deadLettered: number;
  retry: string[];
  error?: SyncError;
}

/** How many times in a row an item must fail alone with a 5xx or garbage before it is taken for the culprit. */
const SUSPECT_ATTEMPTS = 3;

/** A 5xx or garbage: once, it may be passing; twice in a row, the batch may hold what the registry fails on. */
const isServerFailure = (code: SyncErrorCode | undefined): boolean => code === 'SERVER_ERROR' || code === 'BAD_RESPONSE';

function merge(a: PartTally, b: PartTally): PartTally {
  const error = a.error ?? b.error;
  return {
    acknowledged: a.acknowledged + b.acknowledged,
    deadLettered: a.deadLettered + b.deadLettered,
    retry: [...a.retry, ...b.retry],
    ...(error ? { error } : {}),
  };
}

/** Marks a failure of the local store, which the drain handles apart from transport failures. */
class StoreFailure extends Error {
  constructor(cause: unknown) {
    super('the outbox could not record the registry answer', { cause });
  }
}

/** The store's own code, through the StoreFailure wrapper. */
const errorCode = (e: unknown): string => errorCodeOf(e instanceof StoreFailure ? e.cause : e);

function kioskIdOf(item: WireItem): string {
  return item.kind === 'enrollment' ? item.payload.kioskId : item.payload.consent.event.kioskId;
}
