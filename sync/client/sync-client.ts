// The kiosk's sync client: drains the outbox to the registry in batches. It runs at start-up, on a
// timer and after each commit (notify), backs off with full jitter on transport failures, sends
// per-item rejections to dead-letter without blocking the rest, and stops on rejected credentials.
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
    const kioskId = this.kioskId ?? kioskIdOf(items[0]!);
    let outcome: BatchOutcome;
    try {
      const response = await this.transport.send({ kioskId, sentAt: now.toISOString(), items });
      outcome = this.applyAnswerOrRelease(items, response.results);
    } catch (cause) {
      if (isStoreFailure(cause)) throw cause;
      const error = cause instanceof SyncError ? cause : new SyncError('NETWORK', 'unexpected', { cause });
      outcome = { sent: items.length, acknowledged: 0, deadLettered: 0, retried: items.length, error };
      outcome.retryInMs = this.release(items.map((i) => i.idempotencyKey), error);
    }
    this.report(outcome);
    return outcome;
  }

  /**
   * The registry has the batch but the store failed to record its answers (disk full): the items
   * must not sit 'sending' until the next restart, so they go back to pending; the resend is safe,
   * the registry answers it as duplicates.
   */
  private applyAnswerOrRelease(items: readonly WireItem[], results: readonly ItemResult[]): BatchOutcome {
    try {
      return this.applyAnswer(items, results);
    } catch (cause) {
      const at = new Date(this.clock().getTime() + backoffDelayMs(this.failures, this.backoff, this.random));
      this.outbox.releaseForRetry(items.map((i) => i.idempotencyKey), `STORE_FAILED: ${errorCode(cause)}`, at);
      throw new StoreFailure(cause);
    }
  }

  /** Applies the answers that match a sent key; every other sent item counts as garbage. */
  private applyAnswer(items: readonly WireItem[], results: readonly ItemResult[]): BatchOutcome {
    const unanswered = new Set(items.map((i) => i.idempotencyKey));
    const valid: ItemResult[] = [];
    for (const result of results) {
      if (!unanswered.has(result.idempotencyKey) || EXPECTED_CODE[result.status] !== result.statusCode) continue;
      unanswered.delete(result.idempotencyKey);
      valid.push(result);
    }
    if (valid.length > 0) this.outbox.applyResults(valid, this.clock());
    const deadLettered = valid.filter((r) => r.status === 'conflict' || r.status === 'rejected').length;
    const outcome: BatchOutcome = {
      sent: items.length,
      acknowledged: valid.length - deadLettered,
      deadLettered,
      retried: unanswered.size,
    };
    if (unanswered.size > 0) {
      outcome.error = new SyncError('BAD_RESPONSE', `${unanswered.size} of ${items.length} items without a matching result`);
      outcome.retryInMs = this.release([...unanswered], outcome.error);
    }
    return outcome;
  }

  /**
   * Puts the items back to pending and returns the delay before the next attempt: full-jitter
   * backoff over the failure streak, or the cap when the registry refused the credentials (a revoked
   * token does not heal in seconds, and those items must not be dead-lettered).
   */
  private release(keys: readonly string[], error: SyncError): number {
    const delay =
      error.code === 'CREDENTIALS_REJECTED' ? this.backoff.capMs : backoffDelayMs(this.failures++, this.backoff, this.random);
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

/** Marks a failure of the local store, which the drain handles apart from transport failures. */
class StoreFailure extends Error {
  constructor(cause: unknown) {
    super('the outbox could not record the registry answer', { cause });
  }
}
const isStoreFailure = (e: unknown): e is StoreFailure => e instanceof StoreFailure;

/** The store's own code, through the StoreFailure wrapper. */
const errorCode = (e: unknown): string => errorCodeOf(e instanceof StoreFailure ? e.cause : e);

function kioskIdOf(item: WireItem): string {
  return item.kind === 'enrollment' ? item.payload.kioskId : item.payload.consent.event.kioskId;
}
